import { deleteApplication, requireApplication, setDesiredState, upsertApplication } from "./applications";
import type { EmulatorCore } from "./core";
import { deleteEnvironment, requireEnvironment, upsertEnvironment } from "./environments";
import { badRequest, notFound } from "./errors";
import { listPage, parseListQuery, type ListDefinition } from "./listing";
import { computeEtag, emptyReply, jsonReply, type Reply } from "./responses";
import { clusterRoutes, savepointRoutes, systemRoutes } from "./rest-routes";
import { route, type RequestContext, type Route } from "./router";
import { applicationSavepointParent } from "./savepoint-parents";
import { savepointForRestore } from "./savepoints";
import { environmentSecrets } from "./secrets";
import { sqlRoutes } from "./sql-routes";
import type { ApplicationRecord, EnvironmentRecord, EventRecord, InstanceRecord } from "./store";
import {
  applicationView,
  displayedUpdate,
  environmentView,
  eventView,
  instanceView,
  jobStateOf,
} from "./views";

export const CMF_V1 = "/cmf/api/v1";
export const CMF_V1ALPHA1 = "/cmf/api/v1alpha1";

/** Spring converts `true/false/on/off/yes/no/1/0` to a boolean and refuses anything else with 400. */
export function booleanParam(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  if (raw === null || raw === "") return false;
  const value = raw.trim().toLowerCase();
  if (["true", "on", "yes", "1"].includes(value)) return true;
  if (["false", "off", "no", "0"].includes(value)) return false;
  throw badRequest(`${name}: must be true or false (got '${raw}')`);
}

const ENVIRONMENT_LIST: ListDefinition<EnvironmentRecord> = {
  resource: "environments",
  sortKeys: {
    name: (e) => e.name,
    "metadata.name": (e) => e.name,
    kubernetesNamespace: (e) => e.kubernetesNamespace,
    creationTimestamp: (e) => e.createdAt,
    "metadata.creationTimestamp": (e) => e.createdAt,
    created_time: (e) => e.createdAt,
    updateTimestamp: (e) => e.updatedAt,
    "metadata.updateTimestamp": (e) => e.updatedAt,
    updated_time: (e) => e.updatedAt,
  },
  filters: { name: (e) => e.name, labels: (e) => e.labels },
  searchScopes: { name: (e) => e.name, kubernetesNamespace: (e) => e.kubernetesNamespace },
  supportsFilter: true,
  supportsFields: true,
};

/* `updateTimestamp` sorts by the last client change, while the displayed metadata.updateTimestamp is
   the later of that and the last status change (CMF documents exactly this difference). */
const APPLICATION_LIST: ListDefinition<ApplicationRecord> = {
  resource: "applications",
  sortKeys: {
    name: (a) => a.name,
    "metadata.name": (a) => a.name,
    creationTimestamp: (a) => a.createdAt,
    "metadata.creationTimestamp": (a) => a.createdAt,
    updateTimestamp: (a) => a.updatedAt,
    "metadata.updateTimestamp": (a) => displayedUpdate(a),
  },
  filters: {
    name: (a) => a.name,
    labels: (a) => a.metadata.labels as Record<string, string> | undefined,
    state: (a) => jobStateOf(a),
  },
  supportsFilter: true,
  supportsFields: true,
};

const INSTANCE_LIST: ListDefinition<InstanceRecord> = {
  resource: "instances",
  sortKeys: {
    name: (i) => i.name,
    "metadata.name": (i) => i.name,
    creationTimestamp: (i) => i.createdAt,
    "metadata.creationTimestamp": (i) => i.createdAt,
    updateTimestamp: (i) => i.updatedAt,
    "metadata.updateTimestamp": (i) => i.updatedAt,
  },
};

const EVENT_LIST: ListDefinition<EventRecord> = {
  resource: "events",
  sortKeys: {
    name: (e) => e.name,
    "metadata.name": (e) => e.name,
    creationTimestamp: (e) => e.createdAt,
    "metadata.creationTimestamp": (e) => e.createdAt,
    type: (e) => e.type,
    "status.type": (e) => e.type,
  },
  filters: { type: (e) => e.type },
  searchScopes: { message: (e) => e.message, flinkApplicationInstance: (e) => e.instance },
  searchEquals: new Set(["flinkApplicationInstance"]),
  supportsFilter: true,
  supportsFields: true,
};

