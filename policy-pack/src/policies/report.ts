/**
 * Reporting helpers shared by the policies.
 *
 * A policy's violations carry the policy's configured enforcement level. Two kinds of notes must
 * stay advisory even inside a mandatory policy: "a waiver was applied" (the issue asks that every
 * applied waiver be printed, and a passing resource has no violation to print it in) and "an unknown
 * value was let through because allowUnknownInPreview is on". The policy SDK's server accepts an
 * object `{ message, enforcementLevel }` for exactly this (pulumi-policy `server.ts`
 * `makeReportViolationFun`); its TypeScript type is still `(message, urn?)`, so the object form is
 * wrapped here, in ONE place, and pinned by the real-analyzer tests (an SDK upgrade that dropped it
 * would fail them).
 */
import { type EnforcementLevel, type ReportViolation } from "@pulumi/policy";
import { type PolicyName } from "./metadata";

/** The object form of a violation that the policy SDK's server honours (see the module comment). */
interface LeveledViolation {
  readonly name: string;
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
}

/** Reports a note at a fixed level (normally `advisory`), whatever the policy's own level. */
export function reportAtLevel(
  report: ReportViolation,
  policyName: PolicyName,
  message: string,
  enforcementLevel: EnforcementLevel,
): void {
  const violation: LeveledViolation = { name: policyName, message, enforcementLevel };
  (report as unknown as (violation: LeveledViolation) => void)(violation);
}

/** An error's message without a stack, for violation text. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
