import {
  catalogView,
  createCatalog,
  createDatabase,
  databaseView,
  deleteCatalog,
  deleteDatabase,
  requireCatalog,
  requireDatabase,
  updateCatalog,
  updateDatabase,
} from "./catalogs";
import { createPool, deletePool, poolsOf, poolView, requirePool, updatePool } from "./compute-pools";
import type { EmulatorCore } from "./core";
import { listPage, parseListQuery, type ListDefinition } from "./listing";
import { emptyReply, jsonReply, type Reply } from "./responses";
import { route, type Handler, type RequestContext, type Route } from "./router";
import { CMF_V1 } from "./routes";
import {
  createMapping,
  createSecret,
  deleteMapping,
  deleteSecret,
  environmentsMapping,
  mappingView,
  requireMapping,
  requireSecret,
  secretView,
  updateMapping,
  updateSecret,
} from "./secrets";
import { resourceSortKeys } from "./sql-common";
import type {
  ComputePoolRecord,
  KafkaCatalogRecord,
  KafkaDatabaseRecord,
  SecretMappingRecord,
  SecretRecord,
  StatementRecord,
} from "./sql-state";
import { requireEnvironment } from "./environments";
import { booleanParam } from "./routes";
import { touchPool, touchStatement } from "./sql-lifecycle";
import {
  cachedStatementView,
  checkNewStatement,
  createStatement,
  deleteStatement,
  exceptionsView,
  requireStatement,
  statementResults,
  statementsOf,
  statementView,
  updateStatement,
} from "./statements";
import { badRequest } from "./errors";
import { globMatcher } from "./glob";
import { checkStartFromSavepoint } from "./savepoint-parents";

/** HTTP glue of the SQL families: parse the request, call the pure module, shape the reply. */

const SECRET_LIST: ListDefinition<SecretRecord> = {
  resource: "secrets",
  sortKeys: resourceSortKeys<SecretRecord>(),
  filters: { name: (s) => s.name, labels: (s) => s.labels },
  supportsFilter: true,
  supportsFields: true,
};

const MAPPING_LIST: ListDefinition<SecretMappingRecord> = {
  resource: "secret mappings",
  sortKeys: { ...resourceSortKeys<SecretMappingRecord>(), "spec.secretName": (m) => m.secretName },
};

const CATALOG_LIST: ListDefinition<KafkaCatalogRecord> = {
  resource: "catalogs",
  sortKeys: resourceSortKeys<KafkaCatalogRecord>(),
};

const DATABASE_LIST: ListDefinition<KafkaDatabaseRecord> = {
  resource: "databases",
  sortKeys: resourceSortKeys<KafkaDatabaseRecord>(),
};

const POOL_LIST: ListDefinition<ComputePoolRecord> = {
  resource: "compute pools",
  sortKeys: { ...resourceSortKeys<ComputePoolRecord>(), "status.phase": (p) => p.phase },
  filters: { name: (p) => p.name, labels: (p) => p.labels, phase: (p) => p.phase },
  supportsFilter: true,
  supportsFields: true,
};

const STATEMENT_LIST: ListDefinition<StatementRecord> = {
  resource: "statements",
  sortKeys: { ...resourceSortKeys<StatementRecord>(), "status.phase": (s) => s.phase },
  filters: { name: (s) => s.name, labels: (s) => s.labels, phase: (s) => s.phase },
  searchScopes: { name: (s) => s.name, statement: (s) => String(s.spec.statement) },
  supportsFilter: true,
  supportsFields: true,
};

const STATEMENT_PHASE_PARAM = new Set([
  "pending",
  "running",
  "completed",
  "deleting",
  "failing",
  "failed",
  "stopped",
]);

/** The statements list's own parameters: `compute-pool`, `phase` (lower case) and the deprecated `name`. */
function legacyStatementFilters(query: URLSearchParams): ((s: StatementRecord) => boolean)[] {
  const out: ((s: StatementRecord) => boolean)[] = [];
  const pool = query.get("compute-pool");
  if (pool !== null && pool !== "") out.push((s) => s.spec.computePoolName === pool);
  const phase = query.get("phase");
  if (phase !== null && phase !== "") {
    if (!STATEMENT_PHASE_PARAM.has(phase)) {
      throw badRequest(`phase: must be one of: ${[...STATEMENT_PHASE_PARAM].join(", ")} (got '${phase}')`);
    }
    out.push((s) => s.phase === phase.toUpperCase());
  }
  const name = query.get("name");
  if (name !== null && name !== "") {
    const matches = globMatcher(name);
    out.push((s) => matches(s.name));
  }
  return out;
}

/** A list answer: the query checked against the family's list, then one page of views. */
function listReply<T>(
  params: URLSearchParams,
  def: ListDefinition<T>,
  items: Iterable<T>,
  view: (item: T) => unknown,
): Reply {
  const query = parseListQuery(params, def);
  return jsonReply(200, listPage(items, query, def, view), true);
}

