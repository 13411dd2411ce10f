import type { DataType } from "../../models";
import type { ColumnRecord, ResultSource, TableRecord } from "../sql-state";
import type { JsonObject } from "../store";
import type { SqlAnalysis, SqlPosition, TableReference } from "./analysis";
import { dataTypeOf, literalOf, varchar } from "./types";

/**
 * The SQL brain: what CMF would decide at compile time for one statement, from the parse (analysis.ts)
 * and the catalog model an environment sees. Pure: no state is changed here; the plan says what to do.
 */

export const DEFAULT_CATALOG = "default_catalog";
export const DEFAULT_DATABASE = "default_database";

/** What an environment sees of the catalogs (Kafka catalogs only through its secret mappings). */
export interface CatalogModel {
  /** Kafka catalogs visible to the environment (the built-in default catalog comes on top). */
  catalogNames(): string[];
  /** Visible databases of a catalog; undefined when the catalog is unknown or invisible. */
  databaseNames(catalog: string): string[] | undefined;
  table(catalog: string, database: string, name: string): TableRecord | undefined;
  tableNames(catalog: string, database: string): string[];
  /** Why the environment may not run DDL in that database, or undefined when it may. */
  ddlProblem(catalog: string, database: string): string | undefined;
}

export interface ColumnSchema {
  name: string;
  type: DataType;
}

export type DdlEffect =
  | {
      kind: "create";
      catalog: string;
      database: string;
      table: string;
      columns: ColumnRecord[];
      options: Record<string, string>;
    }
  | { kind: "drop"; catalog: string; database: string; table: string };

export interface StatementPlan {
  /** failed: compile error; completed: metadata statement or DDL, done at once; job: runs on the pool. */
  outcome: "failed" | "completed" | "job";
  detail: string;
  sqlKind: string;
  isBounded: boolean;
  isAppendOnly: boolean;
  columns: ColumnSchema[];
  /** `result` rows of a completed statement. */
  inlineRows?: unknown[][];
  /** Where a SELECT's rows come from. */
  resultSource?: ResultSource;
  ddl?: DdlEffect;
  /** What the emulator could not model faithfully (shown in `status.warning`). */
  warning?: string;
}

export const DETAIL_RUNNING = "Statement execution in progress.";
export const DETAIL_COMPLETED = "Statement execution completed.";

const SQL_KINDS: Record<string, string> = {
  simpleCreateTable: "CREATE_TABLE",
  createTableAsSelect: "CREATE_TABLE_AS",
  dropTable: "DROP_TABLE",
  insertSimpleStatement: "INSERT_INTO",
  insertMulStatement: "EXECUTE_STATEMENT_SET",
  insertMulStatementCompatibility: "EXECUTE_STATEMENT_SET",
  queryStatement: "SELECT",
  describeStatement: "DESCRIBE",
  explainStatement: "EXPLAIN",
  useStatement: "USE",
  useModuleStatement: "USE_MODULES",
  setStatement: "SET",
  resetStatement: "RESET",
};

