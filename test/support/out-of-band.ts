/**
 * CMF objects created straight through the client, as another team or stack would: one of each kind
 * the lookups read, for the tests of `getCmfEnvironment` and its siblings.
 */
import type { CmfClient } from "../../provider/client";

export const OUT_OF_BAND = {
  environment: "shared-env",
  namespace: "flink-shared",
  application: "orders",
  parallelism: 2,
  pool: "shared-pool",
  statement: "list-dbs",
  sql: "SHOW DATABASES",
  catalog: "shared-cat",
  registry: "http://sr:8081",
  labels: { team: "data" },
} as const;

const meta = <K extends string>(kind: K, name: string) => ({
  apiVersion: "cmf.confluent.io/v1" as const,
  kind,
  metadata: { name, labels: { ...OUT_OF_BAND.labels } },
});

export async function createOutOfBand(client: CmfClient): Promise<void> {
  const o = OUT_OF_BAND;
  await client.environments.upsert({
    name: o.environment,
    kubernetesNamespace: o.namespace,
    metadata: { name: o.environment, labels: { ...o.labels } },
  });
  await client.applications.upsert(o.environment, {
    ...meta("FlinkApplication", o.application),
    spec: {
      image: "confluentinc/cp-flink:1.19.3-cp2",
      flinkVersion: "v1_19",
      serviceAccount: "flink",
      jobManager: { resource: { cpu: 1, memory: "1024m" } },
      taskManager: { resource: { cpu: 1, memory: "1024m" } },
      job: {
        jarURI: "local:///opt/flink/job.jar",
        parallelism: o.parallelism,
        state: "running",
        upgradeMode: "stateless",
      },
    },
  });
  await client.kafkaCatalogs.create({
    ...meta("KafkaCatalog", o.catalog),
    spec: { srInstance: { connectionConfig: { "schema.registry.url": o.registry } } },
  });
  await client.computePools.create(o.environment, {
    ...meta("ComputePool", o.pool),
    spec: {
      type: "DEDICATED",
      clusterSpec: {
        image: "confluentinc/cp-flink-sql:1.19-cp1",
        jobManager: { resource: { memory: "1024m" } },
      },
    },
  });
  await client.statements.create(o.environment, {
    ...meta("Statement", o.statement),
    spec: { statement: o.sql, computePoolName: o.pool },
  });
}

/** The objects as CMF holds them, to prove that nothing touched them. */
export async function readOutOfBand(client: CmfClient): Promise<unknown[]> {
  const o = OUT_OF_BAND;
  return [
    await client.environments.get(o.environment),
    await client.applications.get(o.environment, o.application),
    await client.computePools.get(o.environment, o.pool),
    await client.statements.get(o.environment, o.statement),
    await client.kafkaCatalogs.get(o.catalog),
  ];
}
