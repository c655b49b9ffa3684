/**
 * upgrade-guard example: a consumer stack. It reads the `readiness` output of another stack (the
 * producer, e.g. examples/readiness) through a StackReference and keeps only the entries
 * `readinessFromStack` accepts: well-formed, consistent, fresh and not expired. The others are
 * exported with the reason, never dropped.
 *
 * Configuration (`consumer:` namespace): `producer`, the producer's stack (`readiness/dev`,
 * `organization/readiness/dev`); `maxAgeMinutes` (optional, default 60), how old a reading may be.
 */
import * as pulumi from "@pulumi/pulumi";
import { readinessFromStack } from "@upgrade-guard/sdk";

const config = new pulumi.Config();
const producer = new pulumi.StackReference(config.require("producer"));
const maxAgeMinutes = config.getNumber("maxAgeMinutes", { min: 0 });

const readiness = readinessFromStack(producer, {
  ...(maxAgeMinutes === undefined ? {} : { maxAgeMs: maxAgeMinutes * 60_000 }),
});

/** Entries to act on, by cluster name; `allowed` says whether that cluster's upgrade may proceed. */
export const accepted = readiness.accepted;
/** Entries not to act on, by cluster name, with every reason. */
export const refused = readiness.refused;
