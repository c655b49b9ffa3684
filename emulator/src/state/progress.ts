/**
 * Task progression, after moto's ManagedState: a task is `init` when created, `running` once it has
 * been read or a second of virtual time has passed, and `done` after the scenario's number of reads
 * or virtual duration (whichever comes first). A progression with neither never finishes on its own.
 */
import { type Progression, type TaskClock } from "./types";

export type TaskStage = "init" | "running" | "done";

export function newTaskClock(createdAt: number, progression: Progression): TaskClock {
  const clock: TaskClock = { createdAt, polls: 0, progression };
  if (progression.polls === 0 || progression.durationMs === 0) clock.finishedAt = createdAt;
  return clock;
}

/** Finishes the task if its time has come. True when this call finished it. */
export function settleClock(clock: TaskClock, now: number): boolean {
  if (clock.finishedAt !== undefined) return false;
  const { polls, durationMs } = clock.progression;
  if (durationMs !== undefined && now - clock.createdAt >= durationMs) {
    clock.finishedAt = clock.createdAt + durationMs;
    return true;
  }
  if (polls !== undefined && clock.polls >= polls) {
    clock.finishedAt = now;
    return true;
  }
  return false;
}

/** One read of the task by a client. True when this read finished it. */
export function observeClock(clock: TaskClock, now: number): boolean {
  if (clock.finishedAt !== undefined) return false;
  clock.polls += 1;
  return settleClock(clock, now);
}

export function stageOf(clock: TaskClock, now: number): TaskStage {
  if (clock.finishedAt !== undefined) return "done";
  return clock.polls > 0 || now - clock.createdAt >= 1000 ? "running" : "init";
}

/** 0–100, for progress fields. */
export function percentDone(clock: TaskClock, now: number): number {
  if (clock.finishedAt !== undefined) return 100;
  const { polls, durationMs } = clock.progression;
  const byPolls = polls !== undefined && polls > 0 ? clock.polls / polls : 0;
  const byTime = durationMs !== undefined && durationMs > 0 ? (now - clock.createdAt) / durationMs : 0;
  return Math.min(99, Math.floor(Math.max(byPolls, byTime) * 100));
}
