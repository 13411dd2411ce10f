/**
 * Value shaping shared by check, diff and the CRUD operations: one canonical form for comparing what
 * the user declared with what CMF returned, and the projection that keeps server-added fields out of
 * the comparison.
 */
export type JsonObject = Record<string, unknown>;
export type Path = readonly string[];

/* User maps are data: `__proto__` is written as an own key, and lookups read own keys only. */
function setOwn(target: JsonObject, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
const own = (object: JsonObject, key: string) =>
  Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Drops what CMF and Pulumi both treat as "not set": `undefined` and `null` members, and objects left
 * empty (`labels: {}` and no labels mean the same to CMF). An empty result becomes `undefined`. A
 * protobuf Struct cannot carry `undefined`, so every output goes through this.
 */
export function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (isPlainObject(item) ? (prune(item) ?? {}) : item));
  if (!isPlainObject(value)) return value === null ? undefined : value;
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    const pruned = prune(member);
    if (pruned !== undefined) setOwn(out, key, pruned);
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Structural equality after {@link prune}; key order does not matter, array order does. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return equalPruned(prune(a), prune(b));
}

function equalPruned(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => equalPruned(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && equalPruned(a[key], b[key]));
  }
  return false;
}

/**
 * CMF stores Flink configuration as map<string,string>; YAML and TypeScript users naturally write
 * `parallelism.default: 2` or `true`. Numbers and booleans become their string form; anything else is
 * left for validation to report (and unknown values are left alone).
 */
export function stringifyScalarValues(map: unknown): unknown {
  if (!isPlainObject(map)) return map;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(map)) {
    setOwn(out, key, typeof value === "number" || typeof value === "boolean" ? String(value) : value);
  }
  return out;
}

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}

/**
 * What the server holds, restricted to what the user declared. Objects are walked key by key, so
 * fields CMF adds (server defaults, timestamps) never surface; a declared key missing on the server
 * is left out, so that its loss shows as drift. Maps listed in `wholeMaps` (labels, Flink
 * configuration: data rather than schema) are taken whole, so that keys added out of band surface too,
 * even when the program declares no such map: the upsert that follows would remove them, so refresh
 * and preview must show them. Arrays, scalars and type mismatches take the server's value.
 */
export function project(
  server: unknown,
  declared: unknown,
  wholeMaps: readonly Path[],
  path: Path = [],
): unknown {
  if (wholeMaps.some((mapPath) => samePath(mapPath, path))) return prune(server);
  if (!isPlainObject(server) || !isPlainObject(declared)) return prune(server);
  const out: JsonObject = {};
  for (const key of Object.keys(declared)) {
    const value = own(server, key);
    if (value === undefined || value === null || declared[key] === undefined || declared[key] === null)
      continue;
    const projected = project(value, declared[key], wholeMaps, [...path, key]);
    if (projected !== undefined) setOwn(out, key, projected);
  }
  for (const mapPath of wholeMaps) {
    if (mapPath.length !== path.length + 1 || !samePath(mapPath.slice(0, -1), path)) continue;
    const key = mapPath[path.length];
    if (Object.prototype.hasOwnProperty.call(out, key)) continue;
    const whole = prune(own(server, key));
    if (whole !== undefined) setOwn(out, key, whole);
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** The members of `map` without `key` (annotations without the owner marker). */
export function without(map: unknown, key: string): unknown {
  if (!isPlainObject(map) || !(key in map)) return map;
  const { [key]: _removed, ...rest } = map;
  return rest;
}

/** The declared members of `fields` in `object`: e.g. the inputs that would reproduce a resource's outputs. */
export function pick(object: JsonObject, fields: readonly string[]): JsonObject {
  const picked: JsonObject = {};
  for (const field of fields) if (object[field] !== undefined) picked[field] = object[field];
  return picked;
}

/**
 * The inputs a read hands back to the engine: those that would reproduce `outs`, or none when the
 * previous outputs held the same. With none, the engine keeps the inputs it stored (as it does for
 * any read that returns none), so a refresh that finds nothing changed does not rewrite them, and
 * neither side pays for encoding, sending and copying them for every resource (about a twentieth of
 * a refresh of 500 applications, docs/benchmarks.md). `pulumi import` and the lookups pass no
 * previous outputs, so they always get the inputs.
 */
export function refreshedInputs(
  outs: JsonObject,
  previous: JsonObject,
  fields: readonly string[],
): JsonObject | undefined {
  const inputs = pick(outs, fields);
  return deepEqual(inputs, pick(previous, fields)) ? undefined : inputs;
}
