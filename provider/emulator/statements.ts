import {
  CMF_API_VERSION,
  PostStatementSchema,
  STATEMENT_EXCEPTION_KIND,
  STATEMENT_EXCEPTION_LIST_KIND,
  STATEMENT_KIND,
  STATEMENT_RESULT_KIND,
} from "../models";
import { catalogVisibleIn, databaseVisibleIn, ddlAllowedIn } from "./catalogs";
import { timestamp } from "./clock";
import { ACTIVE_STATEMENT_PHASES } from "./compute-pools";
import { ApiError, badRequest } from "./errors";
import { clone, jsonEqual } from "./json";
import { computeEtag } from "./responses";
import type { LifecycleMode } from "./lifecycle";
import { beginPhases, envelope, newResource, parseBody, updateMetadata } from "./sql-common";
import { environmentObjects, inEnvironment, parsePutBody, requireNamed, requireNewName } from "./sql-names";
import { tableKey, type StatementRecord, type TableRecord } from "./sql-state";
import type { SqlAnalysis } from "./sql/analysis";
import { DEFAULT_CATALOG, planStatement, traitsOf, type CatalogModel, type StatementPlan } from "./sql/brain";
import type { EmulatorState, JsonObject } from "./store";

/**
 * Statements (`/environments/{env}/statements`): compiled at create by the SQL brain, then
 * COMPLETED at once (metadata statements, DDL), FAILED at once (compile errors, still HTTP 200), or
 * run on the pool: PENDING → RUNNING (→ COMPLETED when bounded). Stop, resume and rescale by PUT.
 */

/** Fields a PUT may not change (notes §3.2: `statement` per CFK; `computePoolName` [I]). */
export const IMMUTABLE_STATEMENT_FIELDS = ["statement", "computePoolName"] as const;
/** Rows per `/results` page (CMF does not document its page size). */
export const RESULTS_PAGE_SIZE = 100;
/** CMF keeps the last 10 exceptions of a statement. */
export const MAX_STATEMENT_EXCEPTIONS = 10;

const STOPPABLE = new Set(["PENDING", "RUNNING", "FAILING"]);
const RESCALABLE = new Set(["PENDING", "RUNNING", "STOPPED", "FAILING"]);
/** Marks the end of a DELETING statement: the apply step removes it. */
const GONE = "GONE";

export function statementsOf(state: EmulatorState, env: string): Map<string, StatementRecord> {
  return environmentObjects(state, env, "statements");
}

export function requireStatement(state: EmulatorState, env: string, name: string): StatementRecord {
  return requireNamed(statementsOf(state, env), "Statement", name, inEnvironment(env));
}

/** The catalogs, databases and tables environment `env` sees. */
export function catalogModel(state: EmulatorState, env: string): CatalogModel {
  const visibleCatalog = (name: string) => {
    const catalog = state.sql.catalogs.get(name);
    return catalog && catalogVisibleIn(state, catalog, env) ? catalog : undefined;
  };
  const scope = (catalog: string) => (catalog === DEFAULT_CATALOG ? env : "");
  return {
    catalogNames: () =>
      [...state.sql.catalogs.values()].filter((c) => catalogVisibleIn(state, c, env)).map((c) => c.name),
    databaseNames: (name) => {
      const catalog = visibleCatalog(name);
      if (!catalog) return undefined;
      return [...catalog.databases.values()]
        .filter((d) => databaseVisibleIn(state, catalog, d, env))
        .map((d) => d.name);
    },
    table: (catalog, database, name) =>
      state.sql.tables.get(tableKey(scope(catalog), catalog, database, name)),
    tableNames: (catalog, database) =>
      [...state.sql.tables.entries()]
        .filter(
          ([key, t]) =>
            t.catalog === catalog &&
            t.database === database &&
            key === tableKey(scope(catalog), catalog, database, t.name),
        )
        .map(([, t]) => t.name),
    ddlProblem: (catalogName, databaseName) => {
      const database = visibleCatalog(catalogName)?.databases.get(databaseName);
      if (database && ddlAllowedIn(database, env)) return undefined;
      return `Environment '${env}' is not allowed to run DDL statements in database '${catalogName}.${databaseName}' (see its spec.ddlEnvironments).`;
    },
  };
}

export function keyOfTable(env: string, table: TableRecord): string {
  return tableKey(table.catalog === DEFAULT_CATALOG ? env : "", table.catalog, table.database, table.name);
}

