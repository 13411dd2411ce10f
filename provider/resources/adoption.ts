import { AdoptionRequiredError } from "./errors";
import { isPlainObject, type JsonObject } from "./normalize";
import { OWNER_ANNOTATION } from "./types";

/** The owner marker pulumi-cmf wrote on an object, if any. */
export function ownerOf(annotations: unknown): string | undefined {
  if (!isPlainObject(annotations)) return undefined;
  const owner = annotations[OWNER_ANNOTATION];
  return typeof owner === "string" && owner !== "" ? owner : undefined;
}

/**
 * A create that finds its object already in CMF may proceed only when told to adopt it, or when the
 * object carries this very resource's owner marker: then a previous `pulumi up` created it and was
 * interrupted before recording it, and resuming is what the user wants.
 */
export function assertMayTakeOver(what: string, existingAnnotations: unknown, inputs: JsonObject): void {
  if (inputs.adopt === true) return;
  const owner = ownerOf(existingAnnotations);
  if (owner !== undefined && typeof inputs.owner === "string" && owner === inputs.owner) return;
  throw new AdoptionRequiredError(what, owner);
}

/** The user's annotations plus the owner marker, as sent to CMF. */
export function annotationsWithOwner(annotations: unknown, owner: unknown): Record<string, string> {
  const out: Record<string, string> = isPlainObject(annotations)
    ? { ...(annotations as Record<string, string>) }
    : {};
  if (typeof owner === "string" && owner !== "") out[OWNER_ANNOTATION] = owner;
  return out;
}
