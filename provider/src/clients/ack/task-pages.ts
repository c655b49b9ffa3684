/**
 * Reading all of an ACK cluster's tasks. DescribeClusterTasks is paged (`page_number`/`page_size`,
 * `page_info.total_count`) and ACK documents no order, so no page can be assumed to hold the newest
 * tasks: every reader pages through the whole list, up to a bound, and is told when it stopped short.
 */
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
 * Every task of the cluster, page after page, until `page_info.total_count` tasks were read (without
 * a total: until a page comes back short). Incomplete when `maxPages` pages did not reach the end or
 * a page came back empty before the total. A task listed twice (the list moved between pages) counts once.
 */
export async function readAllAckClusterTasks(
  readPage: ReadAckTaskPage,
  clusterId: string,
  maxPages: number = ACK_TASK_MAX_PAGES,
): Promise<AckTaskListing> {
  const byId = new Map<string, AckClusterTask>();
  for (let page = 1; page <= maxPages; page++) {
    const answer = await readPage({ clusterId, pageNumber: page, pageSize: ACK_TASK_PAGE_SIZE });
    for (const task of answer.tasks) if (!byId.has(task.task_id)) byId.set(task.task_id, task);
    const total = answer.page_info?.total_count;
    const done = total === undefined ? answer.tasks.length < ACK_TASK_PAGE_SIZE : byId.size >= total;
    if (done) return { tasks: [...byId.values()], complete: true, pages: page };
    // Short of the total with nothing more listed: the rest cannot be read.
    if (answer.tasks.length === 0) return { tasks: [...byId.values()], complete: false, pages: page };
  }
  return { tasks: [...byId.values()], complete: false, pages: maxPages };
}
