/**
 * Reading every page of a paged list (ACK's `page_number`/`page_size` with `page_info.total_count`).
 * One rule for every reader, because a reader that stops early turns "not listed" into "does not
 * exist", and the gate must never conclude that from a list it did not finish:
 * - a total, when the answer gives one, decides (a server may serve pages shorter than asked);
 * - without a total, a page shorter than asked is the last;
 * - an empty page before the total, or the page limit reached, leaves the listing incomplete;
 * - an item listed twice (the list moved between pages) counts once.
 */

/** What one page says: its items and, when the answer gives it, the total. */
export interface PageAnswer<T> {
  /** The page's items, in the order listed. */
  readonly items: readonly T[];
  /** How many items the whole list holds, when the answer says. */
  readonly total?: number | undefined;
}

/** Everything read; `complete` false with `stoppedBy` when the end was not reached. */
export interface PagedListing<T> {
  /** Every distinct item read, in the order first listed. */
  readonly items: readonly T[];
  /** True when the end of the list was reached. */
  readonly complete: boolean;
  /** The pages read. */
  readonly pages: number;
  /** Why an incomplete listing stopped: the page limit, or an empty page short of the total. */
  readonly stoppedBy?: "page-limit" | "empty-page";
  /** The total the last page gave, if any. */
  readonly total?: number;
}

/** How to page: the size asked for, the most pages read, and an item's identity. */
export interface PagingOptions<T> {
  /** The page size asked for (a page shorter than this ends a list without a total). */
  readonly pageSize: number;
  /** Pages read at most; past them the listing is incomplete. */
  readonly maxPages: number;
  /** An item's identity, so an item listed on two pages counts once. */
  readonly keyOf: (item: T) => string;
}

/** Reads pages 1, 2, ... with `readPage` until the rule above says the list is over. */
export async function readAllPages<T>(
  readPage: (pageNumber: number) => Promise<PageAnswer<T>>,
  { pageSize, maxPages, keyOf }: PagingOptions<T>,
): Promise<PagedListing<T>> {
  const byKey = new Map<string, T>();
  let total: number | undefined;
  const listing = (pages: number, stoppedBy?: PagedListing<T>["stoppedBy"]): PagedListing<T> => ({
    items: [...byKey.values()],
    complete: stoppedBy === undefined,
    pages,
    ...(stoppedBy === undefined ? {} : { stoppedBy }),
    ...(total === undefined ? {} : { total }),
  });
  for (let page = 1; page <= maxPages; page++) {
    const answer = await readPage(page);
    for (const item of answer.items) {
      const key = keyOf(item);
      if (!byKey.has(key)) byKey.set(key, item);
    }
    total = answer.total;
    const done = total === undefined ? answer.items.length < pageSize : byKey.size >= total;
    if (done) return listing(page);
    if (answer.items.length === 0) return listing(page, "empty-page");
  }
  return listing(maxPages, "page-limit");
}
