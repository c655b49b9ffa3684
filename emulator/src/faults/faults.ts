/**
 * Injected faults, per route. A rule matches requests by service, operation, method and/or path glob,
 * and then adds latency and/or one action: a vendor error, a connection reset (before or after the
 * request is processed), a truncated or malformed body, or a rate limit answered with the vendor's
 * throttle error. `times` makes "fail N times then succeed"; `skip` lets the first N through.
 */
import { z } from "zod";
import { type Service } from "../server/router";

/** The most latency one request gets, from one rule or from several matching rules summed. */
export const MAX_LATENCY_MS = 600_000;

export const faultRuleSchema = z
  .strictObject({
    /** `cce`, `iam` or `ack`. */
    service: z.enum(["cce", "iam", "ack", "sts", "alibaba-metadata", "huawei-metadata"]).optional(),
    /** Vendor operation name, e.g. `ListAddonPrecheckTasks`. */
    operation: z.string().min(1).optional(),
    method: z.string().min(1).optional(),
    /** Path glob: `*` is one segment's characters, `**` anything. */
    path: z.string().min(1).optional(),
    /** Added latency: fixed, or uniformly random between min and max (real time). */
    latencyMs: z
      .union([
        z.number().min(0).max(MAX_LATENCY_MS),
        z.strictObject({ min: z.number().min(0), max: z.number().min(0).max(MAX_LATENCY_MS) }),
      ])
      .optional(),
    /** Answer with this status and the vendor's error body (code defaults per status). */
    error: z
      .strictObject({
        status: z.number().int().min(400).max(599),
        code: z.string().min(1).optional(),
        message: z.string().optional(),
        /** Ask the client to wait this many seconds: `Retry-After` (Huawei), `x-acs-retry-after` in ms (Alibaba). */
        retryAfterSeconds: z.number().int().min(0).max(3_600).optional(),
        /**
         * Process the request first, then answer the error instead: a gateway's 502/504 after the
         * backend made the change (the task exists though the caller saw an error).
         */
        afterProcessing: z.literal(true).optional(),
      })
      .optional(),
    /** Destroy the connection: before processing (nothing happened) or after (the change was made). */
    reset: z.union([z.literal(true), z.enum(["before", "after"])]).optional(),
    /** Process normally, then send only part of the body and close the connection. */
    truncateBody: z.literal(true).optional(),
    /** Process normally, then send a body that is not valid JSON (status and length intact). */
    malformedBody: z.literal(true).optional(),
    /** Token bucket on virtual time: past the rate, answer with the vendor's throttle error. */
    rateLimit: z
      .strictObject({
        perSecond: z.number().positive(),
        burst: z.number().int().min(1).optional(),
        /** Alibaba's throttle status; 400 by default (the historical `Throttling.User` status). */
        alibabaStatus: z.union([z.literal(400), z.literal(429), z.literal(503)]).optional(),
      })
      .optional(),
    /** Apply to this many matching requests, then stop ("fail N times then succeed"). */
    times: z.number().int().min(1).optional(),
    /** Let this many matching requests through first. */
    skip: z.number().int().min(0).optional(),
  })
  .refine(
    (r) =>
      [r.error, r.reset, r.truncateBody, r.malformedBody, r.rateLimit].filter((x) => x !== undefined)
        .length <= 1,
    { message: "choose at most one of error, reset, truncateBody, malformedBody, rateLimit" },
  )
  .refine(
    (r) =>
      r.latencyMs !== undefined ||
      r.error !== undefined ||
      r.reset !== undefined ||
      r.truncateBody !== undefined ||
      r.malformedBody !== undefined ||
      r.rateLimit !== undefined,
    { message: "a fault needs latencyMs, error, reset, truncateBody, malformedBody or rateLimit" },
  )
  .refine((r) => typeof r.latencyMs !== "object" || r.latencyMs.min <= r.latencyMs.max, {
    message: "latencyMs.min must not exceed latencyMs.max",
  });

export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type FaultRuleSpec = z.output<typeof faultRuleSchema>;

export interface FaultRule extends FaultRuleSpec {
  readonly id: string;
  /** Matching requests seen so far. */
  matched: number;
  /** Requests the rule acted on. */
  applied: number;
}

export interface RequestFacts {
  readonly service: Service;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
}

export type FaultAction =
  | {
      readonly kind: "error";
      readonly status: number;
      readonly code?: string;
      readonly message?: string;
      readonly retryAfterSeconds?: number;
      readonly afterProcessing?: true;
    }
  | { readonly kind: "throttle"; readonly limit: number; readonly alibabaStatus: number }
  | { readonly kind: "reset"; readonly after: boolean }
  | { readonly kind: "truncate" }
  | { readonly kind: "malformed" };

