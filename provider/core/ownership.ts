/**
 * Who may act on a CMF object: the owner marker pulumi-cmf writes (`pulumi-cmf/owner`), adoption, the
 * fencing of update and delete, and the Confluent for Kubernetes guard. Pure decisions.
 */
import { AdoptionRequiredError, CfkManagedError } from "./errors";
import { isPlainObject, type JsonObject } from "./normalize";

/**
 * Annotation written on every object pulumi-cmf creates or adopts, holding the resource's `owner`
 * (`<project>/<stack>/<logical name>`). Update and delete act on an object only while it names this
 * resource; a create that finds its own marker (an interrupted `pulumi up`) resumes.
 */
export const OWNER_ANNOTATION = "pulumi-cmf/owner";

/**
 * Confluent for Kubernetes stamps this on the CMF objects it manages (the Confluent CLI refuses to
 * change them); pulumi-cmf never modifies or deletes such an object, whether it is an annotation or a
 * label.
 */
export const CFK_MANAGED_BY = "cmf.platform.confluent.io/managed-by";

/** What pulumi-cmf reads of an object's metadata to decide. */
export interface ObjectMarks {
  annotations?: unknown;
  labels?: unknown;
}

/** The owner marker pulumi-cmf wrote on an object, if any. */
export function ownerOf(annotations: unknown): string | undefined {
  if (!isPlainObject(annotations) || !Object.prototype.hasOwnProperty.call(annotations, OWNER_ANNOTATION)) {
    return undefined;
  }
  const owner = annotations[OWNER_ANNOTATION];
  return typeof owner === "string" && owner !== "" ? owner : undefined;
}

/** The CFK manager named on the object (`cmf.platform.confluent.io/managed-by`), if any. */
export function cfkManager(marks: ObjectMarks): string | undefined {
  for (const map of [marks.annotations, marks.labels]) {
    if (isPlainObject(map) && Object.prototype.hasOwnProperty.call(map, CFK_MANAGED_BY)) {
      return String(map[CFK_MANAGED_BY]);
    }
  }
  return undefined;
}

/**
 * A create that finds its object already in CMF may proceed only when told to adopt it, or when the
 * object carries this very resource's owner marker: then a previous `pulumi up` created it and was
 * interrupted before recording it, and resuming is what the user wants. An object CFK manages is
 * never taken over.
 */
export function assertMayTakeOver(what: string, existing: ObjectMarks, inputs: JsonObject): void {
  const cfk = cfkManager(existing);
  if (cfk !== undefined) throw new CfkManagedError(what, cfk, "adopt");
  if (inputs.adopt === true) return;
  const owner = ownerOf(existing.annotations);
  if (owner !== undefined && typeof inputs.owner === "string" && owner === inputs.owner) return;
  throw new AdoptionRequiredError(what, owner);
}

export type Fence =
  | { allowed: true }
  | { allowed: false; by: "cfk"; manager: string }
  | { allowed: false; by: "owner"; owner: string };

/**
 * Whether this resource (whose state records `owner`) may update or delete the object now. It may
 * while the object's marker names it, or carries none (the object is in this resource's state, so it
 * created or adopted it, perhaps with a version that did not mark objects). Another resource's marker
 * means the object was adopted away (by another stack, or by a replacement in this one): hands off.
 */
export function fence(marks: ObjectMarks, owner: unknown): Fence {
  const cfk = cfkManager(marks);
  if (cfk !== undefined) return { allowed: false, by: "cfk", manager: cfk };
  const marker = ownerOf(marks.annotations);
  if (marker === undefined || typeof owner !== "string" || owner === "" || marker === owner) {
    return { allowed: true };
  }
  return { allowed: false, by: "owner", owner: marker };
}

/** The user's annotations plus the owner marker, as sent to CMF. */
export function annotationsWithOwner(annotations: unknown, owner: unknown): Record<string, string> {
  const out: Record<string, string> = isPlainObject(annotations)
    ? { ...(annotations as Record<string, string>) }
    : {};
  if (typeof owner === "string" && owner !== "") out[OWNER_ANNOTATION] = owner;
  return out;
}
