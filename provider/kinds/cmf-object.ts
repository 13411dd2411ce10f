/**
 * What the kinds of CMF's typed resources (`{apiVersion: cmf.confluent.io/v1, kind, metadata, spec,
 * status}`: secrets, secret mappings, Kafka catalogs and databases, compute pools, statements) share:
 * the request body, the owner marks, and the outputs every one of them has. Each adapter adds its spec
 * and status; nothing kind-specific lives here.
 */
import type { CmfClient, DeleteOptions } from "../client";
import { CMF_API_VERSION, type ResourceMetadata } from "../models";
import type { KindAdapter, Names } from "../core/controller";
import { finalOutputs, settingsOf } from "../core/context";
import { prune, without, type JsonObject } from "../core/normalize";
import { annotationsWithOwner, OWNER_ANNOTATION, type ObjectMarks } from "../core/ownership";

/** A typed CMF object as the client returns it, as far as this module reads it. */
export interface CmfObject {
  metadata: ResourceMetadata;
}

/**
 * The complete desired object: CMF's PUT replaces spec and metadata with what it gets, so the labels
 * and annotations are always sent whole (an omitted map would keep stale ones).
 */
export function objectBody<K extends string, Spec>(
  kind: K,
  inputs: JsonObject,
  spec: Spec,
): {
  apiVersion: typeof CMF_API_VERSION;
  kind: K;
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: Spec;
} {
  return {
    apiVersion: CMF_API_VERSION,
    kind,
    metadata: {
      name: inputs.name as string,
      labels: (inputs.labels as Record<string, string> | undefined) ?? {},
      annotations: annotationsWithOwner(inputs.annotations, inputs.owner),
    },
    spec,
  };
}

export function objectMarks(server: CmfObject): ObjectMarks {
  return { annotations: server.metadata.annotations, labels: server.metadata.labels };
}

/**
 * The outputs: `names` (the id's parts, e.g. `environment`), the kind's own `fields` (its spec as CMF
 * holds it, restricted to what was declared, and its status), labels and annotations whole, the
 * settings of `settingsSource`, and the metadata CMF sets.
 */
export function objectOutputs(
  names: Record<string, string>,
  server: CmfObject,
  fields: JsonObject,
  settingsSource: JsonObject,
  settingFields: readonly string[],
): JsonObject {
  const metadata = server.metadata;
  return finalOutputs({
    ...names,
    name: metadata.name,
    ...fields,
    labels: prune(metadata.labels),
    annotations: prune(without(metadata.annotations, OWNER_ANNOTATION)),
    ...settingsOf(settingsSource, settingFields),
    uid: metadata.uid,
    createdTime: metadata.creationTimestamp,
    updatedTime: metadata.updateTimestamp,
  });
}

/** The calls of a client family `objectCalls` makes; `Scope` is what comes before the name. */
interface ObjectFamily<S, Body, Scope extends [] | [string]> {
  // Scope is inferred from `create` and `scope` alone: `get` may take more (compute pools' options).
  get(...args: NoInfer<[...Scope, string]>): Promise<S | undefined>;
  create(...args: [...Scope, Body]): Promise<S>;
  update(...args: [...Scope, string, Body]): Promise<S>;
  delete(...args: [...Scope, string, DeleteOptions]): Promise<void>;
}

/**
 * get, upsert (PUT when the object exists: CMF's POST refuses a taken name; POST otherwise) and
 * remove (a 404 is done) over a kind's client family. `scope` gives the id parts before the name
 * (`[environment]`, `[catalog]`; none for top-level objects).
 */
export function objectCalls<S, Body, Scope extends [] | [string]>(
  family: (client: CmfClient) => ObjectFamily<S, Body, Scope>,
  scope: (names: Names) => Scope,
  body: (inputs: JsonObject) => Body,
): Pick<KindAdapter<S>, "get" | "upsert" | "remove"> {
  return {
    get: (client, names) => family(client).get(...scope(names), names.name),
    upsert: (client, names, inputs, existing) =>
      existing
        ? family(client).update(...scope(names), names.name, body(inputs))
        : family(client).create(...scope(names), body(inputs)),
    // `force` reaches CMF only for the families that have it (compute pools, statements).
    remove: (client, names, { force }) =>
      family(client).delete(...scope(names), names.name, { force, ignoreNotFound: true }),
  };
}
