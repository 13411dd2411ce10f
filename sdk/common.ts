import * as pulumi from "@pulumi/pulumi";
import {
  CONNECTION_SETTINGS,
  type ConnectionInput,
  type ConnectionSetting,
} from "../provider/core/connection-settings";
import { inputFields, outputFields, type KindDefinition } from "../provider/core/schema";

/**
 * A value where every member, at any depth, may also be a `pulumi.Input` (an `Output` of another
 * resource, or a promise).
 */
export type DeepInput<T> = T extends readonly (infer U)[]
  ? pulumi.Input<DeepInput<U>[]>
  : T extends object
    ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }>
    : pulumi.Input<T>;

/** Flink configuration as users write it: numbers and booleans are sent to CMF as strings. */
export type FlinkConfigurationArgs = Record<string, string | number | boolean>;

/** `T` with its `flinkConfiguration` member widened to {@link FlinkConfigurationArgs}. */
export type WithFlinkConfigurationArgs<T> = {
  [K in keyof T]: K extends "flinkConfiguration" ? FlinkConfigurationArgs | undefined : T[K];
};

/**
 * How one resource reaches CMF, overriding the stack configuration (`cmf:*`) and the environment
 * variables. It is used as a whole: none of its credentials is combined with settings from elsewhere.
 * `token` and `clientKey` are stored as Pulumi secrets. The members are defined once, with their docs,
 * in `provider/core/connection-settings.ts`.
 */
export type CmfConnectionArgs = { [K in keyof ConnectionInput]: pulumi.Input<ConnectionInput[K]> };

/** The connection members stored as secrets, from the settings table. */
const SECRET_FIELDS = new Set(
  Object.values(CONNECTION_SETTINGS as Record<string, ConnectionSetting>)
    .filter((setting) => setting.secret === true && setting.input !== undefined)
    .map((setting) => setting.input),
);

/**
 * The connection as a resource input, with `token` and `clientKey` wrapped as secrets. When the whole
 * connection is itself an `Output`, its members cannot be told apart before it resolves, so all of it
 * becomes secret.
 */
export function secretConnection(
  connection: pulumi.Input<CmfConnectionArgs> | undefined,
): pulumi.Input<unknown> | undefined {
  if (connection === undefined || connection === null) return undefined;
  if (pulumi.Output.isInstance(connection) || connection instanceof Promise) return pulumi.secret(connection);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(connection)) {
    if (value === undefined) continue;
    out[key] = SECRET_FIELDS.has(key) ? pulumi.secret(value as pulumi.Input<string>) : value;
  }
  return out;
}

/**
 * `<project>/<stack>/<logical name>`: written by the provider as the `pulumi-cmf/owner` annotation, so
 * that a `pulumi up` interrupted after CMF created an object (but before Pulumi recorded it) resumes
 * on the next run instead of reporting a conflict.
 */
export function ownerOf(name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
}

/**
 * Resource options every pulumi-cmf resource adds: the top-level fields its kind's definition marks
 * secret (every kind's `connection`, a CmfSecret's `data`) are secret outputs too, so that they stay
 * secret after a refresh.
 */
export function withSecretOutputs(
  opts: pulumi.CustomResourceOptions | undefined,
  definition: KindDefinition,
): pulumi.CustomResourceOptions {
  return pulumi.mergeOptions(opts, { additionalSecretOutputs: secretFields(definition) });
}

/** The top-level fields a definition marks `secret`. */
function secretFields(definition: KindDefinition): string[] {
  return Object.entries(definition.fields)
    .filter(([, descriptor]) => descriptor.secret === true)
    .map(([field]) => field);
}

/**
 * The base of every pulumi-cmf resource class: registers the properties its kind's definition names
 * (see {@link resourceProperties}) under the type `cmf:<Kind>`.
 *
 * Pulumi's SDK gives each registered property a handful of promises and captures a stack trace for
 * each one (`debuggablePromise`), which it prints only for promise-leak diagnostics
 * (PULUMI_DEBUG_PROMISE_LEAKS). A pulumi-cmf resource registers every field of its kind (an
 * application: 16), so formatting those traces was most of what a no-op preview cost the program (npm
 * run bench -- --only engine). They are skipped unless that variable asks for them. The resource's
 * source position is unaffected (Pulumi captures it with its own limit), and an error thrown during
 * registration gets its stack captured here.
 */
export abstract class CmfResource extends pulumi.dynamic.Resource {
  protected constructor(
    provider: pulumi.dynamic.ResourceProvider,
    definition: KindDefinition,
    name: string,
    args: Record<string, unknown>,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const limit = Error.stackTraceLimit;
    const cheapTraces = !process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    if (cheapTraces) Error.stackTraceLimit = 0;
    try {
      super(
        provider,
        name,
        resourceProperties(definition, name, args),
        withSecretOutputs(opts, definition),
        "cmf",
        definition.kind,
      );
    } catch (error) {
      Error.stackTraceLimit = limit;
      if (cheapTraces && error instanceof Error) Error.captureStackTrace(error, CmfResource);
      throw error;
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/** The `pulumi.Input` form of a kind's plain arguments: every member, at any depth, may be an Output. */
export type ArgsInput<T> = { [K in keyof T]: DeepInput<T[K]> };

/** A resource's outputs as `pulumi.Output` properties. */
export type OutputProperties<T> = { readonly [K in keyof T]-?: pulumi.Output<T[K]> };

/**
 * The properties registered for a resource: every input the definition knows (from `args`, so unknown
 * members given by JavaScript callers are dropped), the name defaulting to the logical name, the
 * fields the definition marks secret and the connection's secrets wrapped as Pulumi secrets, the owner marker, and an empty slot per output.
 */
export function resourceProperties(
  definition: KindDefinition,
  name: string,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const field of inputFields(definition)) props[field] = args[field];
  for (const [field, descriptor] of Object.entries(definition.fields)) {
    if (descriptor.default !== undefined && "resourceName" in descriptor.default) props[field] ??= name;
  }
  for (const field of secretFields(definition)) {
    if (props[field] !== undefined) props[field] = pulumi.secret(props[field]);
  }
  props.connection = secretConnection(args.connection as pulumi.Input<CmfConnectionArgs> | undefined);
  props.owner = ownerOf(name);
  for (const field of outputFields(definition)) props[field] = undefined;
  return props;
}

/** A resource that another one may name by reference (its `name` output). */
export interface NamedResource extends pulumi.CustomResource {
  readonly name: pulumi.Output<string>;
}

/**
 * The name of an object given as its resource (preferred: Pulumi then orders creates and deletes) or
 * as a name.
 */
export function nameOf(value: pulumi.Input<string> | NamedResource): pulumi.Input<string> {
  return pulumi.CustomResource.isInstance(value) ? (value as NamedResource).name : value;
}
