/**
 * CMF SQL as code: the Kafka credentials as a CMF secret mapped into the environment, a Kafka catalog and
 * database that connect with them, a SHARED compute pool, the tables (DDL) and a streaming INSERT that
 * copies large orders, stopped and resumed by a config flag. README.md has the steps (copy the folder
 * out, install the package, `pulumi up` on the embedded emulator) and what each change does.
 *
 * Config: `kafkaJaasConfig` (secret, required), `stopped` (default false), `parallelism` (default 1),
 * `bootstrapServers`, `schemaRegistryUrl`; CMF itself from `cmf:url`/`cmf:token` or `cmf:emulator`.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  CmfComputePool,
  CmfEnvironment,
  CmfKafkaCatalog,
  CmfKafkaDatabase,
  CmfSecret,
  CmfSecretMapping,
  CmfStatement,
} from "pulumi-cmf";

const config = new pulumi.Config();

const environment = new CmfEnvironment("flink-sql", { kubernetesNamespace: "flink-sql" });

// The value never reaches the state or the logs in plain text: it is a secret from the stack config, and
// CMF never returns it (drift shows through the secret's version instead).
const credentials = new CmfSecret("kafka-credentials", {
  data: { "sasl.jaas.config": config.requireSecret("kafkaJaasConfig") },
});

// The catalog and database name this `connectionSecretId`; only environments that map it see them.
const connection = new CmfSecretMapping("kafka-connection", { environment, secret: credentials });

const catalog = new CmfKafkaCatalog("kafka-cat", {
  spec: {
    srInstance: {
      connectionConfig: {
        "schema.registry.url": config.get("schemaRegistryUrl") ?? "http://schema-registry:8081",
      },
      connectionSecretId: connection.name,
    },
  },
});

const database = new CmfKafkaDatabase("orders-db", {
  catalog,
  spec: {
    kafkaCluster: {
      connectionConfig: { "bootstrap.servers": config.get("bootstrapServers") ?? "kafka:9092" },
      connectionSecretId: connection.name,
    },
  },
});

const pool = new CmfComputePool("sql-pool", {
  environment,
  spec: {
    type: "SHARED",
    clusterSpec: {
      flinkVersion: "v1_19",
      image: "confluentinc/cp-flink-sql:1.19-cp1",
      jobManager: { resource: { cpu: 0.5, memory: "1024m" } },
      taskManager: { resource: { cpu: 1, memory: "1024m" } },
    },
  },
});

// Every statement resolves table names in the Kafka database (a topic per table).
const inOrdersDb = { "sql.current-catalog": catalog.name, "sql.current-database": database.name };

// DDL completes at once. Deleting the statement would not drop the table, so `onDestroy` does it first:
// these tables belong to this stack (leave `onDestroy` out for tables others use: destroy then warns).
const tables = [
  new CmfStatement("create-orders", {
    environment,
    computePool: pool,
    spec: {
      statement: `CREATE TABLE orders (
  order_id BIGINT NOT NULL,
  customer STRING,
  amount DECIMAL(10, 2)
) WITH ('connector' = 'kafka', 'topic' = 'orders', 'value.format' = 'json')`,
      properties: inOrdersDb,
    },
    onDestroy: "DROP TABLE orders",
  }),
  new CmfStatement("create-large-orders", {
    environment,
    computePool: pool,
    spec: {
      statement: `CREATE TABLE large_orders (
  order_id BIGINT NOT NULL,
  customer STRING,
  amount DECIMAL(10, 2)
) WITH ('connector' = 'kafka', 'topic' = 'large-orders', 'value.format' = 'json')`,
      properties: inOrdersDb,
    },
    onDestroy: "DROP TABLE large_orders",
  }),
];

// A streaming query runs until stopped: `pulumi config set stopped true` stops it in place (CMF keeps its
// state for the resume), `pulumi config set stopped false` resumes it. `parallelism` is declared, so an
// out-of-band rescale shows on `pulumi refresh` and the next `up` restores it.
const largeOrders = new CmfStatement(
  "copy-large-orders",
  {
    environment,
    computePool: pool,
    spec: {
      statement: "INSERT INTO large_orders SELECT order_id, customer, amount FROM orders WHERE amount > 100",
      properties: inOrdersDb,
      stopped: config.getBoolean("stopped") ?? false,
      parallelism: config.getNumber("parallelism") ?? 1,
    },
  },
  { dependsOn: tables },
);

export const environmentName = environment.name;
export const poolPhase = pool.phase;
export const tablesCreated = pulumi.all(tables.map((table) => table.phase));
export const insertPhase = largeOrders.phase;
