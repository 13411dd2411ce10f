/**
 * During `pulumi preview` a value that depends on another resource's output is not known yet. The
 * engine sends it to dynamic providers as this exact string (`runtime/rpc.js` `unknownValue`), anywhere
 * in the tree. It must never be validated, normalised or written anywhere: only passed back as is.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True when the value is unknown or holds an unknown at any depth. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

/** True when the value at `path`, or any value on the way to it, is unknown. */
export function isUnknownAt(root: unknown, path: readonly PropertyKey[]): boolean {
  let current: unknown = root;
  for (const segment of path) {
    if (current === UNKNOWN) return true;
    if (typeof current !== "object" || current === null) return false;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return containsUnknown(current);
}
