import { V1 } from "./helpers";

/** Request bodies of the SQL families, as `confluent flink ...` files hold them. */

export const API_VERSION = "cmf.confluent.io/v1";

export function secret(name: string, data: Record<string, string>, metadata: Record<string, unknown> = {}) {
  return { apiVersion: API_VERSION, kind: "Secret", metadata: { name, ...metadata }, spec: { data } };
}

export function mapping(name: string, secretName: string) {
  return {
    apiVersion: API_VERSION,
    kind: "EnvironmentSecretMapping",
    metadata: { name },
    spec: { secretName },
  };
}

export function catalog(name: string, srSecretId?: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: API_VERSION,
    kind: "KafkaCatalog",
    metadata: { name },
    spec: {
      srInstance: {
        connectionConfig: { "schema.registry.url": "http://schemaregistry:8081" },
        ...(srSecretId ? { connectionSecretId: srSecretId } : {}),
      },
      ...extra,
    },
  };
}

export function database(name: string, kafkaSecretId?: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: API_VERSION,
    kind: "KafkaDatabase",
    metadata: { name },
    spec: {
      kafkaCluster: {
        connectionConfig: { "bootstrap.servers": "kafka:9092" },
        ...(kafkaSecretId ? { connectionSecretId: kafkaSecretId } : {}),
      },
      ...extra,
    },
  };
}

export function computePool(
  name: string,
  type: "DEDICATED" | "SHARED" = "DEDICATED",
  spec: Record<string, unknown> = {},
) {
  return {
    apiVersion: API_VERSION,
    kind: "ComputePool",
    metadata: { name },
    spec: {
      type,
      clusterSpec: {
        flinkVersion: "v1_19",
        image: "confluentinc/cp-flink-sql:1.19-cp1",
        flinkConfiguration: { "pipeline.operator-chaining.enabled": "false" },
        taskManager: { resource: { cpu: 1.0, memory: "1024m" } },
        jobManager: { resource: { cpu: 0.5, memory: "1024m" } },
      },
      ...spec,
    },
  };
}

export function statement(name: string, sql: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: API_VERSION,
    kind: "Statement",
    metadata: { name },
    spec: { statement: sql, computePoolName: "pool", ...spec },
  };
}

export const secrets = `${V1}/secrets`;
export const mappings = (env: string) => `${V1}/environments/${env}/secret-mappings`;
export const catalogs = `${V1}/catalogs/kafka`;
export const databases = (cat: string) => `${V1}/catalogs/kafka/${cat}/databases`;
export const pools = (env: string) => `${V1}/environments/${env}/compute-pools`;
export const statements = (env: string) => `${V1}/environments/${env}/statements`;
