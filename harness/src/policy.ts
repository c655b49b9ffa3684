/**
 * CrossGuard policies run without the Pulumi CLI, in process. Two tiers, cheapest first (the third,
 * the real `cmd/run-policy-pack` process over gRPC, is `startPolicyPack` in ./plugins):
 * 1. `validateDirect`: a policy's own `validateResource`, with the props wrapped in the policy SDK's
 *    `unknownCheckingProxy` as the SDK wraps them (as pulumi-policy's tests/util.ts does): raw objects
 *    would hide the unknown-value handling a preview exercises;
 * 2. `InProcessAnalyzer`: the policy SDK's real Analyze and AnalyzeStack handlers
 *    (`@pulumi/policy/server`), fed the protobuf requests the engine sends, so the SDK's own
 *    not-applicable, unknown-value and enforcement-level behaviour runs, without a process.
 * Neither sends the pack's configuration the way the CLI does (Configure is a call to the process);
 * `cliPolicyConfig` computes what the CLI would send, to build a policy with.
 */
import {
  type EnforcementLevel,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type Policies,
  unknownCheckingProxy,
} from "@pulumi/policy";
import { levelName } from "./pack-config";
import { analyzerPb, structPb } from "./plugins";

// Internal to the policy SDK (no declarations): the handlers its gRPC server registers.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server");

/** One violation a policy reported through `reportViolation`. */
export interface Violation {
  readonly message: string;
  /** Set when the policy reported with the object form (its own level); else the policy's level. */
  readonly enforcementLevel?: EnforcementLevel;
}

/** What `validateDirect` saw the policy do. */
export interface DirectResult {
  readonly violations: Violation[];
  /** The reason passed to `args.notApplicable`, when the policy declined the resource. */
  readonly notApplicable?: string;
}

/** Thrown by the stand-in `args.notApplicable`, which must not return (the SDK's does not either). */
class NotApplicableSignal extends Error {
  constructor(readonly reason: string | undefined) {
    super(reason ?? "not applicable");
  }
}

/**
 * The configuration the Pulumi CLI sends with Configure for one policy (pulumi/pulumi
 * `createConfigWithDefaults` then the file's entry): every property with a `default` in the
 * policy's published `configSchema`, then the `--policy-pack-config` file's values for that policy,
 * each replacing the default of the same key whole. The enforcement level is not a property.
 * A test that builds a policy from this sees the configuration a user's file really produces.
 */
export function cliPolicyConfig(
  policy: Pick<ResourceValidationPolicy, "configSchema">,
  fileEntry: Record<string, unknown> = {},
): Record<string, unknown> {
  const defaults = Object.entries(policy.configSchema?.properties ?? {}).flatMap(([key, property]) =>
    (property as { default?: unknown }).default === undefined
      ? []
      : [[key, structuredClone((property as { default?: unknown }).default)] as const],
  );
  const { enforcementLevel: _level, ...fromFile } = fileEntry;
  return { ...Object.fromEntries(defaults), ...fromFile };
}

/** The resource `validateDirect` hands a policy. */
export interface ResourceUnderTest {
  readonly type: string;
  readonly props: Record<string, unknown>;
  /** Default `r`. */
  readonly name?: string;
  /** Default `urnOf(type, name)`. */
  readonly urn?: string;
  /** What `args.getConfig()` returns (the engine's configured properties). */
  readonly config?: Record<string, unknown>;
}

/**
 * Calls a policy's `validateResource` (each of them, when it is a list) directly, with the SDK's
 * unknown-checking proxy around the props: touching an unknown value throws the SDK's
 * `UnknownValueError`, as in a preview, and the error reaches the caller.
 */
export async function validateDirect(
  policy: ResourceValidationPolicy,
  resource: ResourceUnderTest,
): Promise<DirectResult> {
  const violations: Violation[] = [];
  const props = unknownCheckingProxy(resource.props) as Record<string, unknown>;
  const name = resource.name ?? "r";
  const args = {
    type: resource.type,
    props,
    urn: resource.urn ?? urnOf(resource.type, name),
    name,
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: {}, additionalSecretOutputs: [] },
    stackTags: new Map<string, string>(),
    isType: () => false,
    asType: () => undefined,
    getConfig: () => ({ ...(resource.config ?? {}) }),
    notApplicable: (reason?: string): never => {
      throw new NotApplicableSignal(reason);
    },
  } as unknown as ResourceValidationArgs;
  const report = (message: unknown): void => {
    if (typeof message === "object" && message !== null) {
      const info = message as { message?: string; enforcementLevel?: EnforcementLevel };
      violations.push({
        message: info.message ?? "",
        ...(info.enforcementLevel === undefined ? {} : { enforcementLevel: info.enforcementLevel }),
      });
    } else {
      violations.push({ message: String(message) });
    }
  };
  const validations = Array.isArray(policy.validateResource)
    ? policy.validateResource
    : policy.validateResource === undefined
      ? []
      : [policy.validateResource];
  try {
    for (const validate of validations) await validate(args, report as never);
  } catch (error) {
    if (error instanceof NotApplicableSignal) {
      return { violations, ...(error.reason === undefined ? {} : { notApplicable: error.reason }) };
    }
    throw error;
  }
  return { violations };
}

