import { z } from "zod";
import { SavepointRecordSchema, type SavepointRecord } from "./savepoints";
import type { JsonObject, ViewCache } from "./store";

/**
 * State of the CMF SQL families (secrets, secret mappings, Kafka catalogs and databases, compute pools,
 * statements and the SQL catalog model behind them), kept beside the environments in EmulatorState.
 */

/** Server-set and user metadata every typed resource shares. */
export interface ResourceRecord {
  name: string;
  uid: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  cache?: ViewCache;
}

/** Phases still to come and when the last one was applied (the lifecycle modes move them). */
export interface PhaseProgress {
  pending: string[];
  lastAt: number;
}

export interface SecretRecord extends ResourceRecord {
  /** The keys of `spec.data`; the values are never kept (not even in the data file). */
  keys: string[];
  /** Salted SHA-256 of the data, to tell a real change (new `status.version`) from a same-data PUT. */
  digest: string;
  salt: string;
  version: number;
}

export interface SecretMappingRecord extends ResourceRecord {
  secretName: string;
}

export interface KafkaDatabaseRecord extends ResourceRecord {
  spec: JsonObject;
}

export interface KafkaCatalogRecord extends ResourceRecord {
  spec: JsonObject;
  databases: Map<string, KafkaDatabaseRecord>;
}

export interface ComputePoolRecord extends ResourceRecord {
  spec: JsonObject;
  phase: string;
  message?: string;
  progress: PhaseProgress;
}

export interface StatementExceptionRecord {
  name: string;
  message: string;
  at: number;
}

export interface ColumnRecord {
  name: string;
  /** A Flink type as written: `INT`, `STRING`, `TIMESTAMP(3)`. */
  type: string;
  nullable: boolean;
}

/** Rows of a SELECT: computed once (literals) or read from a table when results are fetched. */
export type ResultSource =
  { kind: "rows"; rows: unknown[][] } | { kind: "table"; table: string; projection: number[] | "all" };

export interface StatementRecord extends ResourceRecord {
  spec: JsonObject;
  phase: string;
  detail?: string;
  /** What the emulator could not model for this statement (`status.warning`). */
  warning?: string;
  traits?: JsonObject;
  /** Inlined `result` rows of metadata statements and DDL. */
  inlineRows?: unknown[][];
  resultSource?: ResultSource;
  /** Result rows before this offset were read and discarded (410 for an older page token). */
  resultsDiscardedBefore: number;
  exceptions: StatementExceptionRecord[];
  progress: PhaseProgress;
  /** How many savepoints stop has taken (each stop takes one). */
  savepoints: number;
  /** Its savepoints (savepoints.ts), created on first use: they go with the statement. */
  savepointRecords?: SavepointRecord[];
}

export interface TableRecord {
  catalog: string;
  database: string;
  name: string;
  columns: ColumnRecord[];
  options: Record<string, string>;
  /** Rows a test seeded through the control, in column order. */
  rows: unknown[][];
  createdAt: number;
}

export interface EnvironmentSqlState {
  secretMappings: Map<string, SecretMappingRecord>;
  computePools: Map<string, ComputePoolRecord>;
  statements: Map<string, StatementRecord>;
}

export class SqlState {
  secrets = new Map<string, SecretRecord>();
  catalogs = new Map<string, KafkaCatalogRecord>();
  /** Per environment name; an entry exists once the environment has a child. */
  environments = new Map<string, EnvironmentSqlState>();
  /** Keyed by {@link tableKey}. */
  tables = new Map<string, TableRecord>();

  of(env: string): EnvironmentSqlState {
    let state = this.environments.get(env);
    if (!state) {
      state = { secretMappings: new Map(), computePools: new Map(), statements: new Map() };
      this.environments.set(env, state);
    }
    return state;
  }

  peek(env: string): EnvironmentSqlState | undefined {
    return this.environments.get(env);
  }

  /** "2 statement(s): a, b" per kind of child the environment still has; empty when none. */
  childrenOf(env: string): string[] {
    const state = this.environments.get(env);
    if (!state) return [];
    const out: string[] = [];
    const describe = (what: string, names: Iterable<string>) => {
      const list = [...names];
      if (list.length > 0) out.push(`${list.length} ${what}(s): ${list.join(", ")}`);
    };
    describe("statement", state.statements.keys());
    describe("compute pool", state.computePools.keys());
    describe("secret mapping", state.secretMappings.keys());
    return out;
  }

