import { requireApplication } from "./applications";
import { CLUSTER_LIST, clusterView, requireCluster, updateCluster } from "./clusters";
import type { EmulatorCore } from "./core";
import { requireEnvironment } from "./environments";
import { listPage, parseListQuery } from "./listing";
import { emptyReply, jsonReply } from "./responses";
import { route, type RequestContext, type Route } from "./router";
import { booleanParam, CMF_V1 } from "./routes";
import { applicationSavepointParent, statementSavepointParent } from "./savepoint-parents";
import {
  createDetachedSavepoint,
  createSavepoint,
  deleteSavepoint,
  detachSavepoint,
  requireDetachedSavepoint,
  requireSavepoint,
  SAVEPOINT_LIST,
  savepointsOf,
  savepointView,
  type SavepointParent,
} from "./savepoints";
import { requireStatement } from "./statements";
import { c3License, resourceInformation, systemInformation } from "./system";

/**
 * The savepoint routes under one parent collection (`.../applications/{appName}` or
 * `.../statements/{stmtName}`): list, create, get, delete; `detach` only where CMF has it.
 */
export function parentSavepointRoutes(
  core: EmulatorCore,
  parentTemplate: string,
  parentOf: (ctx: RequestContext) => SavepointParent,
  options: { detach: boolean },
): Route[] {
  const routes = [
    route(`${parentTemplate}/savepoints`, {
      GET: {
        run: (ctx) => {
          const parent = parentOf(ctx);
          const query = parseListQuery(ctx.query, SAVEPOINT_LIST);
          const list = savepointsOf(parent);
          for (const sp of list) core.touchSavepoint(sp, false);
          return jsonReply(200, listPage(list, query, SAVEPOINT_LIST, savepointView), true);
        },
      },
      POST: {
        body: "optional-json",
        write: true,
        run: (ctx) => {
          const record = createSavepoint(parentOf(ctx), ctx.body, core.lifecycle, core.now());
          return jsonReply(201, savepointView(record));
        },
      },
    }),
    route(`${parentTemplate}/savepoints/{savepointName}`, {
      GET: {
        run: (ctx) => {
          const sp = requireSavepoint(parentOf(ctx), ctx.params.savepointName);
          core.touchSavepoint(sp, true);
          return jsonReply(200, savepointView(sp), true);
        },
      },
      DELETE: {
        write: true,
        run: (ctx) => {
          const force = booleanParam(ctx.query, "force");
          const parent = parentOf(ctx);
          deleteSavepoint(savepointsOf(parent), requireSavepoint(parent, ctx.params.savepointName), force);
          return emptyReply(204);
        },
      },
    }),
  ];
  if (options.detach) {
    routes.push(
      route(`${parentTemplate}/savepoints/{savepointName}/detach`, {
        POST: {
          write: true,
          run: (ctx) => {
            const parent = parentOf(ctx);
            const sp = requireSavepoint(parent, ctx.params.savepointName);
            core.touchSavepoint(sp, false);
            const detached = detachSavepoint(parent, sp.name, core.state.detachedSavepoints);
            return jsonReply(200, savepointView(detached));
          },
        },
      }),
    );
  }
  return routes;
}

export function savepointRoutes(core: EmulatorCore): Route[] {
  const applicationParent = (ctx: RequestContext): SavepointParent => {
    const env = requireEnvironment(core.state, ctx.params.envName);
    const app = requireApplication(env, ctx.params.appName);
    core.touch(app, false);
    return applicationSavepointParent(env, app);
  };
  const statementParent = (ctx: RequestContext): SavepointParent => {
    const env = requireEnvironment(core.state, ctx.params.envName);
    return statementSavepointParent(
      core.state,
      env,
      requireStatement(core.state, env.name, ctx.params.stmtName),
    );
  };
  return [
    ...parentSavepointRoutes(
      core,
      `${CMF_V1}/environments/{envName}/applications/{appName}`,
      applicationParent,
      { detach: true },
    ),
    /* CMF has no detach for statement savepoints. */
    ...parentSavepointRoutes(
      core,
      `${CMF_V1}/environments/{envName}/statements/{stmtName}`,
      statementParent,
      { detach: false },
    ),
    route(`${CMF_V1}/detached-savepoints`, {
      GET: {
        run: (ctx) => {
          const query = parseListQuery(ctx.query, SAVEPOINT_LIST);
          /* The deprecated `name` parameter: a name prefix. */
          const prefix = ctx.query.get("name");
          if (prefix !== null && prefix !== "") query.predicates.push((s) => s.name.startsWith(prefix));
          return jsonReply(
            200,
            listPage(core.state.detachedSavepoints, query, SAVEPOINT_LIST, savepointView),
            true,
          );
        },
      },
      POST: {
        body: "optional-json",
        write: true,
        run: (ctx) => {
          const record = createDetachedSavepoint(core.state.detachedSavepoints, ctx.body, core.now());
          return jsonReply(201, savepointView(record));
        },
      },
    }),
    route(`${CMF_V1}/detached-savepoints/{detachedSavepointName}`, {
      GET: {
        run: (ctx) =>
          jsonReply(
            200,
            savepointView(
              requireDetachedSavepoint(core.state.detachedSavepoints, ctx.params.detachedSavepointName),
            ),
            true,
          ),
      },
      DELETE: {
        write: true,
        run: (ctx) => {
          const list = core.state.detachedSavepoints;
          const sp = requireDetachedSavepoint(list, ctx.params.detachedSavepointName);
          list.splice(list.indexOf(sp), 1);
          return emptyReply(204);
        },
      },
    }),
  ];
}

export function clusterRoutes(core: EmulatorCore): Route[] {
  return [
    route(`${CMF_V1}/kubernetes-clusters`, {
      GET: {
        run: (ctx) => {
          const query = parseListQuery(ctx.query, CLUSTER_LIST);
          return jsonReply(
            200,
            listPage(core.state.kubernetesClusters.values(), query, CLUSTER_LIST, clusterView),
            true,
          );
        },
      },
    }),
    route(`${CMF_V1}/kubernetes-clusters/{kubernetesClusterName}`, {
      GET: {
        run: (ctx) =>
          jsonReply(
            200,
            clusterView(requireCluster(core.state.kubernetesClusters, ctx.params.kubernetesClusterName)),
            true,
          ),
      },
      PUT: {
        body: "json",
        write: true,
        run: (ctx) => {
          const c = updateCluster(
            core.state.kubernetesClusters,
            core.state.environments.values(),
            ctx.params.kubernetesClusterName,
            ctx.body,
            core.now(),
          );
          return jsonReply(200, clusterView(c));
        },
      },
    }),
  ];
}

export function systemRoutes(core: EmulatorCore): Route[] {
  return [
    route(`${CMF_V1}/system-information`, { GET: { run: () => jsonReply(200, systemInformation(), true) } }),
    route(`${CMF_V1}/resource-information`, {
      GET: { run: () => jsonReply(200, resourceInformation(core.state), true) },
    }),
    route(`${CMF_V1}/c3/license`, { GET: { run: () => jsonReply(200, c3License(), true) } }),
  ];
}