/** A write CMF answers with the object (`view` does the write and returns its view). */
function viewWrite(view: (ctx: RequestContext) => unknown): Handler {
  return { body: "json", write: true, run: (ctx) => jsonReply(200, view(ctx)) };
}

/** A write CMF answers without a body (a DELETE's 204, a catalog's or database's PUT's 200). */
function bodyless(status: number, write: (ctx: RequestContext) => void, body?: "json"): Handler {
  return {
    ...(body ? { body } : {}),
    write: true,
    run: (ctx) => {
      write(ctx);
      return emptyReply(status);
    },
  };
}

export function sqlRoutes(core: EmulatorCore): Route[] {
  const state = () => core.state;
  const touch = (pool: ComputePoolRecord, isGetOfThis: boolean) => {
    if (touchPool(pool, core.lifecycle, core.now(), isGetOfThis)) core.persistInBackground();
  };
  const touchStmt = (env: string, statement: StatementRecord, isGetOfThis: boolean) => {
    if (touchStatement(state(), env, statement, core.lifecycle, core.now(), isGetOfThis))
      core.persistInBackground();
  };
  const secretList: ListDefinition<SecretRecord> = {
    ...SECRET_LIST,
    searchScopes: {
      name: (s) => s.name,
      environments: (s) => environmentsMapping(state(), s.name).join(","),
    },
  };
  return [
    route(`${CMF_V1}/secrets`, {
      GET: {
        run: (ctx) =>
          listReply(ctx.query, secretList, state().sql.secrets.values(), (s) => secretView(state(), s)),
      },
      POST: viewWrite((ctx) => secretView(state(), createSecret(state(), ctx.body, core.now()))),
    }),
    route(`${CMF_V1}/secrets/{secretName}`, {
      GET: {
        run: (ctx) =>
          jsonReply(200, secretView(state(), requireSecret(state(), ctx.params.secretName)), true),
      },
      PUT: viewWrite((ctx) =>
        secretView(state(), updateSecret(state(), ctx.params.secretName, ctx.body, core.now())),
      ),
      DELETE: bodyless(204, (ctx) => deleteSecret(state(), ctx.params.secretName)),
    }),
    route(`${CMF_V1}/environments/{envName}/secret-mappings`, {
      GET: {
        run: (ctx) => {
          requireEnvironment(state(), ctx.params.envName);
          const mappings = state().sql.peek(ctx.params.envName)?.secretMappings.values() ?? [];
          return listReply(ctx.query, MAPPING_LIST, mappings, mappingView);
        },
      },
      POST: viewWrite((ctx) => mappingView(createMapping(state(), ctx.params.envName, ctx.body, core.now()))),
    }),
    route(`${CMF_V1}/environments/{envName}/secret-mappings/{name}`, {
      GET: {
        run: (ctx) =>
          jsonReply(200, mappingView(requireMapping(state(), ctx.params.envName, ctx.params.name)), true),
      },
      PUT: viewWrite((ctx) =>
        mappingView(updateMapping(state(), ctx.params.envName, ctx.params.name, ctx.body, core.now())),
      ),
      DELETE: bodyless(204, (ctx) => deleteMapping(state(), ctx.params.envName, ctx.params.name)),
    }),
    route(`${CMF_V1}/catalogs/kafka`, {
      GET: {
        run: (ctx) =>
          listReply(ctx.query, CATALOG_LIST, state().sql.catalogs.values(), (c) => catalogView(state(), c)),
      },
      POST: viewWrite((ctx) => catalogView(state(), createCatalog(state(), ctx.body, core.now()))),
    }),
    route(`${CMF_V1}/catalogs/kafka/{catName}`, {
      GET: {
        run: (ctx) => jsonReply(200, catalogView(state(), requireCatalog(state(), ctx.params.catName)), true),
      },
      PUT: bodyless(200, (ctx) => updateCatalog(state(), ctx.params.catName, ctx.body, core.now()), "json"),
      DELETE: bodyless(204, (ctx) => deleteCatalog(state(), ctx.params.catName)),
    }),
    route(`${CMF_V1}/catalogs/kafka/{catName}/databases`, {
      GET: {
        run: (ctx) => {
          const catalog = requireCatalog(state(), ctx.params.catName);
          return listReply(ctx.query, DATABASE_LIST, catalog.databases.values(), (d) =>
            databaseView(state(), catalog, d),
          );
        },
      },
      POST: viewWrite((ctx) => {
        const database = createDatabase(state(), ctx.params.catName, ctx.body, core.now());
        return databaseView(state(), requireCatalog(state(), ctx.params.catName), database);
      }),
    }),
    route(`${CMF_V1}/catalogs/kafka/{catName}/databases/{dbName}`, {
      GET: {
        run: (ctx) => {
          const database = requireDatabase(state(), ctx.params.catName, ctx.params.dbName);
          return jsonReply(
            200,
            databaseView(state(), requireCatalog(state(), ctx.params.catName), database),
            true,
          );
        },
      },
      PUT: bodyless(
        200,
        (ctx) => updateDatabase(state(), ctx.params.catName, ctx.params.dbName, ctx.body, core.now()),
        "json",
      ),
      DELETE: bodyless(204, (ctx) => deleteDatabase(state(), ctx.params.catName, ctx.params.dbName)),
    }),
    route(`${CMF_V1}/environments/{envName}/compute-pools`, {
      GET: {
        run: (ctx) => {
          const env = ctx.params.envName;
          const withResources = booleanParam(ctx.query, "include-resource-information");
          const pools = poolsOf(state(), env);
          const query = parseListQuery(ctx.query, POOL_LIST);
          for (const pool of pools.values()) touch(pool, false);
          const page = listPage(pools.values(), query, POOL_LIST, (p) =>
            poolView(state(), env, p, withResources),
          );
          return jsonReply(200, page, true);
        },
      },
      POST: viewWrite((ctx) => {
        const env = ctx.params.envName;
        const view = poolView(state(), env, createPool(state(), env, ctx.body, core.lifecycle, core.now()));
        core.sqlParser.preload();
        return view;
      }),
    }),
    route(`${CMF_V1}/environments/{envName}/compute-pools/{computePoolName}`, {
      GET: {
        run: (ctx) => {
          const env = ctx.params.envName;
          const withResources = booleanParam(ctx.query, "include-resource-information");
          const pool = requirePool(state(), env, ctx.params.computePoolName);
          touch(pool, true);
          return jsonReply(200, poolView(state(), env, pool, withResources), true);
        },
      },
      PUT: viewWrite((ctx) => {
        const { envName: env, computePoolName: name } = ctx.params;
        return poolView(state(), env, updatePool(state(), env, name, ctx.body, core.lifecycle, core.now()));
      }),
      DELETE: bodyless(204, (ctx) => {
        booleanParam(ctx.query, "force");
        deletePool(state(), ctx.params.envName, ctx.params.computePoolName);
      }),
    }),
    route(`${CMF_V1}/environments/{envName}/statements`, {
      GET: {
        run: (ctx) => {
          const env = ctx.params.envName;
          booleanParam(ctx.query, "include-resource-information");
          const statements = statementsOf(state(), env);
          const query = parseListQuery(ctx.query, STATEMENT_LIST);
          query.predicates.push(...legacyStatementFilters(ctx.query));
          for (const s of [...statements.values()]) touchStmt(env, s, false);
          return jsonReply(200, listPage(statements.values(), query, STATEMENT_LIST, statementView), true);
        },
      },
      POST: {
        body: "json",
        write: true,
        run: async (ctx) => {
          const env = ctx.params.envName;
          const draft = checkNewStatement(state(), env, ctx.body);
          const analysis = await core.sqlParser.analyze(draft.sql);
          const statement = createStatement(state(), env, draft, analysis, core.lifecycle, core.now());
          return jsonReply(200, statementView(statement));
        },
      },
    }),
    route(`${CMF_V1}/environments/{envName}/statements/{stmtName}`, {
      GET: {
        run: (ctx) => {
          booleanParam(ctx.query, "include-resource-information");
          const statement = requireStatement(state(), ctx.params.envName, ctx.params.stmtName);
          touchStmt(ctx.params.envName, statement, true);
          /* A DELETING statement may have just gone. */
          requireStatement(state(), ctx.params.envName, ctx.params.stmtName);
          const { body, etag } = cachedStatementView(statement);
          return { status: 200, body, etag };
        },
      },
      PUT: bodyless(
        200,
        (ctx) => {
          const { envName, stmtName } = ctx.params;
          checkStartFromSavepoint(state(), envName, stmtName, ctx.body);
          updateStatement(state(), envName, stmtName, ctx.body, core.lifecycle, core.now());
        },
        "json",
      ),
      DELETE: {
        write: true,
        run: (ctx) => {
          const force = booleanParam(ctx.query, "force");
          const env = ctx.params.envName;
          return emptyReply(
            deleteStatement(state(), env, ctx.params.stmtName, force, core.lifecycle, core.now()),
          );
        },
      },
    }),
    route(`${CMF_V1}/environments/{envName}/statements/{stmtName}/results`, {
      GET: {
        run: (ctx) => {
          const statement = requireStatement(state(), ctx.params.envName, ctx.params.stmtName);
          touchStmt(ctx.params.envName, statement, false);
          const page = statementResults(state(), statement, ctx.query.get("page-token"), core.now());
          core.persistInBackground();
          return jsonReply(200, page);
        },
      },
    }),
    route(`${CMF_V1}/environments/{envName}/statements/{stmtName}/exceptions`, {
      GET: {
        run: (ctx) => {
          const statement = requireStatement(state(), ctx.params.envName, ctx.params.stmtName);
          return jsonReply(200, exceptionsView(statement));
        },
      },
    }),
  ];
}
