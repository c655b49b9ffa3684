/**
 * Identifier shapes of each cloud. Scenario objects get ids derived from their names, so a cluster
 * keeps its id across restarts and a Pulumi stack pointed at the emulator stays valid; tasks created
 * at run time get random ids.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";

function digest(seed: string): string {
  return createHash("sha256").update(seed).digest("hex");
}

function uuidFromHex(hex: string): string {
  // Version-4 layout so strict UUID validators accept it.
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** CCE-style UUID (clusters, tasks, workflows, add-on instances). */
export function uuid(seed?: string): string {
  return seed === undefined ? randomUUID() : uuidFromHex(digest(seed));
}

/** ACK cluster id: `c` + 32 hex. */
export function ackClusterId(seed?: string): string {
  return `c${seed === undefined ? randomBytes(16).toString("hex") : digest(seed).slice(0, 32)}`;
}

/** ACK task id: `T-` + 24 hex (`T-5faa48fb31b6b8078d000006`). */
export function ackTaskId(seed?: string): string {
  return `T-${seed === undefined ? randomBytes(12).toString("hex") : digest(seed).slice(0, 24)}`;
}

/** ACK check id: `<unix-nanos>-<cluster_id>-clustercheck-<5 lowercase>`. */
export function ackCheckId(clusterId: string, createdAtMs: number, seed?: string): string {
  const source = seed === undefined ? randomBytes(5) : Buffer.from(digest(seed).slice(0, 10), "hex");
  const suffix = Array.from(source, (b) => String.fromCharCode(97 + (b % 26))).join("");
  return `${BigInt(Math.trunc(createdAtMs)) * 1_000_000n}-${clusterId}-clustercheck-${suffix}`;
}

/** Huawei request id: 32 lowercase hex. */
export function huaweiRequestId(): string {
  return randomUUID().replace(/-/g, "");
}

/** Alibaba request id: upper-case UUID. */
export function alibabaRequestId(): string {
  return randomUUID().toUpperCase();
}

/** 32-hex id (projects, domains, users) derived from a seed. */
export function hexId(seed: string): string {
  return digest(seed).slice(0, 32);
}

/** An opaque IAM token (real ones are long base64 blobs starting `MII`). */
export function iamToken(): string {
  return `MIIugemu${randomBytes(96).toString("base64url")}`;
}
