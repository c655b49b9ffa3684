/** How the resources tell vendor refusals apart (shared by the resource modules only). */
import { type ApiError, UpgradeGuardError } from "../../errors";

/** True when the vendor refused the call because of the resource's state (an `ApiError` of category `conflict`). */
export function isConflict(error: unknown): boolean {
  return UpgradeGuardError.isInstance(error) && (error as Partial<ApiError>).category === "conflict";
}
