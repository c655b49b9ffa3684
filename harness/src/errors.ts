/**
 * The two ways a run fails before any policy is asked, as the CLI's exit codes tell them apart:
 * `ProjectError` (2, bad usage: a project, stack or config file to fix) and `EngineError` (3, the
 * program or an engine step failed).
 */

/** A project, stack or configuration problem the user fixes by editing a file or a flag. */
export class ProjectError extends Error {
  override readonly name = "ProjectError";
}

/** The program, a plugin or the engine's own work failed. */
export class EngineError extends Error {
  override readonly name = "EngineError";
}
