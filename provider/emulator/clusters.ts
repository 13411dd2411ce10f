import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  KUBERNETES_CLUSTER_API_VERSION,
  KUBERNETES_CLUSTER_KIND,
  kubernetesNameProblems,
  parseUserModel,
  PutKubernetesClusterSchema,
} from "../models";
import { timestamp } from "./clock";
import { badRequest, conflict, notFound, requireObjectBody } from "./errors";
import type { ListDefinition } from "./listing";
import type { EnvironmentRecord, JsonObject } from "./store";

/**
 * Kubernetes clusters (CMF 2.3): HTTP-free state and rules. CMF registers clusters from kubeconfig
 * files, never over REST, so the REST API only reads them and updates labels, annotations and
 * `spec.lifecycleState`; the emulator registers more through a test control.
 */

/**
 * POLICY: the name of the hub cluster (where CMF itself runs), which always exists. CMF's documents do
 * not name it; this is the first name of the OpenAPI document's own example list.
 */
export const HUB_CLUSTER_NAME = "default-k8s-cluster";
/** POLICY: the Kubernetes version a registered cluster reports unless the control says otherwise. */
export const DEFAULT_KUBERNETES_VERSION = "v1.31.4";
/**
 * POLICY: an environment cannot be created on a DECOMMISSIONED cluster (400), as CMF cannot deploy
 * there; the OpenAPI document only says that a decommissioned cluster's statuses may be stale.
 */
export const REFUSE_ENVIRONMENTS_ON_DECOMMISSIONED_CLUSTERS = true;

export type Connectivity = "CONNECTED" | "DISCONNECTED";

export interface ClusterRecord {
  name: string;
  uid: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  lifecycleState: "ACTIVE" | "DECOMMISSIONED";
  /** What CMF observes when the cluster is ACTIVE (heartbeats are not simulated: a control sets it). */
  connectivity: Connectivity;
  message?: string;
  kubernetesVersion: string;
  createdAt: number;
  updatedAt: number;
  /** Last time the cluster was seen CONNECTED. */
  heartbeatAt?: number;
}

