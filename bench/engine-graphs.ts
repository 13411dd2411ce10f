/**
 * The graphs the engine benchmark deploys, each with the shape its floor copies. A graph is a list of
 * tiers: the first is the root, and every resource of a tier depends on the resources of the tier
 * before, so the floor (no-op dynamic resources in the same tiers) makes the engine walk the same
 * depth and width as the CMF program does. The harness checks that the CMF program's stack holds as
 * many resources as the tiers count, so a program and its shape cannot drift apart unnoticed.
 */
import { BENCH_SPEC } from "./fixtures";

type Sdk = typeof import("../sdk");

export interface EngineGraph {
  /** The benchmark's name (`--only`) and its key in the JSON figures. */
  bench: "engine" | "engine-sql";
  /** What the size counts: "applications", "statements". */
  unit: string;
  /** The smallest size the graph is built for. */
  minimum: number;
  /** The table's title for one size, e.g. "1 environment + 50 applications". */
  title(size: number): string;
  /** Resources per tier, root first. */
  tiers(size: number): number[];
  /**
   * The plain inputs (no references to other resources) of the `index`-th resource of a tier, as the
   * program gives them: the floor's resources carry them too, so that the engine stores, diffs and
   * sends state of the same shape on both sides.
   */
  floorInputs(tier: number, index: number): Record<string, unknown>;
  /**
   * Where CMF keeps the object the program's `index`-th resource of a tier makes, under `/cmf/api/v1`:
   * what the read floor (`engine-harness.ts`) GETs in its `read`.
   */
  objectPath(tier: number, index: number): string;
  /** The Pulumi program, built with the SDK as installed from the packed tarball. */
  program(sdk: Sdk, size: number): () => Promise<void>;
}

/** 1 environment and N applications taking it as their environment. */
export const APPLICATIONS_GRAPH: EngineGraph = {
  bench: "engine",
  unit: "applications",
  minimum: 1,
  title: (size) => `1 environment + ${size} applications`,
  tiers: (size) => [1, size],
  floorInputs: (tier) => (tier === 0 ? ENVIRONMENT_INPUTS : APPLICATION_INPUTS),
  objectPath: (tier, index) =>
    `environments/${APPS_ENVIRONMENT}` + (tier === 0 ? "" : `/applications/${applicationName(index)}`),
  program: (sdk, size) => async () => {
    const environment = new sdk.CmfEnvironment(APPS_ENVIRONMENT, ENVIRONMENT_INPUTS);
    for (let i = 0; i < size; i++) {
      new sdk.CmfApplication(applicationName(i), { environment, ...APPLICATION_INPUTS });
    }
  },
};

// Each name is written once, for the program and for the read floor's paths (a resource's CMF name is its
// resource name).
const APPS_ENVIRONMENT = "bench-env";
const applicationName = (i: number) => `bench-app-${i}`;

const ENVIRONMENT_INPUTS = { kubernetesNamespace: "bench" };
const APPLICATION_INPUTS = { spec: BENCH_SPEC };

/** The DDL statements of the SQL graph; the rest of its statements are streaming INSERTs over them. */
const DDL = [
  { name: "bench-create-orders", table: "orders", connector: "datagen" },
  { name: "bench-create-sink", table: "sink", connector: "blackhole" },
];

const POOL_SPEC = {
  type: "SHARED" as const,
  clusterSpec: {
    flinkVersion: "v1_19",
    image: "confluentinc/cp-flink-sql:1.19-cp1",
    jobManager: { resource: { cpu: 0.5, memory: "1024m" } },
    taskManager: { resource: { cpu: 1, memory: "1024m" } },
  },
};

/**
 * 1 environment, 1 SHARED compute pool and N statements on it: two CREATE TABLEs (each dropping its
 * table on destroy) and N − 2 streaming INSERTs that depend on both tables, as a user's would.
 */
export const STATEMENTS_GRAPH: EngineGraph = {
  bench: "engine-sql",
  unit: "statements",
  minimum: DDL.length + 1,
  title: (size) => `1 environment + 1 SHARED pool + ${size} statements`,
  tiers: (size) => [1, 1, DDL.length, size - DDL.length],
  floorInputs: (tier, index) => {
    if (tier === 0) return SQL_ENVIRONMENT_INPUTS;
    if (tier === 1) return POOL_INPUTS;
    return tier === 2 ? ddlInputs(DDL[index]) : INSERT_INPUTS;
  },
  objectPath: (tier, index) => {
    const environment = `environments/${SQL_ENVIRONMENT}`;
    if (tier === 0) return environment;
    if (tier === 1) return `${environment}/compute-pools/${POOL}`;
    return `${environment}/statements/${tier === 2 ? DDL[index].name : insertName(index)}`;
  },
  program: (sdk, size) => async () => {
    const environment = new sdk.CmfEnvironment(SQL_ENVIRONMENT, SQL_ENVIRONMENT_INPUTS);
    const computePool = new sdk.CmfComputePool(POOL, { environment, ...POOL_INPUTS });
    const tables = DDL.map(
      (t) => new sdk.CmfStatement(t.name, { environment, computePool, ...ddlInputs(t) }),
    );
    for (let i = 0; i < size - DDL.length; i++) {
      new sdk.CmfStatement(
        insertName(i),
        { environment, computePool, ...INSERT_INPUTS },
        { dependsOn: tables },
      );
    }
  },
};

const SQL_ENVIRONMENT = "bench-sql-env";
const POOL = "bench-pool";
const insertName = (i: number) => `bench-insert-${i}`;
const SQL_ENVIRONMENT_INPUTS = { kubernetesNamespace: "bench-sql" };
const POOL_INPUTS = { spec: POOL_SPEC };
const INSERT_INPUTS = { spec: { statement: "INSERT INTO sink SELECT * FROM orders", parallelism: 1 } };

function ddlInputs(t: (typeof DDL)[number]) {
  return {
    spec: {
      statement: `CREATE TABLE ${t.table} (id INT, amount DOUBLE) WITH ('connector' = '${t.connector}')`,
    },
    onDestroy: `DROP TABLE ${t.table}`,
  };
}

export const ENGINE_GRAPHS = [APPLICATIONS_GRAPH, STATEMENTS_GRAPH] as const;
