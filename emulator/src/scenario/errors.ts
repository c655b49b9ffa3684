/** A scenario that cannot be loaded; the message lists every problem with its path. */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
}
