/**
 * The CMF shapes pulumi-cmf's published declarations name, as plain TypeScript. The zod models of the
 * CMF contract (`provider/models`) validate; their inferred types would pull zod's declaration files
 * into every user's type check (which fails under `pulumi new typescript`'s tsconfig). A type test
 * (`test/resources/public-types.test.ts`) keeps each interface equal to its model, so they cannot drift.
 */

/** Flink configuration: map<string,string>, as CMF stores it. */
export type FlinkConfiguration = Record<string, string>;

/** FKO `Resource`: `cpu` is a number of cores, `memory` a Flink/Kubernetes size such as "1024m" or "2g". */
export interface FlinkResourceSpec {
  [key: string]: unknown;
  cpu?: number;
  memory?: string;
  ephemeralStorage?: string;
}

export interface JobManagerSpec {
  [key: string]: unknown;
  resource?: FlinkResourceSpec;
  replicas?: number;
  podTemplate?: Record<string, unknown>;
}

export interface TaskManagerSpec {
  [key: string]: unknown;
  resource?: FlinkResourceSpec;
  replicas?: number;
  podTemplate?: Record<string, unknown>;
}

export interface JobSpec {
  [key: string]: unknown;
  jarURI?: string;
  parallelism?: number;
  entryClass?: string;
  args?: string[];
  state?: "running" | "suspended";
  upgradeMode?: "stateless" | "savepoint" | "last-state";
  initialSavepointPath?: string;
  allowNonRestoredState?: boolean;
  savepointRedeployNonce?: number;
  autoscalerResetNonce?: number;
}

/**
 * FKO `FlinkDeploymentSpec` as CMF accepts it. The common fields are typed; anything else (ingress,
 * logConfiguration, mode, restartNonce, fields of newer operators) passes through untouched.
 */
export interface FlinkApplicationSpec {
  [key: string]: unknown;
  image?: string;
  imagePullPolicy?: string;
  flinkVersion?: string;
  flinkConfiguration?: FlinkConfiguration;
  serviceAccount?: string;
  jobManager?: JobManagerSpec;
  taskManager?: TaskManagerSpec;
  job?: JobSpec;
  podTemplate?: Record<string, unknown>;
}

export interface StatementDefaultsEntry {
  [key: string]: unknown;
  flinkConfiguration?: FlinkConfiguration;
}

/** `{detached:{flinkConfiguration}, interactive:{flinkConfiguration}}`. */
export interface StatementDefaults {
  [key: string]: unknown;
  detached?: StatementDefaultsEntry;
  interactive?: StatementDefaultsEntry;
}

/** A partial FlinkApplication: `{ metadata?, spec? }`, merged into the environment's applications. */
export interface FlinkApplicationDefaults {
  [key: string]: unknown;
  metadata?: Record<string, unknown>;
  spec?: { [key: string]: unknown; flinkConfiguration?: FlinkConfiguration };
}

/** A compute pool's `spec.type`. */
export type ComputePoolType = "DEDICATED" | "SHARED";

/** A SHARED compute pool's `spec.state`. */
export type ComputePoolState = "RUNNING" | "SUSPENDED";
