/**
 * The one place where what the provider hands back to Pulumi is redacted. Resources echo vendor
 * text (a precheck's message, a finding's description, a failed task's error) into their outputs,
 * which the engine writes to the state, and into errors, which the CLI prints; data-function results
 * become stack outputs. The cloud may quote a credential in that text (a kubelet config, an add-on's
 * values), so every string of an output, a data-function result and an error passes through
 * `redact` here, at the boundary, instead of at each of the places that copy vendor text.
 */
import { errorChain, rewriteErrorText } from "../../internal/error-text";
import { redact, redactDeep } from "../../internal/redact";
import { PartialCreateError } from "./errors";
import { type PropertyMap, PROVIDER_KEY, type ResourceLifecycle } from "./types";

/**
 * `props` with every string redacted, except the serialized provider: it is code the SDK wrote
 * (never vendor text), and a shape rule rewriting it would break every later refresh and delete.
 */
export function redactProperties<T extends PropertyMap | undefined>(props: T): T {
  if (props === undefined) return props;
  const { [PROVIDER_KEY]: provider, ...rest } = props;
  return { ...redactDeep(rest), ...(provider === undefined ? {} : { [PROVIDER_KEY]: provider }) } as T;
}

/**
 * `error` with its text redacted, in place (`rewriteErrorText`: message, stack and every own string
 * field, along the causes), and a partial create's recorded properties and reasons. An
 * upgrade-guard error's own message is redacted when it is built; a plain `Error` built from vendor
 * text, or a cause from a library, is not.
 */
export function redactError<E>(error: E): E {
  rewriteErrorText(error, redact);
  for (const link of errorChain(error)) {
    if (!(link instanceof PartialCreateError)) continue;
    const redacted = redactProperties(link.properties);
    for (const key of Object.keys(link.properties)) Reflect.deleteProperty(link.properties, key);
    Object.assign(link.properties, redacted);
    link.reasons.splice(0, link.reasons.length, ...link.reasons.map(redact));
  }
  return error;
}

/** Runs `call`, redacting its error on the way out. */
async function redactingErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw redactError(error);
  }
}

/**
 * The lifecycle steps with their outputs and errors redacted: `create` and `update` outputs,
 * `read` properties, and every step's error (see the module comment).
 */
export function redactingSteps(
  steps: Pick<ResourceLifecycle, "create" | "read" | "update" | "delete">,
): Pick<ResourceLifecycle, "create" | "read" | "update" | "delete"> {
  return {
    create: (inputs) =>
      redactingErrors(async () => {
        const result = await steps.create(inputs);
        return { ...result, outs: redactProperties(result.outs) };
      }),
    read: (id, props) =>
      redactingErrors(async () => {
        const result = await steps.read(id, props);
        return result.props === undefined ? result : { ...result, props: redactProperties(result.props) };
      }),
    update: (id, olds, news) =>
      redactingErrors(async () => {
        const result = await steps.update(id, olds, news);
        return { ...result, outs: redactProperties(result.outs) };
      }),
    delete: (id, props) => redactingErrors(() => steps.delete(id, props)),
  };
}

/** A data function's result redacted, and its error (see the module comment). */
export function redactingResult<T>(call: () => Promise<T>): Promise<T> {
  return redactingErrors(async () => redactDeep(await call()));
}
