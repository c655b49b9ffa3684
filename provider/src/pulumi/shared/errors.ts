/**
 * The error a dynamic provider throws when the vendor ACCEPTED a task but the resource could not
 * finish (the wait timed out, was aborted, or the task failed). The Pulumi dynamic-provider host
 * turns an error carrying `id`, `properties` and `reasons` into `ErrorResourceInitFailed`, so the
 * engine records the resource with that id instead of forgetting it: nothing is orphaned, and the
 * next `pulumi up` resumes it through `update` rather than starting a duplicate.
 */
import { type ErrorCode, type InputIssue, UpgradeGuardError } from "../../errors";
import { type PropertyMap } from "./types";

/** A create that the vendor accepted but that did not finish (see the module comment). */
export class PartialCreateError extends UpgradeGuardError {
  /** The vendor task id, recorded as the resource id. */
  readonly id: string;
  /** The outputs known so far (stored in state as the resource's outputs). */
  readonly properties: PropertyMap;
  /** Why the resource did not finish, one sentence each. */
  readonly reasons: string[];

  constructor(id: string, properties: PropertyMap, cause: unknown, hint: string) {
    const code: ErrorCode = UpgradeGuardError.isInstance(cause) ? cause.code : "WAIT_FAILED";
    const said = cause instanceof Error ? cause.message : String(cause);
    super(code, `${said} The task ${id} was started and is recorded in the state; ${hint}`, { cause });
    this.id = id;
    this.properties = properties;
    this.reasons = [this.message];
  }
}

/**
 * The outputs recorded in the Pulumi state (what `read`, `update` and `delete` get back) do not have
 * the shape the resource writes, e.g. after a hand edit: names every bad field instead of guessing a
 * default. Code `INPUT_INVALID`: the state is what the provider was handed.
 */
export class StateError extends UpgradeGuardError {
  /** One entry per bad field: its property path (`gate.verdict`) and what is wrong with it. */
  readonly issues: readonly InputIssue[];

  constructor(resource: string, issues: readonly InputIssue[]) {
    const list = issues.map((issue) => `  - ${issue.path || "(outputs)"}: ${issue.message}`).join("\n");
    super(
      "INPUT_INVALID",
      `${resource}: the outputs recorded in the Pulumi state are malformed\n${list}\n` +
        "Correct them with `pulumi state edit`, or remove the resource from the state with `pulumi state delete <urn>`.",
    );
    this.issues = issues;
  }
}