/** `simpleCreateTable` → CREATE_TABLE; SHOW statements → SHOW_<WHAT>; others upper snake case. */
export function sqlKindOf(analysis: SqlAnalysis): string {
  if (analysis.kind === "showStatement") return `SHOW_${(analysis.showWhat ?? "").replace(/\s+/g, "_")}`;
  return SQL_KINDS[analysis.kind] ?? analysis.kind.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

function failed(sqlKind: string, detail: string): StatementPlan {
  return { outcome: "failed", detail, sqlKind, isBounded: true, isAppendOnly: true, columns: [] };
}

function where(p: SqlPosition): string {
  return `From line ${p.line}, column ${p.column} to line ${p.endLine}, column ${p.endColumn}`;
}

export interface Session {
  catalog: string;
  database: string;
}

export function sessionOf(properties: Record<string, string> | undefined): Session {
  return {
    catalog: properties?.["sql.current-catalog"] ?? DEFAULT_CATALOG,
    database: properties?.["sql.current-database"] ?? DEFAULT_DATABASE,
  };
}

interface Resolved {
  catalog: string;
  database: string;
  table: string;
}

type Resolution = { ok: true; path: Resolved } | { ok: false; message: string };

function databasesOf(model: CatalogModel, catalog: string): string[] | undefined {
  return catalog === DEFAULT_CATALOG ? [DEFAULT_DATABASE] : model.databaseNames(catalog);
}

/** Calcite's identifier resolution with Flink's messages (`Object 'x' not found [within 'c.d']`). */
function resolvePath(ref: TableReference, session: Session, model: CatalogModel): Resolution {
  const parts = ref.path;
  const table = parts[parts.length - 1];
  const database = parts.length >= 2 ? parts[parts.length - 2] : session.database;
  const catalog = parts.length >= 3 ? parts[parts.length - 3] : session.catalog;
  const notFound = (object: string, within?: string) => ({
    ok: false as const,
    message: `SQL validation failed. ${where(ref)}: Object '${object}' not found${within ? ` within '${within}'` : ""}`,
  });
  const databases = databasesOf(model, catalog);
  if (!databases) return notFound(parts.length >= 3 ? catalog : parts[0]);
  if (!databases.includes(database))
    return notFound(parts.length >= 2 ? database : table, parts.length >= 3 ? catalog : undefined);
  return { ok: true, path: { catalog, database, table } };
}

const quoted = (p: Resolved) => `\`${p.catalog}\`.\`${p.database}\`.\`${p.table}\``;

/** Source tables of a query: all must exist. */
function resolveSources(
  analysis: SqlAnalysis,
  session: Session,
  model: CatalogModel,
): { ok: true; tables: TableRecord[] } | { ok: false; message: string } {
  const tables: TableRecord[] = [];
  for (const ref of analysis.tables.filter((t) => t.role === "source")) {
    const resolved = resolvePath(ref, session, model);
    if (!resolved.ok) return resolved;
    const { catalog, database, table } = resolved.path;
    const record = model.table(catalog, database, table);
    if (!record) {
      return {
        ok: false,
        message: `SQL validation failed. ${where(ref)}: Object '${table}' not found${ref.path.length > 1 ? ` within '${catalog === session.catalog && ref.path.length === 2 ? database : `${catalog}.${database}`}'` : ""}`,
      };
    }
    tables.push(record);
  }
  return { ok: true, tables };
}

/** Projection of a query over one table (or over literals only); Flink names unnamed columns EXPR$i. */
function planQuery(
  analysis: SqlAnalysis,
  sources: TableRecord[],
): { columns: ColumnSchema[]; source: ResultSource; warning?: string } | { error: string } {
  if (!analysis.hasFrom) {
    const columns: ColumnSchema[] = [];
    const row: unknown[] = [];
    const opaque: string[] = [];
    analysis.selectItems.forEach((item, i) => {
      const literal = literalOf(item.text);
      const name = item.alias ?? `EXPR$${i}`;
      if (literal) {
        columns.push({ name, type: literal.type });
        row.push(literal.value);
      } else {
        columns.push({ name, type: varchar(true) });
        row.push(null);
        opaque.push(name);
      }
    });
    return {
      columns,
      source: { kind: "rows", rows: [row] },
      ...(opaque.length > 0
        ? { warning: `The emulator evaluates literals only: ${opaque.join(", ")} returned as null` }
        : {}),
    };
  }
  if (sources.length !== 1) {
    return {
      columns: analysis.selectItems.map((item, i) => ({
        name: item.alias ?? `EXPR$${i}`,
        type: varchar(true),
      })),
      source: { kind: "rows", rows: [] },
      warning: "The emulator does not evaluate joins: no rows are returned",
    };
  }
  const table = sources[0];
  /* Window table functions add their time columns to the table's (they have no seeded values). */
  const windowColumns: ColumnRecord[] = analysis.windowed
    ? ["window_start", "window_end", "window_time"].map((name) => ({
        name,
        type: "TIMESTAMP(3)",
        nullable: false,
      }))
    : [];
  const known = [...table.columns, ...windowColumns];
  const all = known.map((c) => ({ name: c.name, type: dataTypeOf(c.type, c.nullable) }));
  const seeded = (index: number) => (index < table.columns.length ? index : -1);
  const columns: ColumnSchema[] = [];
  const projection: number[] = [];
  const opaque: string[] = [];
  for (const [i, item] of analysis.selectItems.entries()) {
    if (item.star) {
      all.forEach((c, index) => {
        columns.push(c);
        projection.push(seeded(index));
      });
      continue;
    }
    const name = item.text.replace(/^`(.*)`$/, "$1");
    const index = known.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
    if (/^[A-Za-z_][\w$]*$|^`[^`]+`$/.test(item.text)) {
      if (index < 0) return { error: `SQL validation failed. Column '${name}' not found in any table` };
      columns.push({ name: item.alias ?? known[index].name, type: all[index].type });
      projection.push(seeded(index));
    } else {
      columns.push({ name: item.alias ?? `EXPR$${i}`, type: varchar(true) });
      projection.push(-1);
      opaque.push(item.alias ?? `EXPR$${i}`);
    }
  }
  return {
    columns,
    source: { kind: "table", table: "", projection },
    ...(opaque.length > 0
      ? { warning: `The emulator projects plain columns only: ${opaque.join(", ")} returned as null` }
      : {}),
  };
}

function completed(
  sqlKind: string,
  columns: ColumnSchema[],
  rows: unknown[][],
  extra: Partial<StatementPlan> = {},
): StatementPlan {
  return {
    outcome: "completed",
    detail: DETAIL_COMPLETED,
    sqlKind,
    isBounded: true,
    isAppendOnly: true,
    columns,
    inlineRows: rows,
    ...extra,
  };
}

const OK: [ColumnSchema[], unknown[][]] = [[{ name: "result", type: varchar(false) }], [["OK"]]];

/** Decides what CMF would do with the statement; `tableKeyOf` names a table for result sources. */
export function planStatement(
  analysis: SqlAnalysis,
  properties: Record<string, string> | undefined,
  model: CatalogModel,
  tableKeyOf: (table: TableRecord) => string,
): StatementPlan {
  if (analysis.errors.length > 0) {
    const e = analysis.errors[0];
    return failed(
      "UNKNOWN",
      `SQL parse failed. Encountered "${e.token}" at line ${e.line}, column ${e.column}. ${e.message}`.trim(),
    );
  }
  const sqlKind = sqlKindOf(analysis);
  if (analysis.statementCount !== 1) {
    return failed(
      sqlKind,
      `Unsupported SQL query! A statement holds exactly one SQL statement (got ${analysis.statementCount}).`,
    );
  }
  const session = sessionOf(properties);
  if (!databasesOf(model, session.catalog)) {
    return failed(sqlKind, `A catalog with name [${session.catalog}] does not exist.`);
  }
  switch (analysis.kind) {
    case "simpleCreateTable":
    case "createTableAsSelect": {
      const ref = analysis.tables.find((t) => t.role === "create");
      if (!ref) return failed(sqlKind, "CREATE TABLE without a table name");
      const resolved = resolvePath(ref, session, model);
      if (!resolved.ok) return failed(sqlKind, resolved.message);
      const path = resolved.path;
      const ddlProblem =
        path.catalog === DEFAULT_CATALOG ? undefined : model.ddlProblem(path.catalog, path.database);
      if (ddlProblem) return failed(sqlKind, ddlProblem);
      const exists = model.table(path.catalog, path.database, path.table) !== undefined;
      if (exists && !analysis.ifNotExists) {
        return failed(
          sqlKind,
          `Could not execute CreateTable in path ${quoted(path)}: Table (or view) ${path.table} already exists in Catalog ${path.catalog}.`,
        );
      }
      if (analysis.kind === "simpleCreateTable") {
        return completed(
          sqlKind,
          ...OK,
          exists
            ? {}
            : { ddl: { kind: "create", ...path, columns: analysis.columns, options: analysis.options } },
        );
      }
      const sources = resolveSources(analysis, session, model);
      if (!sources.ok) return failed(sqlKind, sources.message);
      const query = planQuery(analysis, sources.tables);
      if ("error" in query) return failed(sqlKind, query.error);
      const columns = query.columns.map((c) => ({
        name: c.name,
        type: c.type.type,
        nullable: c.type.nullable,
      }));
      return {
        outcome: "job",
        detail: DETAIL_RUNNING,
        sqlKind,
        isBounded: !analysis.hasFrom,
        isAppendOnly: true,
        columns: [],
        ...(exists ? {} : { ddl: { kind: "create" as const, ...path, columns, options: analysis.options } }),
      };
    }
    case "dropTable": {
      const ref = analysis.tables.find((t) => t.role === "drop");
      if (!ref) return failed(sqlKind, "DROP TABLE without a table name");
      const resolved = resolvePath(ref, session, model);
      const path = resolved.ok ? resolved.path : undefined;
      const exists = path !== undefined && model.table(path.catalog, path.database, path.table) !== undefined;
      if (!exists) {
        if (analysis.ifExists) return completed(sqlKind, ...OK);
        const name = path ? `${path.catalog}.${path.database}.${path.table}` : ref.path.join(".");
        return failed(sqlKind, `Table with identifier '${name}' does not exist.`);
      }
      const ddlProblem =
        path.catalog === DEFAULT_CATALOG ? undefined : model.ddlProblem(path.catalog, path.database);
      if (ddlProblem) return failed(sqlKind, ddlProblem);
      return completed(sqlKind, ...OK, { ddl: { kind: "drop", ...path } });
    }
    case "describeStatement": {
      const ref = analysis.tables.find((t) => t.role === "describe");
      if (!ref) return failed(sqlKind, "DESCRIBE without a table name");
      const sources = resolveSources({ ...analysis, tables: [{ ...ref, role: "source" }] }, session, model);
      if (!sources.ok) return failed(sqlKind, sources.message);
      const table = sources.tables[0];
      const columns: ColumnSchema[] = [
        { name: "name", type: varchar(false) },
        { name: "type", type: varchar(false) },
        { name: "null", type: { type: "BOOLEAN", nullable: false } },
        { name: "key", type: varchar(true) },
        { name: "extras", type: varchar(true) },
        { name: "watermark", type: varchar(true) },
      ];
      return completed(
        sqlKind,
        columns,
        table.columns.map((c) => [
          c.name,
          c.nullable ? c.type : `${c.type} NOT NULL`,
          c.nullable,
          null,
          null,
          null,
        ]),
      );
    }
    case "showStatement":
      return planShow(analysis, sqlKind, session, model);
    case "explainStatement": {
      const sources = resolveSources(analysis, session, model);
      if (!sources.ok) return failed(sqlKind, sources.message);
      const plan = `== Abstract Syntax Tree ==\nLogicalProject (emulated: the CMF emulator does not optimize queries)\n+- ${sources.tables.map((t) => `LogicalTableScan(table=[[${t.catalog}, ${t.database}, ${t.name}]])`).join("\n+- ") || "LogicalValues"}`;
      return completed(sqlKind, [{ name: "result", type: varchar(false) }], [[plan]], {
        warning: "EXPLAIN output is a placeholder: the emulator does not plan queries",
      });
    }
    case "queryStatement":
    case "insertSimpleStatement": {
      const sources = resolveSources(analysis, session, model);
      if (!sources.ok) return failed(sqlKind, sources.message);
      if (analysis.kind === "insertSimpleStatement") {
        const sink = analysis.tables.find((t) => t.role === "sink");
        if (sink) {
          const resolved = resolveSources(
            { ...analysis, tables: [{ ...sink, role: "source" }] },
            session,
            model,
          );
          if (!resolved.ok) return failed(sqlKind, resolved.message);
        }
        const bounded = analysis.insertsValues || (!analysis.hasFrom && analysis.selectItems.length > 0);
        return {
          outcome: "job",
          detail: DETAIL_RUNNING,
          sqlKind,
          isBounded: bounded,
          isAppendOnly: true,
          columns: [],
        };
      }
      const query = planQuery(analysis, sources.tables);
      if ("error" in query) return failed(sqlKind, query.error);
      const source: ResultSource =
        query.source.kind === "table"
          ? { ...query.source, table: tableKeyOf(sources.tables[0]) }
          : query.source;
      return {
        outcome: "job",
        detail: DETAIL_RUNNING,
        sqlKind,
        isBounded: !analysis.hasFrom,
        isAppendOnly: true,
        columns: query.columns,
        resultSource: source,
        ...(query.warning ? { warning: query.warning } : {}),
      };
    }
    case "useStatement":
    case "setStatement":
    case "resetStatement":
      return completed(sqlKind, ...OK, {
        warning: `${sqlKind} has no effect on other statements: set spec.properties (sql.current-catalog, sql.current-database, ...) instead`,
      });
    default:
      return completed(sqlKind, ...OK, {
        warning: `The emulator accepts ${sqlKind} statements without modelling their effect`,
      });
  }
}

function planShow(
  analysis: SqlAnalysis,
  sqlKind: string,
  session: Session,
  model: CatalogModel,
): StatementPlan {
  const what = analysis.showWhat ?? "";
  const one = (column: string, values: string[]) =>
    completed(
      sqlKind,
      [{ name: column, type: varchar(false) }],
      values.map((v) => [v]),
    );
  if (what === "TABLES") {
    if (!databasesOf(model, session.catalog)?.includes(session.database)) {
      return failed(
        sqlKind,
        `A database with name [${session.database}] does not exist in the catalog: [${session.catalog}].`,
      );
    }
    return one("table name", model.tableNames(session.catalog, session.database).sort());
  }
  if (what === "CATALOGS") return one("catalog name", [DEFAULT_CATALOG, ...model.catalogNames()].sort());
  if (what === "DATABASES")
    return one("database name", [...(databasesOf(model, session.catalog) ?? [])].sort());
  if (what === "CURRENT CATALOG") return one("current catalog name", [session.catalog]);
  if (what === "CURRENT DATABASE") return one("current database name", [session.database]);
  return completed(sqlKind, [], [], { warning: `The emulator answers SHOW ${what} with no rows` });
}

/** `status.traits` as CMF fills it. */
export function traitsOf(plan: StatementPlan): JsonObject {
  return {
    sqlKind: plan.sqlKind,
    isBounded: plan.isBounded,
    isAppendOnly: plan.isAppendOnly,
    upsertColumns: [],
    schema: { columns: plan.columns.map((c) => ({ name: c.name, type: c.type })) },
  };
}
