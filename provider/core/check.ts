/**
 * `check` derived from a kind definition: one failure per broken rule, naming the field (at any depth)
 * and the rule, and nothing about a value that is unknown during preview. Pure.
 */
import { formatPath } from "../models/issues";
import { isPlainObject, stringifyScalarValues, type JsonObject } from "./normalize";
import { isUnknown } from "./unknown";
import {
  inputFields,
  type CheckFailure,
  type FieldDescriptor,
  type Fields,
  type KindDefinition,
} from "./schema";

export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** Members of `object` that `fields` does not declare (the SDK's `__provider` is never one). */
export function unknownMemberFailures(object: JsonObject, fields: Fields, prefix: string): CheckFailure[] {
  const known = Object.keys(fields);
  return Object.keys(object)
    .filter((key) => !(key in fields) && key !== "__provider" && object[key] !== undefined)
    .map((key) => ({
      property: `${prefix}${key}`,
      reason: `is not a known field (known fields: ${known.join(", ")})`,
    }));
}

/** The failures of one value against its descriptor. `property` is where it sits in the inputs. */
export function fieldFailures(descriptor: FieldDescriptor, value: unknown, property: string): CheckFailure[] {
  if (isUnknown(value)) return [];
  if (absent(value)) {
    return descriptor.required ? [{ property, reason: descriptor.requiredReason ?? "is required" }] : [];
  }
  const typeProblem = typeFailure(descriptor, value);
  if (typeProblem) return [{ property, reason: typeProblem }];
  const failures: CheckFailure[] = [];
  if (descriptor.type === "object" && descriptor.fields && isPlainObject(value)) {
    if (!descriptor.open) failures.push(...unknownMemberFailures(value, descriptor.fields, `${property}.`));
    for (const [name, member] of Object.entries(descriptor.fields)) {
      failures.push(...fieldFailures(member, value[name], formatPath([name], property)));
    }
  }
  if ((descriptor.type === "map" || descriptor.type === "array") && descriptor.items) {
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((member, i) => [i, member])
      : Object.entries(value as JsonObject);
    for (const [key, member] of entries) {
      if (member === undefined) continue;
      failures.push(...fieldFailures(descriptor.items, member, formatPath([key], property)));
    }
  }
  for (const rule of descriptor.rules ?? []) failures.push(...rule(value, property));
  return failures;
}

function typeFailure(descriptor: FieldDescriptor, value: unknown): string | undefined {
  const got = typeName(value);
  switch (descriptor.type) {
    case "string":
      if (typeof value !== "string") return `must be a string (got ${got})`;
      if (descriptor.required && value.trim() === "") return "must not be empty";
      return enumFailure(descriptor, value);
    case "boolean":
      return typeof value === "boolean" ? undefined : `must be a boolean (got ${got})`;
    case "number":
    case "integer":
      return numberFailure(descriptor, value);
    case "object":
      return isPlainObject(value) ? undefined : `must be an object (got ${got})`;
    case "map":
      if (isPlainObject(value)) return undefined;
      return descriptor.items?.type === "string"
        ? `must be a map of strings (got ${got})`
        : `must be a map (got ${got})`;
    case "array":
      return Array.isArray(value) ? undefined : `must be an array (got ${got})`;
    case "any":
      return undefined;
  }
}

function enumFailure(descriptor: FieldDescriptor, value: string): string | undefined {
  if (!descriptor.enum || descriptor.enum.includes(value)) return undefined;
  return `must be one of: ${descriptor.enum.join(", ")} (got ${JSON.stringify(value)})`;
}

/** The value is always shown: a number is never a secret, and "(got number)" would not say what is wrong. */
function numberFailure(descriptor: FieldDescriptor, value: unknown): string | undefined {
  const integer = descriptor.type === "integer";
  const { minimum, maximum } = descriptor;
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (minimum === undefined || value >= minimum) &&
    (maximum === undefined || value <= maximum);
  if (ok) return undefined;
  const got = typeof value === "number" ? String(value) : typeName(value);
  const what = integer ? "an integer" : "a number";
  if (minimum !== undefined && maximum !== undefined) {
    return `must be ${what} from ${minimum} to ${maximum} (got ${got})`;
  }
  if (minimum !== undefined) return `must be ${what} of at least ${minimum} (got ${got})`;
  return `must be ${what} (got ${got})`;
}

/** Numbers and booleans in the maps that declare `stringifyScalars` become strings, at any depth. */
export function normalizeInputs(fields: Fields, inputs: JsonObject): JsonObject {
  let changed = false;
  const out: JsonObject = { ...inputs };
  for (const [name, descriptor] of Object.entries(fields)) {
    const value = inputs[name];
    const next = normalizeValue(descriptor, value);
    if (next !== value) {
      out[name] = next;
      changed = true;
    }
  }
  return changed ? out : inputs;
}

function normalizeValue(descriptor: FieldDescriptor, value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  if (descriptor.stringifyScalars) return stringifyScalarValues(value);
  return descriptor.fields ? normalizeInputs(descriptor.fields, value) : value;
}

/** The kind's `check`: normalized inputs and every failure, unknown fields first. */
export function checkInputs(
  definition: KindDefinition,
  news: JsonObject,
): { inputs: JsonObject; failures: CheckFailure[] } {
  const inputs = normalizeInputs(definition.fields, news);
  const fields = Object.fromEntries(inputFields(definition).map((name) => [name, definition.fields[name]]));
  const failures = [
    ...unknownMemberFailures(inputs, fields, ""),
    ...Object.entries(fields).flatMap(([name, descriptor]) => fieldFailures(descriptor, inputs[name], name)),
    ...(definition.checks ?? []).flatMap((rule) => rule(inputs)),
  ];
  return { inputs, failures: dedupe(failures) };
}

/** One failure per field: the first found (a type problem before the rules that assume the type). */
function dedupe(failures: CheckFailure[]): CheckFailure[] {
  const seen = new Set<string>();
  return failures.filter((failure) => {
    if (seen.has(failure.property)) return false;
    seen.add(failure.property);
    return true;
  });
}