export interface FaultDecision {
  readonly latencyMs: number;
  readonly action: FaultAction | undefined;
  /** Ids of the rules that acted, for the request log. */
  readonly ruleIds: readonly string[];
}

const NO_FAULT: FaultDecision = { latencyMs: 0, action: undefined, ruleIds: [] };

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === "*" && glob.charAt(i + 1) === "*") {
      source += ".*";
      i++;
    } else if (c === "*") source += "[^/]*";
    else source += c.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class FaultTable {
  private rules: Array<{ rule: FaultRule; path: RegExp | undefined; bucket: Bucket | undefined }> = [];
  private nextId = 1;

  add(spec: FaultRuleSpec, now: number): FaultRule {
    const rule: FaultRule = { ...spec, id: `fault-${this.nextId++}`, matched: 0, applied: 0 };
    const bucket =
      spec.rateLimit === undefined
        ? undefined
        : {
            tokens: spec.rateLimit.burst ?? Math.max(1, Math.ceil(spec.rateLimit.perSecond)),
            updatedAt: now,
          };
    this.rules.push({ rule, path: spec.path === undefined ? undefined : globToRegExp(spec.path), bucket });
    return rule;
  }

  /** Removes one rule (true if it existed), or all when no id is given. */
  clear(id?: string): boolean {
    if (id === undefined) {
      const had = this.rules.length > 0;
      this.rules = [];
      return had;
    }
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    return this.rules.length < before;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r.rule }));
  }

  decide(facts: RequestFacts, now: number, random: () => number = Math.random): FaultDecision {
    if (this.rules.length === 0) return NO_FAULT;
    let latencyMs = 0;
    let action: FaultAction | undefined;
    const ruleIds: string[] = [];
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.service !== undefined && rule.service !== facts.service) continue;
      if (rule.operation !== undefined && rule.operation !== facts.operation) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== facts.method) continue;
      if (entry.path !== undefined && !entry.path.test(facts.path)) continue;
      rule.matched += 1;
      if (rule.skip !== undefined && rule.matched <= rule.skip) continue;
      if (rule.times !== undefined && rule.applied >= rule.times) continue;
      if (rule.rateLimit !== undefined && entry.bucket !== undefined) {
        if (this.take(entry.bucket, rule.rateLimit.perSecond, rule.rateLimit.burst, now)) continue;
        if (action === undefined) {
          action = {
            kind: "throttle",
            limit: Math.ceil(rule.rateLimit.perSecond),
            alibabaStatus: rule.rateLimit.alibabaStatus ?? 400,
          };
        }
        rule.applied += 1;
        ruleIds.push(rule.id);
        continue;
      }
      let acted = false;
      if (rule.latencyMs !== undefined) {
        latencyMs +=
          typeof rule.latencyMs === "number"
            ? rule.latencyMs
            : rule.latencyMs.min + random() * (rule.latencyMs.max - rule.latencyMs.min);
        acted = true;
      }
      if (action === undefined) {
        const next = this.actionOf(rule);
        if (next !== undefined) {
          action = next;
          acted = true;
        }
      }
      if (acted) {
        rule.applied += 1;
        ruleIds.push(rule.id);
      }
    }
    return ruleIds.length === 0
      ? NO_FAULT
      : { latencyMs: Math.min(latencyMs, MAX_LATENCY_MS), action, ruleIds };
  }

  private actionOf(rule: FaultRule): FaultAction | undefined {
    if (rule.error !== undefined) {
      return {
        kind: "error",
        status: rule.error.status,
        ...(rule.error.code === undefined ? {} : { code: rule.error.code }),
        ...(rule.error.message === undefined ? {} : { message: rule.error.message }),
        ...(rule.error.retryAfterSeconds === undefined
          ? {}
          : { retryAfterSeconds: rule.error.retryAfterSeconds }),
        ...(rule.error.afterProcessing === true ? { afterProcessing: true as const } : {}),
      };
    }
    if (rule.reset !== undefined) return { kind: "reset", after: rule.reset === "after" };
    if (rule.truncateBody === true) return { kind: "truncate" };
    if (rule.malformedBody === true) return { kind: "malformed" };
    return undefined;
  }

  private take(bucket: Bucket, perSecond: number, burst: number | undefined, now: number): boolean {
    const capacity = burst ?? Math.max(1, Math.ceil(perSecond));
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * perSecond) / 1000);
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    return false;
  }
}
