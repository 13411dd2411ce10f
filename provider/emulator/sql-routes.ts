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
import type { EmulatorCore } from "./core";
import { listPage, parseListQuery, type ListDefinition } from "./listing";
import { emptyReply, jsonReply } from "./responses";
import { route, type Route } from "./router";
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
import type { KafkaCatalogRecord, KafkaDatabaseRecord, SecretMappingRecord, SecretRecord } from "./sql-state";
import { requireEnvironment } from "./environments";

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

export function sqlRoutes(core: EmulatorCore): Route[] {
  const state = () => core.state;
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
        run: (ctx) => {
          const query = parseListQuery(ctx.query, secretList);
          const page = listPage(state().sql.secrets.values(), query, secretList, (s) =>
            secretView(state(), s),
          );
          return jsonReply(200, page, true);
        },
      },
      POST: {
        body: "json",
        write: true,
        run: (ctx) => jsonReply(200, secretView(state(), createSecret(state(), ctx.body, core.now()))),
      },
    }),
    route(`${CMF_V1}/secrets/{secretName}`, {
      GET: {
        run: (ctx) =>
          jsonReply(200, secretView(state(), requireSecret(state(), ctx.params.secretName)), true),
      },
      PUT: {
        body: "json",
        write: true,
        run: (ctx) =>
          jsonReply(
            200,
            secretView(state(), updateSecret(state(), ctx.params.secretName, ctx.body, core.now())),
          ),
      },
      DELETE: {
        write: true,
        run: (ctx) => {
          deleteSecret(state(), ctx.params.secretName);
          return emptyReply(204);
        },
      },
    }),
    route(`${CMF_V1}/environments/{envName}/secret-mappings`, {
      GET: {
        run: (ctx) => {
          requireEnvironment(state(), ctx.params.envName);
          const query = parseListQuery(ctx.query, MAPPING_LIST);
          const mappings = state().sql.peek(ctx.params.envName)?.secretMappings.values() ?? [];
          return jsonReply(200, listPage(mappings, query, MAPPING_LIST, mappingView), true);
        },
      },
      POST: {
        body: "json",
        write: true,
        run: (ctx) =>
          jsonReply(200, mappingView(createMapping(state(), ctx.params.envName, ctx.body, core.now()))),
      },
    }),
    route(`${CMF_V1}/environments/{envName}/secret-mappings/{name}`, {
      GET: {
        run: (ctx) =>
          jsonReply(200, mappingView(requireMapping(state(), ctx.params.envName, ctx.params.name)), true),
      },
      PUT: {
        body: "json",
        write: true,
        run: (ctx) =>
          jsonReply(
            200,
            mappingView(updateMapping(state(), ctx.params.envName, ctx.params.name, ctx.body, core.now())),
          ),
      },
      DELETE: {
        write: true,
        run: (ctx) => {
          deleteMapping(state(), ctx.params.envName, ctx.params.name);
          return emptyReply(204);
        },
      },
    }),
    route(`${CMF_V1}/catalogs/kafka`, {
      GET: {
        run: (ctx) => {
          const query = parseListQuery(ctx.query, CATALOG_LIST);
          const page = listPage(state().sql.catalogs.values(), query, CATALOG_LIST, (c) =>
            catalogView(state(), c),
          );
          return jsonReply(200, page, true);
        },
      },
      POST: {
        body: "json",
        write: true,
        run: (ctx) => jsonReply(200, catalogView(state(), createCatalog(state(), ctx.body, core.now()))),
      },
    }),
    route(`${CMF_V1}/catalogs/kafka/{catName}`, {
      GET: {
        run: (ctx) => jsonReply(200, catalogView(state(), requireCatalog(state(), ctx.params.catName)), true),
      },
      PUT: {
        body: "json",
        write: true,
        run: (ctx) => {
          updateCatalog(state(), ctx.params.catName, ctx.body, core.now());
          return emptyReply(200);
        },
      },
      DELETE: {
        write: true,
        run: (ctx) => {
          deleteCatalog(state(), ctx.params.catName);
          return emptyReply(204);
        },
      },
    }),
    route(`${CMF_V1}/catalogs/kafka/{catName}/databases`, {
      GET: {
        run: (ctx) => {
          const catalog = requireCatalog(state(), ctx.params.catName);
          const query = parseListQuery(ctx.query, DATABASE_LIST);
          const page = listPage(catalog.databases.values(), query, DATABASE_LIST, (d) =>
            databaseView(state(), catalog, d),
          );
          return jsonReply(200, page, true);
        },
      },
      POST: {
        body: "json",
        write: true,
        run: (ctx) => {
          const database = createDatabase(state(), ctx.params.catName, ctx.body, core.now());
          return jsonReply(200, databaseView(state(), requireCatalog(state(), ctx.params.catName), database));
        },
      },
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
      PUT: {
        body: "json",
        write: true,
        run: (ctx) => {
          updateDatabase(state(), ctx.params.catName, ctx.params.dbName, ctx.body, core.now());
          return emptyReply(200);
        },
      },
      DELETE: {
        write: true,
        run: (ctx) => {
          deleteDatabase(state(), ctx.params.catName, ctx.params.dbName);
          return emptyReply(204);
        },
      },
    }),
  ];
}
