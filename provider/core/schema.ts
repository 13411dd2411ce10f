/**
 * The definition language of pulumi-cmf's kinds: plain data (field descriptors a front end can walk to
 * generate a Pulumi package schema, docs tables or SDK types) plus TypeScript types derived from it.
 * Nothing here depends on Pulumi or zod, so a definition can reach any front end and any published
 * declaration file.
 */

/** The value types a field may have; `any` is free-form JSON. */
export type FieldType = "string" | "number" | "integer" | "boolean" | "map" | "array" | "object" | "any";

/**
 * What a top-level field is for:
 * - `cmf`: part of the CMF object, owned by the user (sent to CMF, compared by diff);
 * - `setting`: changes how pulumi-cmf talks to CMF only (connection, adopt, waiting); never sent to CMF;
 * - `internal`: bookkeeping the SDK sets (the owner marker); never shown in a diff;
 * - `output`: set by CMF (status, timestamps); never an input, never drifts.
 */
export type FieldRole = "cmf" | "setting" | "internal" | "output";

export interface CheckFailure {
  property: string;
  reason: string;
}

/** A rule beyond the field's type: failures for `value`, found at `property` (already known and typed). */
export type FieldRule = (value: unknown, property: string) => CheckFailure[];

export interface FieldDescriptor {
  readonly type: FieldType;
  /** Markdown; the first sentence is the summary shown in tables. */
  readonly description: string;
  readonly role?: FieldRole;
  readonly required?: boolean;
  /** The failure when a required field is missing, when "is required" alone would not help. */
  readonly requiredReason?: string;
  /** For documentation and for the SDK, which fills it in: `{ resourceName: true }` = the Pulumi name. */
  readonly default?: { readonly value: unknown } | { readonly resourceName: true };
  readonly secret?: boolean;
  /** A change replaces the CMF object (CMF cannot change it in place). */
  readonly replaces?: boolean;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  /** Members of an `object`: checked one by one; unknown members are refused unless `open`. */
  readonly fields?: Readonly<Record<string, FieldDescriptor>>;
  /** An `object` that accepts members beyond `fields` (e.g. any operator field of a spec). */
  readonly open?: boolean;
  /** The element of an `array` or the value of a `map`. */
  readonly items?: FieldDescriptor;
  /** For a `map` of scalars: numbers and booleans are accepted and sent as strings. */
  readonly stringifyScalars?: boolean;
  readonly rules?: readonly FieldRule[];
  /** Maps whose keys are data (Flink configuration, labels): refreshed and compared whole. */
  readonly wholeMap?: boolean;
}

/** A descriptor carrying the TypeScript type of its values (a phantom member, never set). */
export interface Field<T> extends FieldDescriptor {
  readonly __type?: T;
}

type Options = Omit<FieldDescriptor, "type">;

/** Names the TypeScript type of a field's values: `field.object({ ... }, as<FlinkApplicationSpec>())`. */
export interface TypeHint<T> {
  readonly __hint?: T;
}

export function as<T>(): TypeHint<T> {
  return {};
}

/**
 * Builders: `field.string({ description, required: true, replaces: true })`. The options' literal
 * types (`required: true`, `role: "setting"`, `default`) are kept, so the TypeScript types of the
 * inputs and outputs follow from the definition.
 */
export const field = {
  string: <const O extends Options, T extends string = string>(o: O, _hint?: TypeHint<T>) =>
    ({ type: "string", ...o }) as Field<T> & O,
  number: <const O extends Options>(o: O) => ({ type: "number", ...o }) as Field<number> & O,
  integer: <const O extends Options>(o: O) => ({ type: "integer", ...o }) as Field<number> & O,
  boolean: <const O extends Options>(o: O) => ({ type: "boolean", ...o }) as Field<boolean> & O,
  map: <const O extends Options, V = string>(o: O, _hint?: TypeHint<V>) =>
    ({ type: "map", ...o }) as Field<Record<string, V>> & O,
  array: <const O extends Options, E = unknown>(o: O, _hint?: TypeHint<E>) =>
    ({ type: "array", ...o }) as Field<E[]> & O,
  object: <const O extends Options, T = Record<string, unknown>>(o: O, _hint?: TypeHint<T>) =>
    ({ type: "object", ...o }) as Field<T> & O,
  any: <const O extends Options, T = unknown>(o: O, _hint?: TypeHint<T>) =>
    ({ type: "any", ...o }) as Field<T> & O,
};

export type Fields = Readonly<Record<string, FieldDescriptor>>;

/** How a kind's Pulumi id is made of its CMF names, e.g. `["environment", "name"]` → `prod/orders`. */
export interface IdFormat<P extends readonly string[] = readonly string[]> {
  readonly parts: P;
}

export interface KindDefinition<F extends Fields = Fields, P extends readonly string[] = readonly string[]> {
  /** `Environment`: the dynamic resource type and the plugin token `cmf:index:Environment`. */
  readonly kind: string;
  /** "CMF environment", for messages. */
  readonly label: string;
  /** The SDK class, `CmfEnvironment`. */
  readonly className: string;
  readonly description: string;
  readonly fields: F;
  readonly id: IdFormat<P>;
  /** Rules across fields (e.g. `waitFor` against `spec.job.state`), run on the normalized inputs. */
  readonly checks?: readonly ((inputs: Record<string, unknown>) => CheckFailure[])[];
}

