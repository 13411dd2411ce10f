/**
 * Property values as the engine sends them to a provider that accepts secrets: plain JSON, except that a
 * secret is an object carrying Pulumi's signature key (`{ <sig>: <secret sig>, value }`) and a value not
 * known yet (preview) is a sentinel string. The core works on plain values, so the plugin unwraps secrets
 * on the way in, remembers where they were, and wraps the same places (and every field the kind
 * declares secret) on the way out: a value that was secret stays secret in the state.
 */
import type { JsonObject } from "../core/normalize";

/** Pulumi's special-value marker key and its secret signature (`sdk/go/common/resource/sig`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export type PathSegment = string | number;
export type ValuePath = readonly PathSegment[];

export function isSecret(value: unknown): value is { value?: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    (value as JsonObject)[SIG_KEY] === SECRET_SIG
  );
}

export function secret(value: unknown): JsonObject {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/**
 * The value without secret markers, and the path of each secret found (outermost only: a secret inside
 * a secret is one secret).
 */
export function unwrapSecrets(value: unknown): { plain: unknown; secrets: ValuePath[] } {
  const secrets: ValuePath[] = [];
  const walk = (node: unknown, at: PathSegment[]): unknown => {
    if (isSecret(node)) {
      secrets.push(at);
      return stripAll(node.value);
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...at, i]));
    if (typeof node === "object" && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...at, k])]));
    }
    return node;
  };
  const plain = walk(value, []);
  return { plain, secrets };
}

function stripAll(value: unknown): unknown {
  return unwrapSecrets(value).plain;
}

/** `value` with each path that exists in it wrapped as a secret (paths inside a wrapped one are moot). */
export function wrapSecrets(value: unknown, paths: readonly ValuePath[]): unknown {
  // Shorter paths first: once a subtree is a secret, nothing inside it needs wrapping.
  const sorted = [...paths].sort((a, b) => a.length - b.length);
  let out = value;
  for (const path of sorted) out = wrapAt(out, path);
  return out;
}

function wrapAt(node: unknown, path: ValuePath): unknown {
  if (node === undefined || isSecret(node)) return node;
  if (path.length === 0) return secret(node);
  const [head, ...rest] = path;
  if (Array.isArray(node) && typeof head === "number" && head < node.length) {
    const copy = [...node];
    copy[head] = wrapAt(node[head], rest);
    return copy;
  }
  if (typeof node === "object" && node !== null && !Array.isArray(node) && typeof head === "string") {
    const object = node as JsonObject;
    if (!Object.prototype.hasOwnProperty.call(object, head)) return node;
    return { ...object, [head]: wrapAt(object[head], rest) };
  }
  return node;
}