export interface StatementDraft {
  name: string;
  sql: string;
  input: ReturnType<typeof parseBody<typeof PostStatementSchema>>;
}

/** The checks that need no SQL parse: body, environment, unique name, existing pool. */
export function checkNewStatement(state: EmulatorState, env: string, body: unknown): StatementDraft {
  const statements = statementsOf(state, env);
  const input = parseBody(PostStatementSchema, body);
  const name = input.metadata.name;
  requireNewName(statements, "Statement", name, inEnvironment(env));
  if (!state.sql.of(env).computePools.has(input.spec.computePoolName)) {
    throw badRequest(
      `spec.computePoolName: ComputePool '${input.spec.computePoolName}' not found in Environment '${env}'`,
    );
  }
  return { name, sql: input.spec.statement, input };
}

function applyDdl(state: EmulatorState, env: string, plan: StatementPlan, now: number): void {
  const ddl = plan.ddl;
  if (!ddl) return;
  const key = tableKey(ddl.catalog === DEFAULT_CATALOG ? env : "", ddl.catalog, ddl.database, ddl.table);
  if (ddl.kind === "drop") state.sql.tables.delete(key);
  else {
    state.sql.tables.set(key, {
      catalog: ddl.catalog,
      database: ddl.database,
      name: ddl.table,
      columns: ddl.columns,
      options: ddl.options,
      rows: [],
      createdAt: now,
    });
  }
}

export function applyStatementPhase(state: EmulatorState, env: string, statement: StatementRecord) {
  return (phase: string, at: number) => {
    if (phase === GONE) {
      state.sql.peek(env)?.statements.delete(statement.name);
      return;
    }
    statement.phase = phase;
    statement.updatedAt = at;
    statement.cache = undefined;
    if (phase === "COMPLETED") statement.detail = "Statement execution completed.";
    else if (phase === "RUNNING" || phase === "PENDING")
      statement.detail = "Statement execution in progress.";
    else if (phase === "STOPPED") statement.detail = "Statement stopped with a savepoint.";
  };
}

function jobPhases(statement: StatementRecord): string[] {
  return ["PENDING", "RUNNING", ...(statement.traits?.isBounded === true ? ["COMPLETED"] : [])];
}

/** Creates the statement from a draft and its parse (the parse ran between the checks and now). */
export function createStatement(
  state: EmulatorState,
  env: string,
  draft: StatementDraft,
  analysis: SqlAnalysis,
  mode: LifecycleMode,
  now: number,
): StatementRecord {
  /* State may have changed while the SQL was parsed: check again. */
  checkNewStatement(state, env, draft.input);
  const { input } = draft;
  const plan = planStatement(analysis, input.spec.properties, catalogModel(state, env), (t) =>
    keyOfTable(env, t),
  );
  const statement: StatementRecord = {
    ...newResource(input.metadata, now),
    spec: clone(input.spec) as JsonObject,
    phase: "PENDING",
    detail: plan.detail,
    traits: traitsOf(plan),
    ...(plan.warning ? { warning: plan.warning } : {}),
    resultsDiscardedBefore: 0,
    exceptions: [],
    progress: { pending: [], lastAt: now },
    savepoints: 0,
  };
  if (plan.resultSource) statement.resultSource = plan.resultSource;
  applyDdl(state, env, plan, now);
  if (plan.outcome === "failed") statement.phase = "FAILED";
  else if (plan.outcome === "completed") {
    statement.phase = "COMPLETED";
    statement.inlineRows = plan.inlineRows ?? [];
  } else if (input.spec.stopped === true) {
    statement.phase = "STOPPED";
    statement.detail = "Statement stopped with a savepoint.";
  } else {
    beginPhases(
      statement.progress,
      jobPhases(statement),
      mode,
      now,
      applyStatementPhase(state, env, statement),
    );
  }
  state.sql.of(env).statements.set(statement.name, statement);
  return statement;
}

/**
 * `PUT`: stop (`stopped: true` from PENDING/RUNNING/FAILING → STOPPED, taking a savepoint), resume
 * (`stopped: false` from STOPPED → PENDING → RUNNING), rescale (`parallelism` in PENDING, RUNNING,
 * STOPPED or FAILING). `statement` and `computePoolName` cannot change. Answers 200 without a body.
 */
