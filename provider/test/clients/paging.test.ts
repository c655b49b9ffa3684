/**
 * The one paging rule (`readAllPages`), which the ACK task listing (the gate's "last upgrade") and
 * the policy pack's ACK cluster-by-name lookup both follow. Pure logic over scripted pages: the
 * callers' wire paths are tested against the emulator (ack-find-running, test/policy/cloud-lookup).
 */
import { readAllPages, type PageAnswer } from "../../src/clients/common/paging";

/** Pages served in order; a page number past the script answers empty. */
function scripted(pages: ReadonlyArray<PageAnswer<string>>) {
  const asked: number[] = [];
  const readPage = async (pageNumber: number): Promise<PageAnswer<string>> => {
    asked.push(pageNumber);
    return pages[pageNumber - 1] ?? { items: [] };
  };
  return { asked, readPage };
}
const options = { pageSize: 3, maxPages: 4, keyOf: (item: string) => item };

it.each([
  {
    what: "a total decides over a page shorter than asked",
    pages: [
      { items: ["a", "b"], total: 4 },
      { items: ["c", "d"], total: 4 },
    ],
    items: ["a", "b", "c", "d"],
    complete: true,
    asked: [1, 2],
  },
  {
    what: "without a total, a short page is the last",
    pages: [{ items: ["a", "b", "c"] }, { items: ["d"] }],
    items: ["a", "b", "c", "d"],
    complete: true,
    asked: [1, 2],
  },
  {
    what: "without a total, a full last page needs one more (empty) page to end",
    pages: [{ items: ["a", "b", "c"] }],
    items: ["a", "b", "c"],
    complete: true,
    asked: [1, 2],
  },
  {
    what: "an empty page short of the total is incomplete",
    pages: [
      { items: ["a", "b"], total: 5 },
      { items: [], total: 5 },
    ],
    items: ["a", "b"],
    complete: false,
    stoppedBy: "empty-page",
    asked: [1, 2],
  },
  {
    what: "the page limit reached is incomplete",
    pages: Array.from({ length: 6 }, (_, i) => ({ items: [`${i}a`, `${i}b`, `${i}c`], total: 18 })),
    items: ["0a", "0b", "0c", "1a", "1b", "1c", "2a", "2b", "2c", "3a", "3b", "3c"],
    complete: false,
    stoppedBy: "page-limit",
    asked: [1, 2, 3, 4],
  },
  {
    what: "an item listed twice (the list moved) counts once, so the total is not reached early",
    pages: [
      { items: ["a", "b", "c"], total: 5 },
      { items: ["c", "d"], total: 5 },
      { items: ["e"], total: 5 },
    ],
    items: ["a", "b", "c", "d", "e"],
    complete: true,
    asked: [1, 2, 3],
  },
])("$what", async ({ pages, items, complete, asked, ...rest }) => {
  const script = scripted(pages);
  const listing = await readAllPages(script.readPage, options);
  expect(listing.items).toEqual(items);
  expect(listing.complete).toBe(complete);
  expect(listing.stoppedBy).toBe("stoppedBy" in rest ? rest.stoppedBy : undefined);
  expect(script.asked).toEqual(asked);
  expect(listing.pages).toBe(asked.length);
});
