import type { z } from "zod";
import { cmfIssueMessage, formatIssues, type ParseResult } from "./issues";

/**
 * User maps (labels, Flink configuration, specs, defaults) are data: a key named `__proto__` is a key
 * like any other, stored and returned as a Java/Jackson server does. zod drops such keys on purpose
 * (and so does not validate their values), so user data is validated with every `__proto__` key
 * renamed to a reserved spelling and renamed back afterwards, as an own data property.
 *
 * The renaming is a bijection: a key made of n NUL characters followed by `__proto__` gets one more
 * NUL going in and loses one coming out, so no user key can collide with an escaped one.
 */
function isProtoLike(key: string): boolean {
  if (!key.endsWith("__proto__")) return false;
  for (let i = 0; i < key.length - 9; i++) if (key.charCodeAt(i) !== 0) return false;
  return true;
}

/** Sets `key` as an own, enumerable data property, even when the key is `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}

/** `value[key]` when `key` is the object's own property; never an inherited member such as `constructor`. */
export function ownValue(value: Record<string, unknown> | undefined, key: string): unknown {
  return value !== undefined && Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, rename));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) setOwn(out, rename(key), renameKeys(member, rename));
  return out;
}

/** Whether any key at any depth needs escaping: most inputs have none, and then nothing is copied. */
function hasProtoLikeKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasProtoLikeKey);
  if (typeof value !== "object" || value === null) return false;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) if (isProtoLike(key) || hasProtoLikeKey(object[key])) return true;
  return false;
}

const escapeKey = (key: string) => (isProtoLike(key) ? `\u0000${key}` : key);
const unescapeKey = (key: string) => (key.charCodeAt(0) === 0 && isProtoLike(key) ? key.slice(1) : key);

/**
 * {@link parseModel} for user data: the same validation and messages, but `__proto__` keys (at any
 * depth) are validated, kept and named in messages rather than silently dropped.
 */
export function parseUserModel<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.output<S>> {
  const escaped = hasProtoLikeKey(input);
  const result = schema.safeParse(escaped ? renameKeys(input, escapeKey) : input, { error: cmfIssueMessage });
  if (result.success) {
    return { ok: true, value: (escaped ? renameKeys(result.data, unescapeKey) : result.data) as z.output<S> };
  }
  const issues = result.error.issues.map((issue) => ({
    ...issue,
    path: issue.path.map((segment) => (typeof segment === "string" ? unescapeKey(segment) : segment)),
  }));
  return { ok: false, messages: formatIssues(issues) };
}
