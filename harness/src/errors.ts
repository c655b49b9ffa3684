/**
 * A project, stack, pack or configuration problem the user fixes by editing a file or a flag
 * (exit 2, bad usage, in the CLI). Everything else a run hits is reported in its result (exit 3).
 */
export class ProjectError extends Error {
  override readonly name = "ProjectError";
}