export function updateStatement(
  state: EmulatorState,
  env: string,
  name: string,
  body: unknown,
  mode: LifecycleMode,
  now: number,
): void {
  const statement = requireStatement(state, env, name);
  const input = parsePutBody(PostStatementSchema, name, body);
  const problems: string[] = [];
  for (const field of IMMUTABLE_STATEMENT_FIELDS) {
    if (input.spec[field] !== statement.spec[field]) {
      problems.push(
        `spec.${field}: cannot be changed on an existing statement; create a new statement instead`,
      );
    }
  }
  const wasStopped = statement.spec.stopped === true;
  const stop = input.spec.stopped === true && !wasStopped;
  const resume = input.spec.stopped !== true && wasStopped;
  const parallelism = (s: JsonObject) => (typeof s.parallelism === "number" ? s.parallelism : 1);
  const rescale = parallelism(input.spec) !== parallelism(statement.spec);
  if (stop && !STOPPABLE.has(statement.phase)) {
    problems.push(
      `spec.stopped: a statement can only be stopped in phase PENDING, RUNNING or FAILING (it is ${statement.phase})`,
    );
  }
  if (resume && statement.phase !== "STOPPED") {
    problems.push(`spec.stopped: only a STOPPED statement can be resumed (it is ${statement.phase})`);
  }
  if (rescale && !RESCALABLE.has(statement.phase)) {
    problems.push(
      `spec.parallelism: a statement can only be rescaled in phase PENDING, RUNNING, STOPPED or FAILING (it is ${statement.phase})`,
    );
  }
  if (problems.length > 0) throw badRequest(problems);

  const spec = clone(input.spec) as JsonObject;
  const metadataChanged = updateMetadata(statement, input.metadata);
  if (!metadataChanged && jsonEqual(spec, statement.spec)) return;
  statement.spec = spec;
  statement.updatedAt = now;
  statement.cache = undefined;
  const apply = applyStatementPhase(state, env, statement);
  if (stop) {
    statement.savepoints++;
    beginPhases(statement.progress, ["STOPPED"], mode, now, apply);
  } else if (resume) {
    beginPhases(statement.progress, jobPhases(statement), mode, now, apply);
  }
}

/**
 * `DELETE`: 204 when the statement is gone at once (not running, `force=true`, or instant mode);
 * otherwise 202 and phase DELETING until the next lifecycle step removes it.
 */
export function deleteStatement(
  state: EmulatorState,
  env: string,
  name: string,
  force: boolean,
  mode: LifecycleMode,
  now: number,
): 202 | 204 {
  const statement = requireStatement(state, env, name);
  if (force || mode === "instant" || !ACTIVE_STATEMENT_PHASES.has(statement.phase)) {
    state.sql.of(env).statements.delete(name);
    return 204;
  }
  if (statement.phase !== "DELETING") {
    statement.phase = "DELETING";
    statement.detail = "Statement is being deleted.";
    statement.updatedAt = now;
    statement.cache = undefined;
    statement.progress = { pending: [GONE], lastAt: now };
  }
  return 202;
}

function resultEnvelope(rows: unknown[][], at: number, nextPageToken?: string): JsonObject {
  return {
    apiVersion: CMF_API_VERSION,
    kind: STATEMENT_RESULT_KIND,
    metadata: {
      creationTimestamp: timestamp(at),
      ...(nextPageToken === undefined ? {} : { annotations: { nextPageToken } }),
    },
    results: { data: rows.map((row) => ({ op: 0, row })) },
  };
}

/** The GET answer, cached until the statement changes (every change above drops `cache`). */
export function cachedStatementView(statement: StatementRecord): { body: string; etag: string } {
  if (!statement.cache) {
    const body = JSON.stringify(statementView(statement));
    statement.cache = { body, etag: computeEtag(body) };
  }
  return statement.cache;
}

export function statementView(statement: StatementRecord): JsonObject {
  const spec: JsonObject = { ...statement.spec };
  /* CMF's defaults, shown so that a read-back has them. */
  spec.parallelism ??= 1;
  spec.stopped ??= false;
  const status: JsonObject = { phase: statement.phase };
  if (statement.detail !== undefined) status.detail = statement.detail;
  if (statement.traits) status.traits = statement.traits;
  if (statement.warning !== undefined) status.warning = statement.warning;
  const view: JsonObject = { ...envelope(STATEMENT_KIND, statement), spec, status };
  if (statement.inlineRows) view.result = resultEnvelope(statement.inlineRows, statement.createdAt);
  return view;
}

