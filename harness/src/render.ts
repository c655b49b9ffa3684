/**
 * The text `pulumi preview` and `pulumi up` print, for a `DeploymentResult`: the resource plan,
 * then a `Policies:` block with each violation, its level and message, then the counts.
 */
import { type DeploymentResult, type Operation, type PolicyViolation } from "./engine";

const SYMBOLS: Record<Operation, string> = {
  create: "+",
  update: "~",
  replace: "+-",
  delete: "-",
  same: " ",
  read: ">",
};
const VERBS: Record<Operation, string> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
  same: "",
  read: "read",
};
const PAST: Record<Operation, string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  same: "unchanged",
  read: "read",
};

function nameOf(urn: string | undefined): string {
  return urn === undefined ? "" : (urn.split("::").pop() ?? urn);
}

function policyLines(violations: readonly PolicyViolation[]): string[] {
  if (violations.length === 0) return [];
  const lines = ["", "Policies:"];
  const packs = new Map<string, PolicyViolation[]>();
  for (const violation of violations) {
    const key = `${violation.policyPack}@v${violation.policyPackVersion}`;
    packs.set(key, [...(packs.get(key) ?? []), violation]);
  }
  for (const [pack, list] of packs) {
    const failed = list.some((violation) => violation.level === "mandatory");
    lines.push(`    ${failed ? "x" : "!"} ${pack}`);
    for (const violation of list) {
      const where = violation.urn === undefined ? "" : `  (${nameOf(violation.urn)})`;
      lines.push(`        - [${violation.level}]  ${violation.policyName}${where}`);
      for (const line of violation.message.split("\n")) lines.push(`          ${line}`);
    }
  }
  return lines;
}

/** The human-readable report of a preview or an up. */
export function renderDeployment(result: DeploymentResult): string {
  const preview = result.kind === "preview";
  const lines = [`${preview ? "Previewing update" : "Updating"} (${result.project}/${result.stack}):`, ""];
  const typeWidth = Math.max(4, ...result.steps.map((step) => step.type.length));
  lines.push(`     ${"Type".padEnd(typeWidth)}  ${"Name".padEnd(24)}  ${preview ? "Plan" : "Status"}`);
  for (const step of result.steps) {
    const status = preview ? VERBS[step.op] : step.op === "same" ? "" : PAST[step.op];
    const note = step.note === undefined ? "" : `  (${step.note})`;
    const diffs =
      step.diffs === undefined || step.diffs.length === 0 ? "" : `  [diff: ${step.diffs.join(", ")}]`;
    lines.push(
      ` ${SYMBOLS[step.op].padEnd(3)} ${step.type.padEnd(typeWidth)}  ${step.name.padEnd(24)}  ${status}${diffs}${note}`,
    );
  }
  const messages = result.diagnostics.filter(
    (diagnostic) => diagnostic.severity !== "info" || diagnostic.urn !== undefined,
  );
  if (messages.length > 0) {
    lines.push("", "Diagnostics:");
    for (const diagnostic of messages) {
      lines.push(
        `  ${diagnostic.urn === undefined ? "" : `${nameOf(diagnostic.urn)}: `}${diagnostic.severity}: ${diagnostic.message.trim()}`,
      );
    }
  }
  lines.push(...policyLines(result.policies));
  if (Object.keys(result.outputs).length + result.unknownOutputs.length > 0) {
    lines.push("", "Outputs:");
    for (const [key, value] of Object.entries(result.outputs))
      lines.push(`    ${key}: ${JSON.stringify(value)}`);
    for (const key of result.unknownOutputs) lines.push(`    ${key}: output<unknown> (known after up)`);
  }
  const counts = new Map<Operation, number>();
  for (const step of result.steps) counts.set(step.op, (counts.get(step.op) ?? 0) + 1);
  lines.push("", "Resources:");
  for (const [op, count] of counts) {
    if (op === "read") continue;
    lines.push(
      `    ${SYMBOLS[op].trim() === "" ? " " : SYMBOLS[op]} ${count} ${preview && op !== "same" ? `to ${VERBS[op]}` : PAST[op]}`,
    );
  }
  if (result.error !== undefined) lines.push("", `error: ${result.error}`);
  if (result.blocked) {
    lines.push(
      "",
      `error: ${preview ? "preview" : "update"} failed: a mandatory policy was violated (see Policies)`,
    );
  }
  return `${lines.join("\n")}\n`;
}