const stringMap = z.record(z.string(), z.string());
/** The data-file form of a cluster (the record as is). */
export const ClusterRecordSchema = z.object({
  name: z.string(),
  uid: z.string(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  lifecycleState: z.enum(["ACTIVE", "DECOMMISSIONED"]),
  connectivity: z.enum(["CONNECTED", "DISCONNECTED"]),
  message: z.string().optional(),
  kubernetesVersion: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  heartbeatAt: z.number().optional(),
});

export function hubCluster(now: number): ClusterRecord {
  return {
    name: HUB_CLUSTER_NAME,
    uid: randomUUID(),
    lifecycleState: "ACTIVE",
    connectivity: "CONNECTED",
    kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
    createdAt: now,
    updatedAt: now,
    heartbeatAt: now,
  };
}

/** The clusters of a fresh or reset emulator: the hub alone. */
export function initialClusters(now: number): Map<string, ClusterRecord> {
  return new Map([[HUB_CLUSTER_NAME, hubCluster(now)]]);
}

export function clusterState(c: ClusterRecord): string {
  return c.lifecycleState === "DECOMMISSIONED" ? "DECOMMISSIONED" : c.connectivity;
}

export function requireCluster(clusters: Map<string, ClusterRecord>, name: string): ClusterRecord {
  const c = clusters.get(name);
  if (!c) throw notFound(`KubernetesCluster '${name}' not found`);
  return c;
}

/** The cluster an environment deploys to: its `kubernetesClusterName`, or the hub when omitted. */
export function clusterOf(env: Pick<EnvironmentRecord, "kubernetesClusterName">): string {
  return env.kubernetesClusterName ?? HUB_CLUSTER_NAME;
}

/**
 * The 400 messages for an environment naming `name` as its cluster, worded like the OpenAPI
 * document's own example ("Environment's kubernetesClusterName 'nonexistent' does not exist.").
 */
export function environmentClusterProblems(clusters: Map<string, ClusterRecord>, name: string): string[] {
  const c = clusters.get(name);
  if (!c) return [`Environment's kubernetesClusterName '${name}' does not exist.`];
  if (REFUSE_ENVIRONMENTS_ON_DECOMMISSIONED_CLUSTERS && c.lifecycleState === "DECOMMISSIONED") {
    return [`Environment's kubernetesClusterName '${name}' is DECOMMISSIONED; recommission it first.`];
  }
  return [];
}

/**
 * `PUT /kubernetes-clusters/{name}` (200). Partial bodies: `metadata.labels`/`annotations` omitted or
 * null keep the stored ones, `{}` clears, a map replaces; `spec.lifecycleState` omitted keeps it.
 * Decommissioning a cluster that environments still reference is refused with CMF's message.
 */
export function updateCluster(
  clusters: Map<string, ClusterRecord>,
  environments: Iterable<EnvironmentRecord>,
  name: string,
  body: unknown,
  now: number,
): ClusterRecord {
  const c = requireCluster(clusters, name);
  const parsed = parseUserModel(PutKubernetesClusterSchema, requireObjectBody(body));
  if (!parsed.ok) throw badRequest(parsed.messages);
  const input = parsed.value;
  if (input.metadata?.name !== undefined && input.metadata.name !== name) {
    throw badRequest(
      `metadata.name: must equal the cluster name in the path ('${name}'), got '${input.metadata.name}'`,
    );
  }
  const lifecycle = input.spec?.lifecycleState ?? c.lifecycleState;
  if (lifecycle === "DECOMMISSIONED" && c.lifecycleState !== "DECOMMISSIONED") {
    const users = [...environments].filter((e) => clusterOf(e) === name).map((e) => e.name);
    if (users.length > 0) {
      throw badRequest(
        `Cannot decommission cluster '${name}': referenced by environments [${users.join(", ")}]`,
      );
    }
  }
  let changed = lifecycle !== c.lifecycleState;
  if (lifecycle === "ACTIVE" && c.lifecycleState === "DECOMMISSIONED" && c.connectivity === "CONNECTED") {
    c.heartbeatAt = now;
  }
  c.lifecycleState = lifecycle;
  for (const key of ["labels", "annotations"] as const) {
    const value = input.metadata?.[key];
    if (value === undefined || value === null) continue;
    const next = Object.keys(value).length === 0 ? undefined : { ...value };
    if (JSON.stringify(next) !== JSON.stringify(c[key])) changed = true;
    if (next === undefined) delete c[key];
    else c[key] = next;
  }
  if (changed) c.updatedAt = now;
  return c;
}

export interface RegisterClusterInput {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  connectivity?: Connectivity;
  message?: string;
  kubernetesVersion?: string;
}

export const RegisterClusterSchema = z.strictObject({
  name: z.string(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  connectivity: z.enum(["CONNECTED", "DISCONNECTED"]).optional(),
  message: z.string().optional(),
  kubernetesVersion: z.string().optional(),
});

/** Test control: what dropping a kubeconfig file into CMF's directory does (409 if registered). */
export function registerCluster(
  clusters: Map<string, ClusterRecord>,
  input: RegisterClusterInput,
  now: number,
): ClusterRecord {
  const problems = kubernetesNameProblems(input.name).map((p) => `name: ${p}`);
  if (problems.length > 0) throw badRequest(problems);
  if (clusters.has(input.name)) throw conflict(`KubernetesCluster '${input.name}' is already registered`);
  const connectivity = input.connectivity ?? "CONNECTED";
  const c: ClusterRecord = {
    name: input.name,
    uid: randomUUID(),
    ...(input.labels ? { labels: { ...input.labels } } : {}),
    ...(input.annotations ? { annotations: { ...input.annotations } } : {}),
    lifecycleState: "ACTIVE",
    connectivity,
    ...(input.message !== undefined ? { message: input.message } : {}),
    kubernetesVersion: input.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    createdAt: now,
    updatedAt: now,
    ...(connectivity === "CONNECTED" ? { heartbeatAt: now } : {}),
  };
  clusters.set(c.name, c);
  return c;
}

/** Test control: the cluster becomes reachable or unreachable (with an optional message). */
export function setConnectivity(
  c: ClusterRecord,
  connectivity: Connectivity,
  message: string | undefined,
  now: number,
): void {
  if (connectivity === "CONNECTED" && c.connectivity !== "CONNECTED") c.heartbeatAt = now;
  c.connectivity = connectivity;
  if (message === undefined) delete c.message;
  else c.message = message;
}

export function clusterView(c: ClusterRecord): JsonObject {
  const metadata: JsonObject = {
    name: c.name,
    uid: c.uid,
    creationTimestamp: timestamp(c.createdAt),
    updateTimestamp: timestamp(c.updatedAt),
  };
  if (c.labels) metadata.labels = c.labels;
  if (c.annotations) metadata.annotations = c.annotations;
  const state = clusterState(c);
  const status: JsonObject = { state };
  if (c.message !== undefined && state !== "DECOMMISSIONED") status.message = c.message;
  if (c.heartbeatAt !== undefined) status.lastHeartbeatTimestamp = timestamp(c.heartbeatAt);
  /* Only known while CMF can reach the cluster (OpenAPI: "Only available when the cluster is CONNECTED"). */
  if (state === "CONNECTED") status.kubernetesVersion = c.kubernetesVersion;
  return {
    apiVersion: KUBERNETES_CLUSTER_API_VERSION,
    kind: KUBERNETES_CLUSTER_KIND,
    metadata,
    spec: { lifecycleState: c.lifecycleState },
    status,
  };
}

export const CLUSTER_LIST: ListDefinition<ClusterRecord> = {
  resource: "kubernetes clusters",
  sortKeys: {
    name: (c) => c.name,
    "metadata.name": (c) => c.name,
    creationTimestamp: (c) => c.createdAt,
    "metadata.creationTimestamp": (c) => c.createdAt,
    updateTimestamp: (c) => c.updatedAt,
    "metadata.updateTimestamp": (c) => c.updatedAt,
  },
  filters: { name: (c) => c.name, labels: (c) => c.labels, state: (c) => clusterState(c) },
  supportsFilter: true,
  supportsFields: true,
};
