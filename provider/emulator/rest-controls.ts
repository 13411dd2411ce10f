import { z } from "zod";
import { parseModel, type KubernetesCluster, type Savepoint } from "../models";
import { requireApplication } from "./applications";
import {
  clusterView,
  registerCluster,
  RegisterClusterSchema,
  requireCluster,
  setConnectivity,
  type Connectivity,
  type RegisterClusterInput,
} from "./clusters";
import type { EmulatorCore } from "./core";
import { requireEnvironment } from "./environments";
import { badRequest, EmulatorOptionsError } from "./errors";
import { jsonReply } from "./responses";
import { route, type Route } from "./router";
import { applicationSavepointParent, statementSavepointParent } from "./savepoint-parents";
import { forceSavepointOutcome, requireSavepoint, savepointView, type SavepointParent } from "./savepoints";
import { requireStatement } from "./statements";

/** Which object a savepoint belongs to, for the savepoint controls. */
export type SavepointOwnerRef =
  { environment: string; application: string } | { environment: string; statement: string };

/** The controls of the savepoint and Kubernetes-cluster families (part of `emu.controls`). */
export interface RestFamilyControls {
  /** Ends a savepoint that is still running as COMPLETED (manual or stepped lifecycles). */
  completeSavepoint(owner: SavepointOwnerRef, savepoint: string): Promise<Savepoint>;
  /** Ends a savepoint as FAILED with `message` as its `status.error`. */
  failSavepoint(owner: SavepointOwnerRef, savepoint: string, message?: string): Promise<Savepoint>;
  /** Registers a cluster, as CMF does for a kubeconfig file dropped into its directory. */
  registerKubernetesCluster(input: RegisterClusterInput): Promise<KubernetesCluster>;
  /** Makes a registered cluster reachable or not (`status.state` CONNECTED / DISCONNECTED). */
  setKubernetesClusterConnectivity(
    name: string,
    connectivity: Connectivity,
    message?: string,
  ): Promise<KubernetesCluster>;
}

export const DEFAULT_SAVEPOINT_FAILURE =
  "java.util.concurrent.CompletionException: org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint Coordinator is suspending.";

const OutcomeSchema = z.strictObject({ message: z.string().min(1).optional() });
const ConnectivitySchema = z.strictObject({
  connectivity: z.enum(["CONNECTED", "DISCONNECTED"]),
  message: z.string().optional(),
});

function valid<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = parseModel(schema, value);
  if (!parsed.ok) throw new EmulatorOptionsError(parsed.messages);
  return parsed.value;
}

export function createRestFamilyControls(core: EmulatorCore): RestFamilyControls {
  const parentOf = (owner: SavepointOwnerRef): SavepointParent => {
    const env = requireEnvironment(core.state, owner.environment);
    if ("statement" in owner) {
      return statementSavepointParent(
        core.state,
        env,
        requireStatement(core.state, env.name, owner.statement),
      );
    }
    return applicationSavepointParent(env, requireApplication(env, owner.application));
  };
  const outcome = async (
    owner: SavepointOwnerRef,
    name: string,
    result: "COMPLETED" | "FAILED",
    message: string | undefined,
  ): Promise<Savepoint> => {
    const sp = requireSavepoint(parentOf(owner), name);
    forceSavepointOutcome(sp, result, message, core.now());
    await core.persist();
    return savepointView(sp) as Savepoint;
  };
  return {
    completeSavepoint: (owner, savepoint) => outcome(owner, savepoint, "COMPLETED", undefined),
    failSavepoint: (owner, savepoint, message) =>
      outcome(owner, savepoint, "FAILED", message ?? DEFAULT_SAVEPOINT_FAILURE),
    async registerKubernetesCluster(input) {
      const c = registerCluster(
        core.state.kubernetesClusters,
        valid(RegisterClusterSchema, input),
        core.now(),
      );
      await core.persist();
      return clusterView(c) as KubernetesCluster;
    },
    async setKubernetesClusterConnectivity(name, connectivity, message) {
      const parsed = valid(ConnectivitySchema, { connectivity, message });
      const c = requireCluster(core.state.kubernetesClusters, name);
      setConnectivity(c, parsed.connectivity, parsed.message, core.now());
      await core.persist();
      return clusterView(c) as KubernetesCluster;
    },
  };
}

/** `/_emulator/...` routes of these controls (JSON bodies, 400 on bad ones). */
export function restFamilyControlRoutes(prefix: string, controls: RestFamilyControls): Route[] {
  const body = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const parsed = parseModel(schema, value);
    if (!parsed.ok) throw badRequest(parsed.messages);
    return parsed.value;
  };
  /* The same two controls under application and statement savepoints. */
  const savepointControls = (
    parentPath: string,
    ownerOf: (params: Record<string, string>) => SavepointOwnerRef,
  ) => [
    route(`${prefix}${parentPath}/savepoints/{savepointName}/complete`, {
      POST: {
        run: async (ctx) =>
          jsonReply(200, await controls.completeSavepoint(ownerOf(ctx.params), ctx.params.savepointName)),
      },
    }),
    route(`${prefix}${parentPath}/savepoints/{savepointName}/fail`, {
      POST: {
        body: "optional-json",
        run: async (ctx) => {
          const { message } = body(OutcomeSchema, ctx.body);
          return jsonReply(
            200,
            await controls.failSavepoint(ownerOf(ctx.params), ctx.params.savepointName, message),
          );
        },
      },
    }),
  ];
  return [
    ...savepointControls("/environments/{envName}/applications/{appName}", (p) => ({
      environment: p.envName,
      application: p.appName,
    })),
    ...savepointControls("/environments/{envName}/statements/{stmtName}", (p) => ({
      environment: p.envName,
      statement: p.stmtName,
    })),
    route(`${prefix}/kubernetes-clusters`, {
      POST: {
        body: "json",
        run: async (ctx) =>
          jsonReply(201, await controls.registerKubernetesCluster(body(RegisterClusterSchema, ctx.body))),
      },
    }),
    route(`${prefix}/kubernetes-clusters/{name}/connectivity`, {
      PUT: {
        body: "json",
        run: async (ctx) => {
          const { connectivity, message } = body(ConnectivitySchema, ctx.body);
          return jsonReply(
            200,
            await controls.setKubernetesClusterConnectivity(ctx.params.name, connectivity, message),
          );
        },
      },
    }),
  ];
}
