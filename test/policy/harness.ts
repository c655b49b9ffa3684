/**
 * Three ways to run upgrade-guard's policies in tests, cheapest first (docs/pulumi-mechanics.md#testing-without-the-cli):
 * 1. `validateDirect`: call a policy's `validateResource` with props wrapped in the policy SDK's own
 *    `unknownCheckingProxy`, collecting violations (like pulumi-policy's tests/util.ts);
 * 2. `InProcessAnalyzer`: the policy SDK's real Analyze / AnalyzeStack handlers
 *    (`@pulumi/policy/server`), fed protobuf requests, giving the real not-applicable, unknown and
 *    enforcement-level behaviour without a process;
 * 3. the real `cmd/run-policy-pack` process over gRPC: see test/helpers/plugins.ts.
 */
import {
  type EnforcementLevel,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type Policies,
  unknownCheckingProxy,
} from "@pulumi/policy";
import { analyzerPb, structPb } from "../helpers/plugins";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server");

/** The engine's wire sentinel for any value unknown during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface Violation {
  readonly message: string;
  /** Set when the policy reported with the object form (its own level); else the policy's level. */
  readonly enforcementLevel?: EnforcementLevel;
}

export interface DirectResult {
  readonly violations: Violation[];
  /** The reason passed to `args.notApplicable`, when the policy declined the resource. */
  readonly notApplicable?: string;
}

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

export interface ResourceUnderTest {
  readonly type: string;
  readonly props: Record<string, unknown>;
  readonly name?: string;
  readonly urn?: string;
  /** What `args.getConfig()` returns (the engine's configured properties). */
  readonly config?: Record<string, unknown>;
}

/** Calls `validateResource` directly, with the SDK's unknown-checking proxy around the props. */
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
    urn: resource.urn ?? `urn:pulumi:dev::proj::${resource.type}::${name}`,
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

export interface Diagnostic {
  readonly policyName: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
  readonly message: string;
  readonly urn: string;
}

export interface AnalyzeResult {
  readonly diagnostics: Diagnostic[];
  readonly notApplicable: { policyName: string; reason: string }[];
}

const LEVELS: Record<number, Diagnostic["enforcementLevel"]> = {
  0: "advisory",
  1: "mandatory",
  2: "disabled",
  3: "remediate",
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readAnalyzeResponse(response: any): AnalyzeResult {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    diagnostics: response.getDiagnosticsList().map((d: any) => ({
      policyName: d.getPolicyname(),
      enforcementLevel: LEVELS[d.getEnforcementlevel() as number] ?? "advisory",
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

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:dev::proj::${type}::${name}`;
}

/** An `AnalyzeRequest` as the engine sends it (options set: the SDK refuses requests without). */
/** The provider resource of an analyzed resource, as the engine sends it. */
export interface ProviderUnderTest {
  /** e.g. `pulumi:providers:alicloud`. */
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
}

export function analyzeRequest(
  type: string,
  name: string,
  props: Record<string, unknown>,
  provider?: ProviderUnderTest,
): unknown {
  const request = new analyzerPb.AnalyzeRequest();
  request.setType(type);
  request.setName(name);
  request.setUrn(urnOf(type, name));
  request.setProperties(structPb.Struct.fromJavaScript(props));
  request.setOptions(new analyzerPb.AnalyzerResourceOptions());
  if (provider !== undefined) {
    const resource = new analyzerPb.AnalyzerProviderResource();
    resource.setType(provider.type);
    resource.setName(provider.name);
    resource.setUrn(urnOf(provider.type, provider.name));
    resource.setProperties(structPb.Struct.fromJavaScript(provider.props));
    request.setProvider(resource);
  }
  return request;
}

/** An `AnalyzeStackRequest` over resources with their outputs. */
export function analyzeStackRequest(
  resources: readonly { type: string; name: string; props: Record<string, unknown> }[],
): unknown {
  const request = new analyzerPb.AnalyzeStackRequest();
  request.setResourcesList(
    resources.map((r) => {
      const resource = new analyzerPb.AnalyzerResource();
      resource.setType(r.type);
      resource.setName(r.name);
      resource.setUrn(urnOf(r.type, r.name));
      resource.setProperties(structPb.Struct.fromJavaScript(r.props));
      resource.setOptions(new analyzerPb.AnalyzerResourceOptions());
      return resource;
    }),
  );
  return request;
}

/** The policy SDK's own Analyze and AnalyzeStack handlers, in this process. */
export class InProcessAnalyzer {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly analyzeFn: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly analyzeStackFn: any;

  constructor(policies: Policies, packName = "upgrade-guard-test", version = "0.0.0") {
    this.analyzeFn = server.makeAnalyzeRpcFun(packName, version, "advisory", policies);
    this.analyzeStackFn = server.makeAnalyzeStackRpcFun(packName, version, "advisory", policies);
  }

  analyze(
    type: string,
    name: string,
    props: Record<string, unknown>,
    provider?: ProviderUnderTest,
  ): Promise<AnalyzeResult> {
    return this.call(this.analyzeFn, analyzeRequest(type, name, props, provider));
  }

  analyzeStack(
    resources: readonly { type: string; name: string; props: Record<string, unknown> }[],
  ): Promise<AnalyzeResult> {
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
