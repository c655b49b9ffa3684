/**
 * Reading all of an ACK cluster's tasks. DescribeClusterTasks is paged (`page_number`/`page_size`,
 * `page_info.total_count`) and ACK documents no order, so no page can be assumed to hold the newest
 * tasks: every reader pages through the whole list, up to a bound, and is told when it stopped short.
 */
import { readAllPages } from "../common/paging";
import { type DescribeClusterTasksArgs } from "./args";
import { type AckClusterTask, type AckClusterTaskList } from "./schemas";

/** Tasks asked for per DescribeClusterTasks page (ACK's maximum `page_size`). */
export const ACK_TASK_PAGE_SIZE = 100;
/** Pages read at most (so at most 1,000 tasks); past it the listing is incomplete. */
export const ACK_TASK_MAX_PAGES = 10;

/** A cluster's tasks as listed; `complete` is false when the listing stopped before its end. */
export interface AckTaskListing {
  readonly tasks: readonly AckClusterTask[];
  readonly complete: boolean;
  /** The pages read. */
  readonly pages: number;
}

/** One DescribeClusterTasks call (the client's method, or a recovery's `run` of its row). */
export type ReadAckTaskPage = (args: DescribeClusterTasksArgs) => Promise<AckClusterTaskList>;

/**
 * Every task of the cluster, page after page, by the one paging rule (`readAllPages`: the total
 * decides, else a short page is the last; incomplete at `maxPages` or at an empty page short of the total).
 */
export async function readAllAckClusterTasks(
  readPage: ReadAckTaskPage,
  clusterId: string,
  maxPages: number = ACK_TASK_MAX_PAGES,
): Promise<AckTaskListing> {
  const listing = await readAllPages(
    async (pageNumber) => {
      const answer = await readPage({ clusterId, pageNumber, pageSize: ACK_TASK_PAGE_SIZE });
      return { items: answer.tasks, total: answer.page_info?.total_count };
    },
    { pageSize: ACK_TASK_PAGE_SIZE, maxPages, keyOf: (task) => task.task_id },
  );
  return { tasks: listing.items, complete: listing.complete, pages: listing.pages };
}