  clear(): void {
    this.secrets.clear();
    this.catalogs.clear();
    this.environments.clear();
    this.tables.clear();
  }
}

/** `scope` is the environment for tables of the built-in default catalog, "" for Kafka catalogs. */
export function tableKey(scope: string, catalog: string, database: string, table: string): string {
  return JSON.stringify([scope, catalog, database, table]);
}

// ------------------------------------------------------------------------------------------------
// Snapshot (data file, format version 2)

const stringMap = z.record(z.string(), z.string());
const jsonObject = z.record(z.string(), z.unknown());
const resource = {
  name: z.string(),
  uid: z.string(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
};
const progress = z.object({ pending: z.array(z.string()), lastAt: z.number() });
const column = z.object({ name: z.string(), type: z.string(), nullable: z.boolean() });

export const SqlSnapshotSchema = z.object({
  secrets: z.array(
    z.object({
      ...resource,
      keys: z.array(z.string()),
      digest: z.string(),
      salt: z.string(),
      version: z.number(),
    }),
  ),
  catalogs: z.array(
    z.object({
      ...resource,
      spec: jsonObject,
      databases: z.array(z.object({ ...resource, spec: jsonObject })),
    }),
  ),
  environments: z.array(
    z.object({
      name: z.string(),
      secretMappings: z.array(z.object({ ...resource, secretName: z.string() })),
      computePools: z.array(
        z.object({
          ...resource,
          spec: jsonObject,
          phase: z.string(),
          message: z.string().optional(),
          progress,
        }),
      ),
      statements: z.array(
        z.object({
          ...resource,
          spec: jsonObject,
          phase: z.string(),
          detail: z.string().optional(),
          warning: z.string().optional(),
          traits: jsonObject.optional(),
          inlineRows: z.array(z.array(z.unknown())).optional(),
          resultSource: z
            .union([
              z.object({ kind: z.literal("rows"), rows: z.array(z.array(z.unknown())) }),
              z.object({
                kind: z.literal("table"),
                table: z.string(),
                projection: z.union([z.literal("all"), z.array(z.number())]),
              }),
            ])
            .optional(),
          resultsDiscardedBefore: z.number(),
          exceptions: z.array(z.object({ name: z.string(), message: z.string(), at: z.number() })),
          progress,
          savepoints: z.number(),
          savepointRecords: z.array(SavepointRecordSchema).optional(),
        }),
      ),
    }),
  ),
  tables: z.array(
    z.object({
      key: z.string(),
      catalog: z.string(),
      database: z.string(),
      name: z.string(),
      columns: z.array(column),
      options: stringMap,
      rows: z.array(z.array(z.unknown())),
      createdAt: z.number(),
    }),
  ),
});
export type SqlSnapshot = z.infer<typeof SqlSnapshotSchema>;

const withoutCache = <T extends { cache?: ViewCache }>({ cache: _cache, ...rest }: T) => rest;

export function toSqlSnapshot(state: SqlState): SqlSnapshot {
  return {
    secrets: [...state.secrets.values()].map(withoutCache),
    catalogs: [...state.catalogs.values()].map(({ databases, ...catalog }) => ({
      ...withoutCache(catalog),
      databases: [...databases.values()].map(withoutCache),
    })),
    environments: [...state.environments.entries()].map(([name, env]) => ({
      name,
      secretMappings: [...env.secretMappings.values()].map(withoutCache),
      computePools: [...env.computePools.values()].map(withoutCache),
      statements: [...env.statements.values()].map(withoutCache),
    })),
    tables: [...state.tables.entries()].map(([key, table]) => ({ key, ...table })),
  };
}

export function fromSqlSnapshot(snapshot: SqlSnapshot | undefined): SqlState {
  const state = new SqlState();
  if (!snapshot) return state;
  for (const secret of snapshot.secrets) state.secrets.set(secret.name, secret);
  for (const { databases, ...catalog } of snapshot.catalogs) {
    state.catalogs.set(catalog.name, { ...catalog, databases: new Map(databases.map((d) => [d.name, d])) });
  }
  for (const env of snapshot.environments) {
    state.environments.set(env.name, {
      secretMappings: new Map(env.secretMappings.map((m) => [m.name, m])),
      computePools: new Map(env.computePools.map((p) => [p.name, p])),
      statements: new Map(env.statements.map((s) => [s.name, s])),
    });
  }
  for (const { key, ...table } of snapshot.tables) state.tables.set(key, table);
  return state;
}
