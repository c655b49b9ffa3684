/**
 * Where a resource lives. A resource whose region (or CCE project) is not an input goes where the
 * stack configuration or the environment says at create. That can change later (another machine,
 * another `upgrade-guard:region`), and a refresh or delete sent there gets a 403 or 404 for a task
 * that exists. So:
 *
 * - create records where its calls went as the `location` output (also in a partial create);
 * - read, update and delete go to the recorded location: their steps see it as the resource's
 *   `region` and `projectId`, while the outputs keep the inputs as the program gave them; a
 *   refusal or "not found" there, while the configuration points elsewhere, says where it went;
 * - diff compares places, not spellings: the program's place (its input, else what the
 *   configuration resolves to now; inputs that name the whole place need no configuration)
 *   against the recorded one. A different place replaces the
 *   resource, as a changed `region` input always did; the same place spelled out (the input now
 *   names the configured region) is an in-place update that records the input, nothing more.
 *
 * State written before `location` existed goes where the configuration says, as before, and the
 * first refresh or update records it.
 */
import {
  type CceLocation,
  type ResolvedLocation,
  resolveLocation,
  resolvedLocationSchema,
} from "../shared/common";
import { ApiError } from "../../errors";
import { PartialCreateError } from "../shared/errors";
import { type DiffResult, type PropertyMap, type ResourceLifecycle, UNKNOWN } from "../shared/types";

/** The vendor whose configuration places a resource. */
export type Vendor = "CCE" | "ACK";

type Steps = Pick<ResourceLifecycle, "create" | "read" | "update" | "delete">;

/** The output key of the recorded location. */
const LOCATION_KEY = "location";

/** The location inputs a vendor has: ACK has no project. */
function keysOf(vendor: Vendor): ReadonlyArray<"region" | "projectId"> {
  return vendor === "CCE" ? ["region", "projectId"] : ["region"];
}

/** The recorded location, if the record has a readable one (a bad one is the step's to report). */
export function recordedLocation(props: PropertyMap | undefined): ResolvedLocation | undefined {
  const parsed = resolvedLocationSchema.safeParse(props?.[LOCATION_KEY]);
  return parsed.success ? parsed.data : undefined;
}

/** The location inputs of `props` that are set (strings; an unknown is not a place yet). */
function explicitOf(vendor: Vendor, props: PropertyMap | undefined): CceLocation {
  const out: { region?: string; projectId?: string } = {};
  for (const key of keysOf(vendor)) {
    const value = props?.[key];
    if (typeof value === "string" && value !== UNKNOWN) out[key] = value;
  }
  return out;
}

/** `props` with each location input it lacks taken from `recorded`: where the steps' calls go. */
function placedAt(vendor: Vendor, props: PropertyMap, recorded: ResolvedLocation | undefined): PropertyMap {
  if (recorded === undefined) return props;
  const placed: PropertyMap = { ...props };
  for (const key of keysOf(vendor)) {
    const value = recorded[key];
    if (props[key] === undefined && value !== undefined) placed[key] = value;
  }
  return placed;
}

/**
 * What a step wrote, with the location inputs as the program gave them (`given`), not as the
 * steps saw them, and the location recorded.
 */
function withLocation(
  vendor: Vendor,
  outs: PropertyMap,
  given: PropertyMap | undefined,
  location: ResolvedLocation,
): PropertyMap {
  const out: PropertyMap = { ...outs };
  for (const key of keysOf(vendor)) {
    const value = given?.[key];
    if (value === undefined) Reflect.deleteProperty(out, key);
    else out[key] = value;
  }
  out[LOCATION_KEY] = vendor === "CCE" ? { ...location } : { region: location.region };
  return out;
}

/** A place as a message names it: `region cn-north-4, project 0a0a...`. */
function describePlace(place: ResolvedLocation): string {
  return `region ${place.region}${place.projectId === undefined ? "" : `, project ${place.projectId}`}`;
}

/**
 * `error`, noting where the call went when the vendor refused it or did not find the resource
 * at its recorded location while the configuration now points elsewhere: the vendor's message
 * names neither place, and the user looks where the configuration says.
 */
