/** Argument validators shared by the public methods of both clients. */
import { z } from "zod";
import { parseVersion } from "../../internal/versions";

/**
 * A vendor id (cluster, task, check, workflow): non-empty, no surrounding spaces, sane length, and
 * not `.` or `..`: percent-encoding leaves dots alone, so such an id would be a dot-segment that URL
 * normalisation removes (RFC 3986 §5.2.4) and the request would go to, and be signed for, another path.
 */
export const resourceId = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .max(256, { error: "is longer than 256 characters" })
  .refine((value) => value.trim() === value, { error: "must not start or end with spaces" })
  .refine((value) => value !== "." && value !== "..", {
    error: 'must not be "." or ".." (a URL path segment); pass the id the cloud console shows',
  });

/** A Kubernetes version as the clouds write it: `v1.29`, `v1.28.3-r0`, `1.32.1-aliyun.1`. */
export const kubernetesVersion = z
  .string({ error: "must be a string" })
  .refine((value) => parseVersion(value) !== undefined, {
    error: "is not a version like v1.29, v1.28.3-r0 or 1.32.1-aliyun.1",
  });

/** A non-empty free-form string (add-on versions, names). */
export const nonEmpty = z.string({ error: "must be a string" }).min(1, { error: "must not be empty" });

/** The arguments of an operation on one cluster, both clouds: `{ clusterId }`. */
export const clusterArgs = z.strictObject({ clusterId: resourceId });
export type ClusterArgs = z.input<typeof clusterArgs>;

/** The optional second argument of every method. */
export interface CallOptions {
  /** Aborts the request (and any wait between retries). */
  readonly signal?: AbortSignal;
}