/** One diagnostic of an AnalyzeResponse, as the CLI would print it. */
export interface Diagnostic {
  readonly policyName: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
  readonly message: string;
  readonly urn: string;
}

/** An AnalyzeResponse read into plain objects. */
export interface AnalyzeResult {
  readonly diagnostics: Diagnostic[];
  /** The policies that declined the resource (`args.notApplicable`), with their reasons. */
  readonly notApplicable: { policyName: string; reason: string }[];
}

/**
 * Reads an `AnalyzeResponse` (from the in-process handlers or the real process alike) into plain
 * objects, so both tiers are asserted the same way.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readAnalyzeResponse(response: any): AnalyzeResult {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    diagnostics: response.getDiagnosticsList().map((d: any) => ({
      policyName: d.getPolicyname(),
      enforcementLevel: levelName(d.getEnforcementlevel() as number),
      message: d.getMessage(),
      urn: d.getUrn(),
    })),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    notApplicable: response.getNotApplicableList().map((n: any) => ({
      policyName: n.getPolicyName(),
      reason: n.getReason(),
    })),
  };
}

/** The URN the requests here give a resource: stack `dev`, project `proj`. */
export function urnOf(type: string, name: string): string {
  return `urn:pulumi:dev::proj::${type}::${name}`;
}

/** The provider resource of an analyzed resource, as the engine sends it. */
export interface ProviderUnderTest {
  /** e.g. `pulumi:providers:alicloud`. */
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  /** Default: `urnOf(type, name)`. */
  readonly urn?: string;
}

/** A resource of an `AnalyzeStackRequest`: its type, name and outputs. */
export interface StackResourceUnderTest {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  /** Default: `urnOf(type, name)`. */
  readonly urn?: string;
}

/**
 * An `AnalyzeRequest` as the engine sends it during preview or update. Its `options` are always set:
 * the policy SDK refuses a request without them, and the engine never sends one.
 */
export function analyzeRequest(
  type: string,
  name: string,
  props: Record<string, unknown>,
  provider?: ProviderUnderTest,
  urn: string = urnOf(type, name),
): unknown {
  const request = new analyzerPb.AnalyzeRequest();
  request.setType(type);
  request.setName(name);
  request.setUrn(urn);
  request.setProperties(structPb.Struct.fromJavaScript(props));
  request.setOptions(new analyzerPb.AnalyzerResourceOptions());
  if (provider !== undefined) {
    const resource = new analyzerPb.AnalyzerProviderResource();
    resource.setType(provider.type);
    resource.setName(provider.name);
    resource.setUrn(provider.urn ?? urnOf(provider.type, provider.name));
    resource.setProperties(structPb.Struct.fromJavaScript(provider.props));
    request.setProvider(resource);
  }
  return request;
}

/** An `AnalyzeStackRequest` over resources with their outputs, as the engine sends it after an update. */
export function analyzeStackRequest(resources: readonly StackResourceUnderTest[]): unknown {
  const request = new analyzerPb.AnalyzeStackRequest();
  request.setResourcesList(
    resources.map((r) => {
      const resource = new analyzerPb.AnalyzerResource();
      resource.setType(r.type);
      resource.setName(r.name);
      resource.setUrn(r.urn ?? urnOf(r.type, r.name));
      resource.setProperties(structPb.Struct.fromJavaScript(r.props));
      resource.setOptions(new analyzerPb.AnalyzerResourceOptions());
      return resource;
    }),
  );
  return request;
}

/**
 * The policy SDK's own Analyze and AnalyzeStack handlers, in this process: the behaviour of the real
 * analyzer (not-applicable, unknown values, enforcement levels) without starting one. The policies
 * are the ones given, already configured (Configure does not exist here); the pack's default level is
 * advisory, as for a pack that states none.
 */
export class InProcessAnalyzer {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly analyzeFn: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly analyzeStackFn: any;

  constructor(policies: Policies, packName = "upgrade-guard-test", version = "0.0.0") {
    this.analyzeFn = server.makeAnalyzeRpcFun(packName, version, "advisory", policies);
    this.analyzeStackFn = server.makeAnalyzeStackRpcFun(packName, version, "advisory", policies);
  }

  /** Analyze: one resource during preview or update, with its inputs (and its provider's). */
  analyze(
    type: string,
    name: string,
    props: Record<string, unknown>,
    provider?: ProviderUnderTest,
  ): Promise<AnalyzeResult> {
    return this.call(this.analyzeFn, analyzeRequest(type, name, props, provider));
  }

  /** AnalyzeStack: every resource after an update, with its outputs. */
  analyzeStack(resources: readonly StackResourceUnderTest[]): Promise<AnalyzeResult> {
    return this.call(this.analyzeStackFn, analyzeStackRequest(resources));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private call(fn: any, request: unknown): Promise<AnalyzeResult> {
    return new Promise((resolve, reject) => {
      fn({ request }, (error: Error | null | undefined, response: unknown) =>
        error ? reject(error) : resolve(readAnalyzeResponse(response)),
      );
    });
  }
}