function explainedAt(
  vendor: Vendor,
  error: unknown,
  given: PropertyMap | undefined,
  recorded: ResolvedLocation | undefined,
): unknown {
  if (recorded === undefined || !(error instanceof ApiError)) return error;
  if (error.category !== "auth" && error.category !== "notFound") return error;
  const now = placeOf(vendor, given ?? {});
  if (now !== undefined && now.region === recorded.region && now.projectId === recorded.projectId)
    return error;
  const note =
    ` The call went where this resource was created (its \`location\`: ${describePlace(recorded)})` +
    (now === undefined ? "" : `, not where the configuration now points (${describePlace(now)})`) +
    ": use credentials that can reach it there, or, if it no longer exists there, remove it from " +
    "the state with `pulumi state delete <urn>`.";
  // The error keeps its class and fields (callers branch on them); only the message says more.
  Object.defineProperty(error, "message", {
    value: `${error.message}${note}`,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return error;
}

/**
 * Runs a step placed at `recorded` (else where `given` resolves); its outputs, and the properties
 * of a partial create it throws, get the location inputs as given and the location recorded.
 */
async function placed<R>(
  vendor: Vendor,
  given: PropertyMap | undefined,
  recorded: ResolvedLocation | undefined,
  step: () => Promise<R>,
  outsOf: (result: R) => PropertyMap | undefined,
  withOuts: (result: R, outs: PropertyMap) => R,
): Promise<R> {
  const location = (): ResolvedLocation => recorded ?? resolveLocation(vendor, explicitOf(vendor, given));
  let result: R;
  try {
    result = await step();
  } catch (error) {
    if (error instanceof PartialCreateError) {
      // The step resolved the same location before the vendor accepted anything; should that
      // fail now, the partial record goes without it and the next refresh records it.
      let where: ResolvedLocation | undefined;
      try {
        where = location();
      } catch {
        where = undefined;
      }
      if (where === undefined) throw error;
      const outs = withLocation(vendor, error.properties, given, where);
      for (const key of Object.keys(error.properties)) Reflect.deleteProperty(error.properties, key);
      Object.assign(error.properties, outs);
      throw error;
    }
    throw explainedAt(vendor, error, given, recorded);
  }
  const outs = outsOf(result);
  return outs === undefined ? result : withOuts(result, withLocation(vendor, outs, given, location()));
}

/** The steps of a `vendor` resource, placed as the module comment says. */
export function locatedSteps(vendor: Vendor, steps: Steps): Steps {
  return {
    create: (inputs) =>
      placed(
        vendor,
        inputs,
        undefined,
        () => steps.create(inputs),
        (result) => result.outs,
        (result, outs) => ({ ...result, outs }),
      ),
    read: (id, props) => {
      const recorded = recordedLocation(props);
      return placed(
        vendor,
        props,
        recorded,
        () => steps.read(id, props === undefined ? props : placedAt(vendor, props, recorded)),
        (result) => result.props,
        (result, outs) => ({ ...result, props: outs }),
      );
    },
    update: (id, olds, news) => {
      const recorded = recordedLocation(olds);
      return placed(
        vendor,
        news,
        recorded,
        () => steps.update(id, placedAt(vendor, olds, recorded), placedAt(vendor, news, recorded)),
        (result) => result.outs,
        (result, outs) => ({ ...result, outs }),
      );
    },
    delete: async (id, props) => {
      const recorded = recordedLocation(props);
      try {
        await steps.delete(id, placedAt(vendor, props, recorded));
      } catch (error) {
        throw explainedAt(vendor, error, props, recorded);
      }
    },
  };
}

/** Where `news` would be placed now, or `undefined` when the configuration cannot say. */
function placeOf(vendor: Vendor, news: PropertyMap): ResolvedLocation | undefined {
  const explicit = explicitOf(vendor, news);
  const { region, projectId } = explicit;
  // Spelled out in full, the place needs no configuration: a preview without credentials then
  // agrees with the `up` that has them (an update, not a replacement, for the recorded place).
  if (region !== undefined && vendor === "ACK") return { region };
  if (region !== undefined && projectId !== undefined) return { region, projectId };
  try {
    return resolveLocation(vendor, explicit);
  } catch {
    // Preview without credentials, say: the inputs alone decide, as before `location` existed.
    return undefined;
  }
}

/**
 * `diff`'s inputs for the location keys: the recorded place against the program's place, so that
 * `diff` (the same rule for every key) sees a move as a change and a new spelling as none. When
 * the record has no location, or the program's place cannot be resolved, the inputs as they are.
 */
export function placesForDiff(
  vendor: Vendor,
  olds: PropertyMap,
  news: PropertyMap,
): { olds: PropertyMap; news: PropertyMap; respelled: boolean } {
  const recorded = recordedLocation(olds);
  if (recorded === undefined) return { olds, news, respelled: false };
  const keys = keysOf(vendor);
  // An unknown input is left out of the resolution and stays unknown: a change of its own key only.
  const place = placeOf(vendor, news);
  if (place === undefined) return { olds, news, respelled: false };
  const oldPlaces: PropertyMap = { ...olds };
  const newPlaces: PropertyMap = { ...news };
  for (const key of keys) {
    oldPlaces[key] = recorded[key];
    newPlaces[key] = news[key] === UNKNOWN ? UNKNOWN : place[key];
  }
  const respelled = keys.some((key) => (olds[key] ?? null) !== (news[key] ?? null));
  return { olds: oldPlaces, news: newPlaces, respelled };
}

/** A diff that also updates when only the spelling of the place changed (see the module comment). */
export function withRespelling(diff: DiffResult, respelled: boolean): DiffResult {
  if (!respelled || diff.changes) return diff;
  return { ...diff, changes: true };
}
