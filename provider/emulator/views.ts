import {
  FLINK_APPLICATION_EVENT_API_VERSION,
  FLINK_APPLICATION_EVENT_KIND,
  FLINK_APPLICATION_INSTANCE_KIND,
} from "../models";
import { timestamp } from "./clock";
import type { ApplicationRecord, EnvironmentRecord, EventRecord, InstanceRecord, JsonObject } from "./store";

export interface EnvironmentViewOptions {
  /** Single GET and upsert answers carry `secrets`; list items do not (as in CMF). */
  withSecrets: boolean;
  /** `include-resource-information=true`: a summary of the environment's applications by job state. */
  withResourceInformation: boolean;
  /** connectionSecretId → secret name, from the environment's secret mappings. */
  secrets?: Record<string, string>;
}

export function environmentView(env: EnvironmentRecord, options: EnvironmentViewOptions): JsonObject {
  const metadata: JsonObject = { name: env.name };
  if (env.labels) metadata.labels = env.labels;
  if (env.annotations) metadata.annotations = env.annotations;
  metadata.creationTimestamp = timestamp(env.createdAt);
  metadata.updateTimestamp = timestamp(env.updatedAt);

  const view: JsonObject = { name: env.name, metadata, kubernetesNamespace: env.kubernetesNamespace };
  if (env.kubernetesClusterName !== undefined) view.kubernetesClusterName = env.kubernetesClusterName;
  if (env.flinkApplicationDefaults !== undefined)
    view.flinkApplicationDefaults = env.flinkApplicationDefaults;
  if (env.computePoolDefaults !== undefined) view.computePoolDefaults = env.computePoolDefaults;
  if (env.statementDefaults !== undefined) view.statementDefaults = env.statementDefaults;
  view.created_time = timestamp(env.createdAt);
  view.updated_time = timestamp(env.updatedAt);
  if (options.withSecrets) view.secrets = options.secrets ?? {};
  if (options.withResourceInformation) {
    const byState: Record<string, number> = {};
    for (const app of env.applications.values()) {
      const state = jobStateOf(app) ?? "UNKNOWN";
      byState[state] = (byState[state] ?? 0) + 1;
    }
    view.status = { resources: { applications: byState, statements: {} } };
  }
  return view;
}

export function jobStateOf(app: ApplicationRecord): string | undefined {
  const jobStatus = app.status.jobStatus as JsonObject | undefined;
  return typeof jobStatus?.state === "string" ? jobStatus.state : undefined;
}

/** The displayed update time: the later of the last client change and the last status change. */
export function displayedUpdate(app: ApplicationRecord): number {
  return Math.max(app.updatedAt, app.statusUpdatedAt);
}

export function applicationView(app: ApplicationRecord): JsonObject {
  return {
    apiVersion: app.apiVersion,
    kind: app.kind,
    metadata: {
      name: app.name,
      ...app.metadata,
      uid: app.uid,
      creationTimestamp: timestamp(app.createdAt),
      updateTimestamp: timestamp(displayedUpdate(app)),
    },
    spec: app.spec,
    status: app.status,
  };
}

export function instanceView(app: ApplicationRecord, instance: InstanceRecord): JsonObject {
  const jobStatus: JsonObject = {};
  if (instance.jobId !== undefined) jobStatus.jobId = instance.jobId;
  if (instance.jobState !== undefined) jobStatus.state = instance.jobState;
  return {
    apiVersion: app.apiVersion,
    kind: FLINK_APPLICATION_INSTANCE_KIND,
    metadata: {
      name: instance.name,
      uid: instance.name,
      creationTimestamp: timestamp(instance.createdAt),
      updateTimestamp: timestamp(instance.updatedAt),
    },
    status: { spec: instance.spec, jobStatus },
  };
}

export function eventView(event: EventRecord): JsonObject {
  const metadata: JsonObject = {
    name: event.name,
    uid: event.name,
    creationTimestamp: timestamp(event.createdAt),
  };
  if (event.instance !== undefined) metadata.flinkApplicationInstance = event.instance;
  const status: JsonObject = { message: event.message, type: event.type };
  if (Object.keys(event.data).length > 0) status.data = event.data;
  return {
    apiVersion: FLINK_APPLICATION_EVENT_API_VERSION,
    kind: FLINK_APPLICATION_EVENT_KIND,
    metadata,
    status,
  };
}