function encodeToken(uid: string, offset: number): string {
  return Buffer.from(JSON.stringify({ u: uid, o: offset })).toString("base64url");
}

function decodeToken(token: string, uid: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      u?: unknown;
      o?: unknown;
    };
    if (parsed.u === uid && typeof parsed.o === "number" && Number.isSafeInteger(parsed.o) && parsed.o >= 0)
      return parsed.o;
  } catch {
    /* reported below */
  }
  throw badRequest(`page-token: '${token}' is not a page token of this statement`);
}

function sourceRows(state: EmulatorState, statement: StatementRecord): unknown[][] {
  const source = statement.resultSource;
  if (!source) return [];
  if (source.kind === "rows") return source.rows;
  const table = state.sql.tables.get(source.table);
  if (!table) return [];
  if (source.projection === "all") return table.rows;
  const projection = source.projection;
  return table.rows.map((row) => projection.map((i) => (i >= 0 ? (row[i] ?? null) : null)));
}

/**
 * `GET .../results`: SELECT statements only (400 otherwise). Pages of {@link RESULTS_PAGE_SIZE} rows;
 * `metadata.annotations.nextPageToken` names the next page while more rows are or may become
 * available (a running unbounded query). Rows before a requested page are discarded, so an older
 * token answers 410.
 */
export function statementResults(
  state: EmulatorState,
  statement: StatementRecord,
  token: string | null,
  now: number,
): JsonObject {
  if (statement.traits?.sqlKind !== "SELECT" || !statement.resultSource) {
    throw badRequest(
      `Statement '${statement.name}' has no results: the results API serves SELECT statements (this is ${String(statement.traits?.sqlKind ?? "an unknown statement")}${statement.phase === "FAILED" ? " that FAILED" : ""})`,
    );
  }
  if (statement.phase === "DELETING") {
    throw new ApiError(
      410,
      `The results of statement '${statement.name}' are gone: the statement is being deleted`,
    );
  }
  const offset = token === null ? 0 : decodeToken(token, statement.uid);
  if (offset < statement.resultsDiscardedBefore) {
    throw new ApiError(
      410,
      `The results of statement '${statement.name}' before row ${statement.resultsDiscardedBefore} were read and are gone`,
    );
  }
  const started = statement.phase !== "PENDING";
  const rows = started ? sourceRows(state, statement) : [];
  const page = rows.slice(offset, offset + RESULTS_PAGE_SIZE);
  statement.resultsDiscardedBefore = offset;
  const end = offset + page.length;
  const more = end < rows.length || statement.phase === "RUNNING" || statement.phase === "PENDING";
  return resultEnvelope(page, now, more ? encodeToken(statement.uid, end) : undefined);
}

export function exceptionsView(statement: StatementRecord): JsonObject {
  return {
    apiVersion: CMF_API_VERSION,
    kind: STATEMENT_EXCEPTION_LIST_KIND,
    data: [...statement.exceptions].reverse().map((e) => ({
      apiVersion: CMF_API_VERSION,
      kind: STATEMENT_EXCEPTION_KIND,
      name: e.name,
      message: e.message,
      timestamp: timestamp(e.at),
    })),
  };
}

export const DEFAULT_STATEMENT_EXCEPTION = "org.apache.flink.runtime.JobException";
export const DEFAULT_STATEMENT_FAILURE = "Recovery is suppressed by NoRestartBackoffTimeStrategy";

/** Test control: FAILED (or FAILING) with an exception, as a crashed job reports it. */
export function failStatement(
  statement: StatementRecord,
  phase: "FAILED" | "FAILING",
  name: string,
  message: string,
  now: number,
): void {
  statement.exceptions.push({ name, message, at: now });
  if (statement.exceptions.length > MAX_STATEMENT_EXCEPTIONS)
    statement.exceptions.splice(0, statement.exceptions.length - MAX_STATEMENT_EXCEPTIONS);
  statement.progress = { pending: [], lastAt: now };
  statement.phase = phase;
  statement.detail = `${name}: ${message}`;
  statement.updatedAt = now;
  statement.cache = undefined;
}

/** Test control: any phase, at once (e.g. RUNNING or COMPLETED in manual mode). */
export function forceStatementPhase(statement: StatementRecord, phase: string, now: number): void {
  statement.progress = { pending: [], lastAt: now };
  statement.phase = phase;
  statement.updatedAt = now;
  statement.cache = undefined;
}
