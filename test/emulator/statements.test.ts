import type { CmfEmulator } from "../../provider/emulator";
import { Api, environment, startEmulator, V1 } from "./helpers";
import {
  catalog,
  catalogs,
  computePool,
  database,
  databases,
  mapping,
  mappings,
  pools,
  secret,
  secrets,
  statement,
  statements,
} from "./sql-helpers";

let emu: CmfEmulator;
let api: Api;

const put = (path: string, body: unknown) => api.request("PUT", path, { body });
const run = async (name: string, sql: string, spec: Record<string, unknown> = {}) => {
  const res = await api.post(statements("prod"), statement(name, sql, spec));
  expect(res.status).toBe(200);
  return res.json;
};
const ORDERS_DDL = `CREATE TABLE orders (
  order_id BIGINT NOT NULL,
  customer STRING,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'orders', 'value.format' = 'json')`;

async function setup(target: { emu: CmfEmulator; api: Api }): Promise<void> {
  await target.emu.controls.reset();
  await target.api.post(`${V1}/environments`, environment("prod"));
  await target.api.post(pools("prod"), computePool("pool"));
}

describe("statements (instant lifecycle)", () => {
  beforeAll(async () => {
    ({ emu, api } = await startEmulator());
  });
  afterAll(() => emu.close());
  beforeEach(() => setup({ emu, api }));

  test("DDL completes at once with the result inlined; SHOW TABLES and DESCRIBE answer from it; DROP removes", async () => {
    const created = await run("create-orders", ORDERS_DDL);
    expect(created).toMatchObject({
      apiVersion: "cmf.confluent.io/v1",
      kind: "Statement",
      metadata: { name: "create-orders" },
      spec: { statement: ORDERS_DDL, computePoolName: "pool", parallelism: 1, stopped: false },
      status: {
        phase: "COMPLETED",
        traits: { sqlKind: "CREATE_TABLE", isBounded: true, isAppendOnly: true },
      },
      result: { kind: "StatementResult", results: { data: [{ op: 0, row: ["OK"] }] } },
    });
    const shown = await run("show-tables", "SHOW TABLES");
    expect(shown.status.traits.sqlKind).toBe("SHOW_TABLES");
    expect(shown.result.results.data).toEqual([{ op: 0, row: ["orders"] }]);
    const described = await run("describe-orders", "DESCRIBE orders");
    expect(described.result.results.data.map((d: { row: unknown[] }) => d.row.slice(0, 3))).toEqual([
      ["order_id", "BIGINT NOT NULL", false],
      ["customer", "STRING", true],
      ["amount", "DECIMAL(10, 2)", true],
      ["ts", "TIMESTAMP(3)", true],
    ]);
    expect((await run("create-again", ORDERS_DDL)).status).toMatchObject({
      phase: "FAILED",
      detail: expect.stringContaining("Table (or view) orders already exists in Catalog default_catalog"),
    });
    expect(
      (await run("create-if-not", ORDERS_DDL.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"))).status
        .phase,
    ).toBe("COMPLETED");
    expect((await run("drop-orders", "DROP TABLE orders")).status.phase).toBe("COMPLETED");
    expect((await run("show-again", "SHOW TABLES")).result.results.data).toEqual([]);
    expect((await run("drop-again", "DROP TABLE orders")).status.detail).toBe(
      "Table with identifier 'default_catalog.default_database.orders' does not exist.",
    );
    expect((await run("drop-if-exists", "DROP TABLE IF EXISTS orders")).status.phase).toBe("COMPLETED");
  });

  test("a syntax error is HTTP 200 with phase FAILED and Flink's line and column in detail", async () => {
    const failed = await run("bad-syntax", "SELECT * FROM orders WHERE\n  amount > > 5");
    expect(failed.status.phase).toBe("FAILED");
    expect(failed.status.detail).toMatch(/^SQL parse failed\. Encountered ">" at line 2, column 12\./);
    expect((await run("two-statements", "SELECT 1; SELECT 2")).status.detail).toMatch(
      /exactly one SQL statement/,
    );
  });

  test("an unknown table fails with Flink's \"Object '…' not found\" and its position", async () => {
    const failed = await run("unknown-table", "SELECT customer\nFROM missing_table");
    expect(failed.status).toMatchObject({
      phase: "FAILED",
      detail:
        "SQL validation failed. From line 2, column 6 to line 2, column 18: Object 'missing_table' not found",
    });
    await run("create-orders", ORDERS_DDL);
    const column = await run("unknown-column", "SELECT nope FROM orders");
    expect(column.status.detail).toBe("SQL validation failed. Column 'nope' not found in any table");
    const insert = await run("insert-missing", "INSERT INTO sink_table SELECT * FROM orders");
    expect(insert.status.detail).toMatch(/Object 'sink_table' not found/);
    const windowed = await run(
      "tumble-orders",
      "SELECT window_start, SUM(amount) FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' MINUTES)) GROUP BY window_start, window_end",
    );
    expect(windowed.status.phase).toBe("RUNNING");
    const windowedMissing = await run(
      "tumble-missing",
      "SELECT * FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTES))",
    );
    expect(windowedMissing.status.detail).toMatch(/Object 'clicks' not found/);
  });

  test("SELECT of literals: deterministic rows and schema; bounded, so COMPLETED; results without a next page", async () => {
    const selected = await run("select-one", "SELECT 1, 'flink' AS name, 2.50, TRUE");
    expect(selected.status.phase).toBe("COMPLETED");
    expect(selected.status.traits).toEqual({
      sqlKind: "SELECT",
      isBounded: true,
      isAppendOnly: true,
      upsertColumns: [],
      schema: {
        columns: [
          { name: "EXPR$0", type: { type: "INTEGER", nullable: false } },
          { name: "name", type: { type: "CHAR", nullable: false, length: 5 } },
          { name: "EXPR$2", type: { type: "DECIMAL", nullable: false, precision: 3, scale: 2 } },
          { name: "EXPR$3", type: { type: "BOOLEAN", nullable: false } },
        ],
      },
    });
    const results = await api.get(`${statements("prod")}/select-one/results`);
    expect(results.status).toBe(200);
    expect(results.json).toMatchObject({
      kind: "StatementResult",
      results: { data: [{ op: 0, row: ["1", "flink", "2.50", "TRUE"] }] },
    });
    expect(results.json.metadata.annotations).toBeUndefined();
    await run("create-orders", ORDERS_DDL);
    const noResults = await api.get(`${statements("prod")}/create-orders/results`);
    expect(noResults.status).toBe(400);
    expect(noResults.json.errors[0].message).toMatch(
      /has no results: the results API serves SELECT statements/,
    );
    expect((await api.get(`${statements("prod")}/nope-stmt/results`)).status).toBe(404);
  });

  test("SELECT from a table returns the rows a test seeded, in pages linked by nextPageToken", async () => {
    await run("create-orders", ORDERS_DDL);
    const rows = Array.from({ length: 250 }, (_, i) => [String(i), `c${i}`, "1.00", null]);
    await emu.controls.seedTableRows("prod", "orders", { rows });
    const query = await run("read-orders", "SELECT customer, order_id FROM orders");
    expect(query.status.phase).toBe("RUNNING");
    expect(query.status.traits.isBounded).toBe(false);
    expect(query.status.traits.schema.columns).toEqual([
      { name: "customer", type: { type: "VARCHAR", nullable: true, length: 2147483647 } },
      { name: "order_id", type: { type: "BIGINT", nullable: false } },
    ]);
    const path = `${statements("prod")}/read-orders/results`;
    const seen: unknown[] = [];
    const tokens: string[] = [];
    let url = path;
    for (let i = 0; i < 3; i++) {
      const page = await api.get(url);
      expect(page.status).toBe(200);
      seen.push(...page.json.results.data.map((d: { row: unknown[] }) => d.row));
      const token = page.json.metadata.annotations?.nextPageToken;
      expect(typeof token).toBe("string"); // a running query may still produce rows
      tokens.push(token);
      url = `${path}?page-token=${encodeURIComponent(token)}`;
    }
    expect(seen).toEqual(rows.map((r) => [r[1], r[0]]));
    const old = await api.get(`${path}?page-token=${encodeURIComponent(tokens[0])}`);
    expect(old.status).toBe(410);
    expect((await api.get(`${path}?page-token=garbage`)).status).toBe(400);
  });

  test("Kafka catalogs are visible to an environment only through its secret mappings; ddlEnvironments limits DDL", async () => {
    await api.post(secrets, secret("kafka-creds", { "sasl.mechanism": "PLAIN" }));
    await api.post(catalogs, catalog("kafka-cat", "sr-id"));
    await api.post(
      databases("kafka-cat"),
      database("sales-db", "kafka-id", { ddlEnvironments: ["other-env"] }),
    );
    const props = { properties: { "sql.current-catalog": "kafka-cat", "sql.current-database": "sales-db" } };
    expect((await run("invisible", "SHOW TABLES", props)).status.detail).toBe(
      "A catalog with name [kafka-cat] does not exist.",
    );
    expect((await run("qualified", "SELECT * FROM `kafka-cat`.`sales-db`.`orders`")).status.detail).toMatch(
      /Object 'kafka-cat' not found/,
    );
    await api.post(mappings("prod"), mapping("sr-id", "kafka-creds"));
    expect(
      (await run("show-dbs", "SHOW DATABASES", { properties: { "sql.current-catalog": "kafka-cat" } })).result
        .results.data,
    ).toEqual([]);
    await api.post(mappings("prod"), mapping("kafka-id", "kafka-creds"));
    expect(
      (await run("show-dbs-2", "SHOW DATABASES", { properties: { "sql.current-catalog": "kafka-cat" } }))
        .result.results.data,
    ).toEqual([{ op: 0, row: ["sales-db"] }]);
    const ddl = await run("ddl-refused", ORDERS_DDL, props);
    expect(ddl.status.detail).toMatch(
      /Environment 'prod' is not allowed to run DDL statements in database 'kafka-cat.sales-db'/,
    );
    await put(
      `${databases("kafka-cat")}/sales-db`,
      database("sales-db", "kafka-id", { ddlEnvironments: ["prod"] }),
    );
    expect((await run("ddl-allowed", ORDERS_DDL, props)).status.phase).toBe("COMPLETED");
    expect((await run("read-qualified", "SELECT * FROM `kafka-cat`.`sales-db`.orders")).status.phase).toBe(
      "RUNNING",
    );
    expect((await run("show-catalogs", "SHOW CATALOGS")).result.results.data).toEqual([
      { op: 0, row: ["default_catalog"] },
      { op: 0, row: ["kafka-cat"] },
    ]);
  });

  test("stop, resume and rescale by PUT (200 without a body); immutable fields and wrong phases are 400", async () => {
    await run("create-orders", ORDERS_DDL);
    await run("create-sink", ORDERS_DDL.replace("orders (", "big_orders ("));
    const insert = await run("copy-orders", "INSERT INTO big_orders SELECT * FROM orders WHERE amount > 100");
    expect(insert.status).toMatchObject({
      phase: "RUNNING",
      traits: { sqlKind: "INSERT_INTO", isBounded: false },
    });
    const path = `${statements("prod")}/copy-orders`;
    const body = (spec: Record<string, unknown>) => statement("copy-orders", insert.spec.statement, spec);

    const stopped = await put(path, body({ stopped: true }));
    expect(stopped.status).toBe(200);
    expect(stopped.text).toBe("");
    expect((await api.get(path)).json.status.phase).toBe("STOPPED");
    expect((await put(path, body({ stopped: true, parallelism: 4 }))).status).toBe(200);
    expect((await put(path, body({ stopped: false, parallelism: 4 }))).status).toBe(200);
    const resumed = (await api.get(path)).json;
    expect(resumed.status.phase).toBe("RUNNING");
    expect(resumed.spec.parallelism).toBe(4);

    const changed = await put(path, {
      ...body({}),
      spec: { ...body({}).spec, statement: "INSERT INTO big_orders SELECT * FROM orders" },
    });
    expect(changed.status).toBe(400);
    expect(changed.json.errors[0].message).toBe(
      "spec.statement: cannot be changed on an existing statement; create a new statement instead",
    );
    const otherPool = await put(path, body({ computePoolName: "other-pool", parallelism: 4 }));
    expect(otherPool.json.errors[0].message).toMatch(/^spec.computePoolName: cannot be changed/);
    const ddlStop = await put(
      `${statements("prod")}/create-orders`,
      statement("create-orders", ORDERS_DDL, { stopped: true }),
    );
    expect(ddlStop.status).toBe(400);
    expect(ddlStop.json.errors[0].message).toBe(
      "spec.stopped: a statement can only be stopped in phase PENDING, RUNNING or FAILING (it is COMPLETED)",
    );
    expect((await put(`${statements("prod")}/nope-stmt`, statement("nope-stmt", "SELECT 1"))).status).toBe(
      404,
    );
  });

  test("compute pool conflicts: no delete while statements use it, no spec change while they run", async () => {
    await run("create-orders", ORDERS_DDL);
    await run("read-orders", "SELECT * FROM orders");
    const poolPath = `${pools("prod")}/pool`;
    const refused = await api.delete(poolPath);
    expect(refused.status).toBe(409);
    expect(refused.json.errors[0].message).toMatch(/is used by 2 statement\(s\): create-orders, read-orders/);
    const changed = computePool("pool", "DEDICATED", {
      clusterSpec: { ...computePool("pool").spec.clusterSpec, image: "other:1" },
    });
    const busy = await put(poolPath, changed);
    expect(busy.status).toBe(409);
    expect(busy.json.errors[0].message).toMatch(
      /cannot be updated while statements are running on it: read-orders/,
    );
    await put(
      `${statements("prod")}/read-orders`,
      statement("read-orders", "SELECT * FROM orders", { stopped: true }),
    );
    expect((await put(poolPath, changed)).status).toBe(200);
    expect((await api.delete(`${statements("prod")}/read-orders`)).status).toBe(204);
    expect((await api.delete(`${statements("prod")}/create-orders`)).status).toBe(204);
    expect((await api.delete(poolPath)).status).toBe(204);
  });

  test("create: 409 on a duplicate, 400 for an unknown pool or a bad name, 404 for an unknown environment", async () => {
    await run("select-one", "SELECT 1");
    expect((await api.post(statements("prod"), statement("select-one", "SELECT 2"))).status).toBe(409);
    const noPool = await api.post(
      statements("prod"),
      statement("no-pool", "SELECT 1", { computePoolName: "missing" }),
    );
    expect(noPool.status).toBe(400);
    expect(noPool.json.errors[0].message).toBe(
      "spec.computePoolName: ComputePool 'missing' not found in Environment 'prod'",
    );
    const badName = await api.post(statements("prod"), statement("Bad_Name", "SELECT 1"));
    expect(badName.status).toBe(400);
    expect((await api.post(statements("nope-env"), statement("select-one", "SELECT 1"))).status).toBe(404);
  });

  test("test controls: fail with an exception (listed by /exceptions, newest first), FAILING, any phase", async () => {
    await run("create-orders", ORDERS_DDL);
    await run("read-orders", "SELECT * FROM orders");
    expect((await api.get(`${statements("prod")}/read-orders/exceptions`)).json).toEqual({
      apiVersion: "cmf.confluent.io/v1",
      kind: "StatementExceptionList",
      data: [],
    });
    const failing = await api.post("/_emulator/environments/prod/statements/read-orders/fail", {
      phase: "FAILING",
      exception: "java.io.IOException",
      message: "Broker not available",
    });
    expect(failing.json.status.phase).toBe("FAILING");
    const failed = await emu.controls.failStatement("prod", "read-orders", { message: "Out of memory" });
    expect(failed.status).toMatchObject({
      phase: "FAILED",
      detail: "org.apache.flink.runtime.JobException: Out of memory",
    });
    const exceptions = (await api.get(`${statements("prod")}/read-orders/exceptions`)).json.data;
    expect(exceptions.map((e: { name: string; message: string }) => [e.name, e.message])).toEqual([
      ["org.apache.flink.runtime.JobException", "Out of memory"],
      ["java.io.IOException", "Broker not available"],
    ]);
    for (let i = 0; i < 12; i++)
      await emu.controls.failStatement("prod", "read-orders", { message: `crash ${i}` });
    expect((await api.get(`${statements("prod")}/read-orders/exceptions`)).json.data).toHaveLength(10);
    const forced = await api.post("/_emulator/environments/prod/statements/read-orders/phase", {
      phase: "COMPLETED",
    });
    expect(forced.json.status.phase).toBe("COMPLETED");
  });

  test("list: compute-pool and lower-case phase parameters, filter, search on the SQL text", async () => {
    await api.post(pools("prod"), computePool("other-pool"));
    await run("create-orders", ORDERS_DDL);
    await run("read-orders", "SELECT * FROM orders");
    await run("read-other", "SELECT customer FROM orders", { computePoolName: "other-pool" });
    const names = (res: { json: { items: { metadata: { name: string } }[] } }) =>
      res.json.items.map((s) => s.metadata.name);
    expect(names(await api.get(`${statements("prod")}?compute-pool=other-pool`))).toEqual(["read-other"]);
    expect(names(await api.get(`${statements("prod")}?phase=completed`))).toEqual(["create-orders"]);
    expect(names(await api.get(`${statements("prod")}?filter=phase=RUNNING`))).toEqual([
      "read-orders",
      "read-other",
    ]);
    expect(
      names(await api.get(`${statements("prod")}?search=select%20customer&searchScope=statement`)),
    ).toEqual(["read-other"]);
    expect((await api.get(`${statements("prod")}?phase=RUNNING`)).status).toBe(400);
  });

  test("GET carries an ETag (304 on If-None-Match) that changes with the statement", async () => {
    await run("select-one", "SELECT 1");
    const path = `${statements("prod")}/select-one`;
    const first = await api.get(path);
    const etag = first.headers.get("etag") as string;
    expect((await api.get(path, { headers: { "if-none-match": etag } })).status).toBe(304);
    await emu.controls.setStatementPhase("prod", "select-one", "RUNNING");
    const changed = await api.get(path, { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.json.status.phase).toBe("RUNNING");
  });

  test("YAML documents are accepted as posted", async () => {
    const yaml = [
      "apiVersion: cmf.confluent.io/v1",
      "kind: Statement",
      "metadata:",
      "  name: yaml-statement",
      "spec:",
      "  statement: SELECT 1",
      "  computePoolName: pool",
      "  parallelism: 2",
      "  properties:",
      "    sql.current-catalog: default_catalog",
      "",
    ].join("\n");
    const res = await api.request("POST", statements("prod"), {
      rawBody: yaml,
      contentType: "application/yaml",
    });
    expect(res.status).toBe(200);
    expect(res.json.spec.parallelism).toBe(2);
  });
});

describe("statements (manual and stepped lifecycles)", () => {
  let manual: { emu: CmfEmulator; api: Api };
  beforeAll(async () => {
    manual = await startEmulator({ lifecycle: "manual" });
  });
  afterAll(() => manual.emu.close());
  beforeEach(() => setup(manual));

  test("SELECT 1 goes PENDING → RUNNING → COMPLETED; results are empty while PENDING", async () => {
    const created = await manual.api.post(statements("prod"), statement("select-one", "SELECT 1"));
    expect(created.json.status).toMatchObject({
      phase: "PENDING",
      detail: "Statement execution in progress.",
    });
    const pending = await manual.api.get(`${statements("prod")}/select-one/results`);
    expect(pending.json.results.data).toEqual([]);
    expect(pending.json.metadata.annotations.nextPageToken).toEqual(expect.any(String));
    await manual.emu.controls.advanceClock({ steps: 1 });
    expect((await manual.api.get(`${statements("prod")}/select-one`)).json.status.phase).toBe("RUNNING");
    await manual.emu.controls.advanceClock({ steps: 1 });
    expect((await manual.api.get(`${statements("prod")}/select-one`)).json.status.phase).toBe("COMPLETED");
  });

  test("DELETE of a running statement: 202, then DELETING (results 410), then gone", async () => {
    await manual.api.post(statements("prod"), statement("select-one", "SELECT 1"));
    const path = `${statements("prod")}/select-one`;
    const accepted = await manual.api.delete(path);
    expect(accepted.status).toBe(202);
    expect((await manual.api.get(path)).json.status.phase).toBe("DELETING");
    expect((await manual.api.get(`${path}/results`)).status).toBe(410);
    await manual.emu.controls.advanceClock({ steps: 1 });
    expect((await manual.api.get(path)).status).toBe(404);
  });

  test("stepped: one phase per GET of the statement", async () => {
    const stepped = await startEmulator({ lifecycle: "stepped" });
    try {
      await setup(stepped);
      await stepped.api.post(statements("prod"), statement("select-one", "SELECT 1"));
      const phases: string[] = [];
      for (let i = 0; i < 3; i++)
        phases.push((await stepped.api.get(`${statements("prod")}/select-one`)).json.status.phase);
      expect(phases).toEqual(["RUNNING", "COMPLETED", "COMPLETED"]);
    } finally {
      await stepped.emu.close();
    }
  });
});

describe("the Flink SQL grammar", () => {
  test("is loaded when a compute pool is created (statements follow), not at emulator start nor by reads", async () => {
    const started = await startEmulator();
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const parser = (started.emu as any).core.sqlParser as { started: boolean };
      await started.emu.controls.reset();
      await started.api.post(`${V1}/environments`, environment("prod"));
      await started.api.get(pools("prod"));
      await started.api.get(statements("prod"));
      expect(parser.started).toBe(false);
      await started.api.post(pools("prod"), computePool("pool"));
      expect(parser.started).toBe(true);
      // The first statement is parsed by the worker the pool started.
      const created = await started.api.post(statements("prod"), statement("select-one", "SELECT 1"));
      expect(created.status).toBe(200);
      expect(created.json.status.traits.sqlKind).toBe("SELECT");
    } finally {
      await started.emu.close();
    }
  });
});