/** The CMF REST routes: thin glue between HTTP and the pure model modules. */
export function cmfRoutes(core: EmulatorCore): Route[] {
  const env = (ctx: RequestContext) => requireEnvironment(core.state, ctx.params.envName);
  const app = (ctx: RequestContext) => requireApplication(env(ctx), ctx.params.appName);

  /* The GET hot path serves a cached body and ETag until the record changes. */
  const cachedApplication = (record: ApplicationRecord): Reply => {
    if (!record.cache) {
      const body = JSON.stringify(applicationView(record));
      record.cache = { body, etag: computeEtag(body) };
    }
    return { status: 200, body: record.cache.body, etag: record.cache.etag };
  };

  return [
    route(`${CMF_V1}/environments`, {
      GET: {
        run: (ctx) => {
          const resourceInfo = booleanParam(ctx.query, "include-resource-information");
          const query = parseListQuery(ctx.query, ENVIRONMENT_LIST);
          const page = listPage(core.state.environments.values(), query, ENVIRONMENT_LIST, (e) =>
            environmentView(e, { withSecrets: false, withResourceInformation: resourceInfo }),
          );
          return jsonReply(200, page, true);
        },
      },
      POST: {
        body: "json",
        write: true,
        run: (ctx) => {
          const { env: record } = upsertEnvironment(core.state, ctx.body, core.now());
          return jsonReply(
            200,
            environmentView(record, {
              withSecrets: true,
              withResourceInformation: false,
              secrets: environmentSecrets(core.state, record.name),
            }),
          );
        },
      },
    }),
    route(`${CMF_V1}/environments/{envName}`, {
      GET: {
        run: (ctx) => {
          const resourceInfo = booleanParam(ctx.query, "include-resource-information");
          const record = env(ctx);
          if (resourceInfo) {
            return jsonReply(
              200,
              environmentView(record, {
                withSecrets: true,
                withResourceInformation: true,
                secrets: environmentSecrets(core.state, record.name),
              }),
              true,
            );
          }
          if (!record.cache) {
            const body = JSON.stringify(
              environmentView(record, {
                withSecrets: true,
                withResourceInformation: false,
                secrets: environmentSecrets(core.state, record.name),
              }),
            );
            record.cache = { body, etag: computeEtag(body) };
          }
          return { status: 200, body: record.cache.body, etag: record.cache.etag };
        },
      },
      DELETE: {
        write: true,
        run: (ctx) => {
          booleanParam(ctx.query, "force");
          deleteEnvironment(core.state, ctx.params.envName);
          return emptyReply(204);
        },
      },
    }),
    route(`${CMF_V1}/environments/{envName}/applications`, {
      GET: {
        run: (ctx) => {
          const record = env(ctx);
          booleanParam(ctx.query, "include-resource-information");
          const query = parseListQuery(ctx.query, APPLICATION_LIST);
          for (const a of record.applications.values()) core.touch(a, false);
          return jsonReply(
            200,
            listPage(record.applications.values(), query, APPLICATION_LIST, applicationView),
            true,
          );
        },
      },
      POST: {
        body: "json",
        write: true,
        run: (ctx) => {
          const { app: record } = upsertApplication(env(ctx), ctx.body, core.lifecycle, core.now());
          // The same view as a GET's, so the same cached bytes (a re-POST that changes nothing reuses them).
          return { status: 201, body: cachedApplication(record).body };
        },
      },
    }),
    route(`${CMF_V1}/environments/{envName}/applications/{appName}`, {
      GET: {
        run: (ctx) => {
          booleanParam(ctx.query, "include-resource-information");
          const record = app(ctx);
          core.touch(record, true);
          return cachedApplication(record);
        },
      },
      DELETE: {
        write: true,
        run: (ctx) => {
          booleanParam(ctx.query, "force");
          deleteApplication(env(ctx), ctx.params.appName);
          return emptyReply(204);
        },
      },
    }),
    route(`${CMF_V1}/environments/{envName}/applications/{appName}/start`, {
      POST: {
        write: true,
        run: (ctx) => {
          const e = env(ctx);
          const record = requireApplication(e, ctx.params.appName);
          const uid = ctx.query.get("startFromSavepointUid");
          core.touch(record, false);
          const restore =
            uid === null
              ? undefined
              : savepointForRestore(applicationSavepointParent(e, record), core.state.detachedSavepoints, uid)
                  .path;
          setDesiredState(e, record, "running", core.lifecycle, core.now(), restore);
          return jsonReply(200, applicationView(record));
        },
      },
    }),
    route(`${CMF_V1}/environments/{envName}/applications/{appName}/suspend`, {
      POST: {
        write: true,
        run: (ctx) => {
          const e = env(ctx);
          const record = requireApplication(e, ctx.params.appName);
          core.touch(record, false);
          setDesiredState(e, record, "suspended", core.lifecycle, core.now());
          return jsonReply(200, applicationView(record));
        },
      },
    }),
    route(`${CMF_V1}/environments/{envName}/applications/{appName}/instances`, {
      GET: {
        run: (ctx) => {
          const record = app(ctx);
          core.touch(record, false);
          const query = parseListQuery(ctx.query, INSTANCE_LIST);
          return jsonReply(
            200,
            listPage(record.instances, query, INSTANCE_LIST, (i) => instanceView(record, i)),
          );
        },
      },
    }),
    route(`${CMF_V1}/environments/{envName}/applications/{appName}/instances/{instName}`, {
      GET: {
        run: (ctx) => {
          const record = app(ctx);
          core.touch(record, false);
          const instance = record.instances.find((i) => i.name === ctx.params.instName);
          if (!instance) {
            throw notFound(
              `FlinkApplicationInstance '${ctx.params.instName}' not found for FlinkApplication '${record.name}' in Environment '${ctx.params.envName}'`,
            );
          }
          return jsonReply(200, instanceView(record, instance));
        },
      },
    }),
    route(`${CMF_V1ALPHA1}/environments/{envName}/applications/{appName}/events`, {
      GET: {
        run: (ctx) => {
          const record = app(ctx);
          core.touch(record, false);
          const query = parseListQuery(ctx.query, EVENT_LIST);
          return jsonReply(200, listPage(record.events, query, EVENT_LIST, eventView));
        },
      },
    }),
    ...savepointRoutes(core),
    ...clusterRoutes(core),
    ...systemRoutes(core),
    ...sqlRoutes(core),
  ];
}
