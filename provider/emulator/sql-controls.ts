import { z } from "zod";
import {
  COMPUTE_POOL_PHASES,
  parseModel,
  STATEMENT_PHASES,
  type ComputePool,
  type ComputePoolPhase,
  type Statement,
  type StatementPhase,
} from "../models";
import { forcePoolPhase, poolView, requirePool } from "./compute-pools";
import type { EmulatorCore } from "./core";
import { requireEnvironment } from "./environments";
import { badRequest, EmulatorOptionsError } from "./errors";
import { emptyReply, jsonReply } from "./responses";
import { route, type Route } from "./router";
import { tableKey } from "./sql-state";
import { DEFAULT_CATALOG, DEFAULT_DATABASE } from "./sql/brain";
import {
  DEFAULT_STATEMENT_EXCEPTION,
  DEFAULT_STATEMENT_FAILURE,
  failStatement,
  forceStatementPhase,
  requireStatement,
  statementView,
} from "./statements";

export interface SeedColumn {
  name: string;
  /** A Flink type: `INT`, `STRING`, `TIMESTAMP(3)`, ... */
  type: string;
  nullable?: boolean;
}

export interface SeedRows {
  /** Rows in column order, as the results API returns them. */
  rows: unknown[][];
  /** Registers the table (a topic of a Kafka database, say) when no DDL created it. */
  columns?: SeedColumn[];
}

/** Test controls of the SQL families (in-process and under `/_emulator`). */
export interface SqlControls {
  /** Forces a compute pool into a phase (e.g. FAILING with a message); returns the pool. */
  setComputePoolPhase(
    environment: string,
    pool: string,
    phase: ComputePoolPhase,
    message?: string,
  ): Promise<ComputePool>;
  /** FAILED (default) or FAILING with an exception listed by `/exceptions`; returns the statement. */
  failStatement(
    environment: string,
    statement: string,
    options?: { message?: string; exception?: string; phase?: "FAILED" | "FAILING" },
  ): Promise<Statement>;
  /** Any phase at once (RUNNING, COMPLETED, STOPPED, ...); returns the statement. */
  setStatementPhase(environment: string, statement: string, phase: StatementPhase): Promise<Statement>;
  /**
   * Rows a SELECT on the table returns. `table` is `name`, `database.name` or `catalog.database.name`
   * (unqualified: the environment's `default_catalog.default_database`).
   */
  seedTableRows(environment: string, table: string, seed: SeedRows): Promise<void>;
}

const PoolPhaseSchema = z.strictObject({
  phase: z.enum(COMPUTE_POOL_PHASES),
  message: z.string().min(1).optional(),
});
const FailStatementSchema = z.strictObject({
  message: z.string().min(1).optional(),
  exception: z.string().min(1).optional(),
  phase: z.enum(["FAILED", "FAILING"]).optional(),
});
const StatementPhaseSchema = z.strictObject({ phase: z.enum(STATEMENT_PHASES) });
const SeedSchema = z.strictObject({
  rows: z.array(z.array(z.unknown())),
  columns: z
    .array(
      z.strictObject({ name: z.string().min(1), type: z.string().min(1), nullable: z.boolean().optional() }),
    )
    .min(1)
    .optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, toError: (messages: string[]) => Error): T {
  const parsed = parseModel(schema, value);
  if (!parsed.ok) throw toError(parsed.messages);
  return parsed.value;
}
const optionsError = (messages: string[]) => new EmulatorOptionsError(messages);

export function createSqlControls(core: EmulatorCore): SqlControls {
  return {
    async setComputePoolPhase(environment, poolName, phase, message) {
      const input = parse(PoolPhaseSchema, { phase, message }, optionsError);
      const pool = requirePool(core.state, environment, poolName);
      forcePoolPhase(pool, input.phase, input.message, core.now());
      await core.persist();
      return poolView(core.state, environment, pool) as ComputePool;
    },
    async failStatement(environment, name, options = {}) {
      const input = parse(FailStatementSchema, options, optionsError);
      const statement = requireStatement(core.state, environment, name);
      failStatement(
        statement,
        input.phase ?? "FAILED",
        input.exception ?? DEFAULT_STATEMENT_EXCEPTION,
        input.message ?? DEFAULT_STATEMENT_FAILURE,
        core.now(),
      );
      await core.persist();
      return statementView(statement) as Statement;
    },
    async setStatementPhase(environment, name, phase) {
      const input = parse(StatementPhaseSchema, { phase }, optionsError);
      const statement = requireStatement(core.state, environment, name);
      forceStatementPhase(statement, input.phase, core.now());
      await core.persist();
      return statementView(statement) as Statement;
    },
    async seedTableRows(environment, table, seed) {
      const input = parse(SeedSchema, seed, optionsError);
      requireEnvironment(core.state, environment);
      const parts = table.split(".");
      if (parts.length > 3 || parts.some((p) => p === "")) {
        throw new EmulatorOptionsError([
          `table: '${table}' is not a table name (name, db.name or catalog.db.name)`,
        ]);
      }
      const name = parts[parts.length - 1];
      const database = parts.length >= 2 ? parts[parts.length - 2] : DEFAULT_DATABASE;
      const catalog = parts.length === 3 ? parts[0] : DEFAULT_CATALOG;
      const key = tableKey(catalog === DEFAULT_CATALOG ? environment : "", catalog, database, name);
      const existing = core.state.sql.tables.get(key);
      if (!existing && !input.columns) {
        throw new EmulatorOptionsError([
          `columns: table '${table}' does not exist; give its columns to register it`,
        ]);
      }
      core.state.sql.tables.set(key, {
        catalog,
        database,
        name,
        columns:
          input.columns?.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable ?? true })) ??
          existing?.columns ??
          [],
        options: existing?.options ?? {},
        rows: input.rows,
        createdAt: existing?.createdAt ?? core.now(),
      });
      await core.persist();
    },
  };
}

export function sqlControlRoutes(prefix: string, controls: SqlControls): Route[] {
  const env = `${prefix}/environments/{envName}`;
  return [
    route(`${env}/compute-pools/{computePoolName}/phase`, {
      POST: {
        body: "json",
        run: async (ctx) => {
          const { phase, message } = parse(PoolPhaseSchema, ctx.body, badRequest);
          return jsonReply(
            200,
            await controls.setComputePoolPhase(
              ctx.params.envName,
              ctx.params.computePoolName,
              phase,
              message,
            ),
          );
        },
      },
    }),
    route(`${env}/statements/{stmtName}/fail`, {
      POST: {
        body: "optional-json",
        run: async (ctx) => {
          const options = parse(FailStatementSchema, ctx.body, badRequest);
          return jsonReply(
            200,
            await controls.failStatement(ctx.params.envName, ctx.params.stmtName, options),
          );
        },
      },
    }),
    route(`${env}/statements/{stmtName}/phase`, {
      POST: {
        body: "json",
        run: async (ctx) => {
          const { phase } = parse(StatementPhaseSchema, ctx.body, badRequest);
          return jsonReply(
            200,
            await controls.setStatementPhase(ctx.params.envName, ctx.params.stmtName, phase),
          );
        },
      },
    }),
    route(`${env}/tables/{table}/rows`, {
      PUT: {
        body: "json",
        run: async (ctx) => {
          const seed = parse(SeedSchema, ctx.body, badRequest);
          await controls.seedTableRows(ctx.params.envName, ctx.params.table, seed);
          return emptyReply(204);
        },
      },
    }),
  ];
}
