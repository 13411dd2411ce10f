import { z } from "zod";
import { StringMapSchema } from "./common";
import { pageSchema } from "./page";

export const KUBERNETES_CLUSTER_API_VERSION = "cmf.confluent.io/v1";
export const KUBERNETES_CLUSTER_KIND = "KubernetesCluster";
/** `spec.lifecycleState`: what the operator of CMF wants. */
export const CLUSTER_LIFECYCLE_STATES = ["ACTIVE", "DECOMMISSIONED"] as const;
export type ClusterLifecycleState = (typeof CLUSTER_LIFECYCLE_STATES)[number];
/** `status.state`: what CMF observes. */
export const CLUSTER_STATES = ["CONNECTED", "DISCONNECTED", "DECOMMISSIONED"] as const;
export type ClusterState = (typeof CLUSTER_STATES)[number];

export const KubernetesClusterStatusSchema = z.looseObject({
  state: z.string().nullish(),
  message: z.string().nullish(),
  lastHeartbeatTimestamp: z.string().nullish(),
  kubernetesVersion: z.string().nullish(),
});

/** A KubernetesCluster as CMF returns it. */
export const KubernetesClusterSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({
    name: z.string(),
    uid: z.string().nullish(),
    creationTimestamp: z.string().nullish(),
    updateTimestamp: z.string().nullish(),
    labels: StringMapSchema.nullish(),
    annotations: StringMapSchema.nullish(),
  }),
  spec: z.looseObject({ lifecycleState: z.string().nullish() }),
  status: KubernetesClusterStatusSchema.nullish(),
});
export type KubernetesCluster = z.infer<typeof KubernetesClusterSchema>;

/**
 * The body of `PUT /kubernetes-clusters/{name}`. Partial bodies are accepted (the OpenAPI document's
 * own examples send only `spec` or only `metadata`); `labels`/`annotations` omitted or null leave the
 * stored ones unchanged and `{}` clears them (CMF 2.3.1).
 */
export const PutKubernetesClusterSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: z
    .looseObject({
      name: z.string().optional(),
      labels: StringMapSchema.nullish(),
      annotations: StringMapSchema.nullish(),
    })
    .nullish(),
  spec: z.looseObject({ lifecycleState: z.enum(CLUSTER_LIFECYCLE_STATES).nullish() }).nullish(),
  status: z.unknown().optional(),
});
export type PutKubernetesCluster = z.input<typeof PutKubernetesClusterSchema>;

export const KubernetesClustersPageSchema = pageSchema(KubernetesClusterSchema);
export type KubernetesClustersPage = z.infer<typeof KubernetesClustersPageSchema>;
