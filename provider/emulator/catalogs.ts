import {
  KAFKA_CATALOG_KIND,
  KAFKA_DATABASE_KIND,
  PostKafkaCatalogSchema,
  PostKafkaDatabaseSchema,
} from "../models";
import { conflict } from "./errors";
import { clone, isPlainObject, jsonEqual } from "./json";
import { environmentSecrets } from "./secrets";
import { envelope, newResource, parseBody, updateMetadata } from "./sql-common";
import { parsePutBody, requireNamed, requireNewName } from "./sql-names";
import type { KafkaCatalogRecord, KafkaDatabaseRecord } from "./sql-state";
import type { EmulatorState, JsonObject } from "./store";

/**
 * Kafka catalogs (`/catalogs/kafka`) and their databases: global objects, visible in an environment
 * only when it maps every connectionSecretId they name (CMF: "silently ignored" otherwise).
 */

const CATALOG = "KafkaCatalog";
const DATABASE = "KafkaDatabase";
const inCatalog = (catalog: string) => ` in KafkaCatalog '${catalog}'`;

export function requireCatalog(state: EmulatorState, name: string): KafkaCatalogRecord {
  return requireNamed(state.sql.catalogs, CATALOG, name);
}

export function requireDatabase(state: EmulatorState, catalog: string, name: string): KafkaDatabaseRecord {
  return requireNamed(requireCatalog(state, catalog).databases, DATABASE, name, inCatalog(catalog));
}

function secretIdOf(spec: JsonObject, part: string): string | undefined {
  const connection = spec[part];
  const id = isPlainObject(connection) ? connection.connectionSecretId : undefined;
  return typeof id === "string" ? id : undefined;
}

function mapsAll(state: EmulatorState, env: string, ids: (string | undefined)[]): boolean {
  const mapped = environmentSecrets(state, env);
  return ids.every((id) => id === undefined || Object.prototype.hasOwnProperty.call(mapped, id));
}

export function catalogVisibleIn(state: EmulatorState, catalog: KafkaCatalogRecord, env: string): boolean {
  return mapsAll(state, env, [secretIdOf(catalog.spec, "srInstance")]);
}

export function databaseVisibleIn(
  state: EmulatorState,
  catalog: KafkaCatalogRecord,
  database: KafkaDatabaseRecord,
  env: string,
): boolean {
  return (
    catalogVisibleIn(state, catalog, env) && mapsAll(state, env, [secretIdOf(database.spec, "kafkaCluster")])
  );
}

/**
 * POLICY (CMF documents `ddlEnvironments` as "environments allowed to run DDL", nothing more): an
 * environment may run DDL in a database when it can see the database and, if `ddlEnvironments` is
 * set, is listed there. Without `ddlEnvironments` every environment with access may run DDL.
 */
export const DDL_ALLOWED_WITHOUT_DDL_ENVIRONMENTS = true;

export function ddlAllowedIn(database: KafkaDatabaseRecord, env: string): boolean {
  const list = database.spec.ddlEnvironments;
  if (!Array.isArray(list)) return DDL_ALLOWED_WITHOUT_DDL_ENVIRONMENTS;
  return list.includes(env);
}

/**
 * `status.environmentsWithAccess`: the existing environments that can see the object through their
 * secret mappings, sorted. For a database this is also where its `ddlEnvironments` can act: a listed
 * environment without the mappings has no access, so it is not named.
 */
export function environmentsWithAccess(
  state: EmulatorState,
  catalog: KafkaCatalogRecord,
  database?: KafkaDatabaseRecord,
): string[] {
  return [...state.environments.keys()]
    .filter((env) =>
      database ? databaseVisibleIn(state, catalog, database, env) : catalogVisibleIn(state, catalog, env),
    )
    .sort();
}

export function catalogView(state: EmulatorState, catalog: KafkaCatalogRecord): JsonObject {
  return {
    ...envelope(KAFKA_CATALOG_KIND, catalog),
    spec: catalog.spec,
    status: { environmentsWithAccess: environmentsWithAccess(state, catalog) },
  };
}

export function databaseView(
  state: EmulatorState,
  catalog: KafkaCatalogRecord,
  database: KafkaDatabaseRecord,
): JsonObject {
  return {
    ...envelope(KAFKA_DATABASE_KIND, database),
    spec: database.spec,
    status: { environmentsWithAccess: environmentsWithAccess(state, catalog, database) },
  };
}

/** A catalog's or database's PUT: spec, labels and annotations replaced; `updatedAt` when one changed. */
function replaceSpec(
  record: KafkaCatalogRecord | KafkaDatabaseRecord,
  input: { metadata: Parameters<typeof updateMetadata>[1]; spec: unknown },
  now: number,
): void {
  const spec = clone(input.spec) as JsonObject;
  const metadataChanged = updateMetadata(record, input.metadata);
  if (metadataChanged || !jsonEqual(record.spec, spec)) {
    record.spec = spec;
    record.updatedAt = now;
  }
}

export function createCatalog(state: EmulatorState, body: unknown, now: number): KafkaCatalogRecord {
  const input = parseBody(PostKafkaCatalogSchema, body);
  requireNewName(state.sql.catalogs, CATALOG, input.metadata.name);
  const catalog: KafkaCatalogRecord = {
    ...newResource(input.metadata, now),
    spec: clone(input.spec) as JsonObject,
    databases: new Map(),
  };
  state.sql.catalogs.set(catalog.name, catalog);
  return catalog;
}

/** `PUT`: replaces spec, labels and annotations (CMF answers 200 without a body). */
export function updateCatalog(state: EmulatorState, name: string, body: unknown, now: number): void {
  const catalog = requireCatalog(state, name);
  replaceSpec(catalog, parsePutBody(PostKafkaCatalogSchema, name, body), now);
}

export function deleteCatalog(state: EmulatorState, name: string): void {
  const catalog = requireCatalog(state, name);
  if (catalog.databases.size > 0) {
    const names = [...catalog.databases.keys()];
    throw conflict(
      `KafkaCatalog '${name}' still contains ${names.length} database(s): ${names.join(", ")}. Delete them first.`,
    );
  }
  state.sql.catalogs.delete(name);
}

export function createDatabase(
  state: EmulatorState,
  catalogName: string,
  body: unknown,
  now: number,
): KafkaDatabaseRecord {
  const catalog = requireCatalog(state, catalogName);
  const input = parseBody(PostKafkaDatabaseSchema, body);
  requireNewName(catalog.databases, DATABASE, input.metadata.name, inCatalog(catalogName));
  const database: KafkaDatabaseRecord = {
    ...newResource(input.metadata, now),
    spec: clone(input.spec) as JsonObject,
  };
  catalog.databases.set(database.name, database);
  return database;
}

export function updateDatabase(
  state: EmulatorState,
  catalogName: string,
  name: string,
  body: unknown,
  now: number,
): void {
  const database = requireDatabase(state, catalogName, name);
  replaceSpec(database, parsePutBody(PostKafkaDatabaseSchema, name, body), now);
}

/** The database's tables (its topics) stay in the SQL catalog model, as topics stay in Kafka. */
export function deleteDatabase(state: EmulatorState, catalogName: string, name: string): void {
  requireDatabase(state, catalogName, name);
  requireCatalog(state, catalogName).databases.delete(name);
}