type ValueOf<F> = F extends Field<infer T> ? T : unknown;
type RoleOf<F> = F extends { role: infer R } ? R : "cmf";
type KeysWhere<F extends Fields, Cond> = { [K in keyof F]: F[K] extends Cond ? K : never }[keyof F];
type RoleKeys<F extends Fields, R extends FieldRole> = {
  [K in keyof F]: RoleOf<F[K]> extends R ? K : never;
}[keyof F];
type RequiredKeys<F extends Fields> = KeysWhere<F, { required: true }>;
type DefaultedKeys<F extends Fields> = KeysWhere<F, { default: object }>;
type InputKeys<F extends Fields> = Exclude<keyof F, RoleKeys<F, "output">>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type Shape<F extends Fields, Keys extends keyof F, Required extends keyof F> = Simplify<
  { [K in Keys & Required]: ValueOf<F[K]> } & { [K in Exclude<Keys, Required>]?: ValueOf<F[K]> }
>;

/** The inputs the provider receives (checked, defaults applied by the SDK). */
export type InputsOf<F extends Fields> = Shape<F, InputKeys<F>, RequiredKeys<F>>;

/** The arguments a program gives: no internal fields, defaulted fields optional. */
export type ArgsOf<F extends Fields> = Shape<
  F,
  Exclude<InputKeys<F>, RoleKeys<F, "internal">>,
  Exclude<RequiredKeys<F>, DefaultedKeys<F>>
>;

/** The outputs a resource exposes (internal fields stay in the state but are not typed outputs). */
export type OutputsOf<F extends Fields> = Shape<
  F,
  Exclude<keyof F, RoleKeys<F, "internal">>,
  RequiredKeys<F>
>;

/** A kind's three public types, named once per kind: `export type XArgs = KindTypes<typeof x>["Args"]`. */
export interface KindTypes<D extends { readonly fields: Fields }> {
  Args: ArgsOf<D["fields"]>;
  Inputs: InputsOf<D["fields"]>;
  Outputs: OutputsOf<D["fields"]>;
}

/** What a lookup returns: the object as CMF holds it, without pulumi-cmf's settings and bookkeeping. */
export type ObjectOf<F extends Fields> = Shape<F, RoleKeys<F, "cmf" | "output">, RequiredKeys<F>>;

export function defineKind<const F extends Fields, const P extends readonly string[]>(
  definition: KindDefinition<F, P>,
): KindDefinition<F, P> {
  return definition;
}

function roleOf(descriptor: FieldDescriptor): FieldRole {
  return descriptor.role ?? "cmf";
}

function namesWhere(definition: KindDefinition, keep: (d: FieldDescriptor) => boolean): string[] {
  return Object.entries(definition.fields)
    .filter(([, descriptor]) => keep(descriptor))
    .map(([name]) => name);
}

/** User-owned CMF fields, in definition order. */
export function cmfFields(definition: KindDefinition): string[] {
  return namesWhere(definition, (d) => roleOf(d) === "cmf");
}

/** Provider-only settings, in definition order. */
export function settingFields(definition: KindDefinition): string[] {
  return namesWhere(definition, (d) => roleOf(d) === "setting");
}

/** Every field a program may give (or the SDK sets), in definition order. */
export function inputFields(definition: KindDefinition): string[] {
  return namesWhere(definition, (d) => roleOf(d) !== "output");
}

export function outputFields(definition: KindDefinition): string[] {
  return namesWhere(definition, (d) => roleOf(d) === "output");
}

/** The fields of {@link ObjectOf}: what a lookup (`getCmfStatement`, the plugin's `getStatement`) returns. */
export function objectFields(definition: KindDefinition): string[] {
  return namesWhere(definition, (d) => roleOf(d) === "cmf" || roleOf(d) === "output");
}

export function replaceFields(definition: KindDefinition): string[] {
  return namesWhere(definition, (d) => d.replaces === true);
}

/**
 * Members below the top level that replace the object when they change (a compute pool's
 * `spec.type`, a statement's `spec.statement`), as paths: `[["spec", "type"]]`.
 */
export function nestedReplacePaths(definition: KindDefinition): string[][] {
  const out: string[][] = [];
  const walk = (fields: Fields, prefix: string[]) => {
    for (const [name, descriptor] of Object.entries(fields)) {
      if (prefix.length > 0 && descriptor.replaces) out.push([...prefix, name]);
      if (descriptor.fields) walk(descriptor.fields, [...prefix, name]);
    }
  };
  walk(definition.fields, []);
  return out;
}

/** Paths (dot-separated) of the secret values, at any depth. */
export function secretPaths(definition: KindDefinition): string[] {
  const out: string[] = [];
  const walk = (fields: Fields, prefix: string) => {
    for (const [name, descriptor] of Object.entries(fields)) {
      if (descriptor.secret) out.push(`${prefix}${name}`);
      if (descriptor.fields) walk(descriptor.fields, `${prefix}${name}.`);
    }
  };
  walk(definition.fields, "");
  return out;
}

/** The id of the object named by `names` (`prod/orders`). */
export function formatId(definition: KindDefinition, names: Record<string, unknown>): string {
  return definition.id.parts.map((part) => String(names[part])).join("/");
}

/**
 * The names an id stands for, or `undefined` when the id does not have that shape. The last part takes
 * the rest of the id, so a name is never cut at a slash CMF would refuse anyway.
 */
export function parseId(definition: KindDefinition, id: string): Record<string, string> | undefined {
  const parts = definition.id.parts;
  const names: Record<string, string> = {};
  let rest = id;
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    const slash = last ? rest.length : rest.indexOf("/");
    if (slash <= 0) return undefined;
    names[parts[i]] = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  return names;
}

/** "the id format", for messages: `<environment>/<name>`. */
export function idPattern(definition: KindDefinition): string {
  return definition.id.parts.map((part) => `<${part}>`).join("/");
}
