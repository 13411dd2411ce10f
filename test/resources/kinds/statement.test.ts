/**
 * CmfStatement: check, diff and the wait decisions (pure), and the operations against the emulator
 * (its SQL brain compiles the statements): DDL completing at once, a streaming INSERT stopped, resumed
 * and rescaled in place, created stopped, FAILED with CMF's detail, onDestroy SQL, the DDL warning.
 */
import { ResourceInitError } from "../../../provider/core/errors";
import { statementController } from "../../../provider/kinds/statement/adapter";
import { assessStatement, normalizeSql, statementTarget } from "../../../provider/kinds/statement/await";
import { caught, closeHarnesses, harness, type Harness } from "./harness";

afterAll(closeHarnesses);

const CREATE_ORDERS = "CREATE TABLE orders (id INT, amount DOUBLE) WITH ('connector' = 'datagen')";
const CREATE_SINK = "CREATE TABLE sink (id INT, amount DOUBLE) WITH ('connector' = 'blackhole')";

function statement(
  h: Harness | undefined,
  name: string,
  spec: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    environment: "prod-env",
    name,
    spec: { computePoolName: "sql-pool", ...spec },
    owner: `proj/dev/${name}`,
    ...(h ? { connection: h.connection } : {}),
    ...extra,
  };
}

describe("CmfStatement check, diff and waiting", () => {
  it("names broken fields and a waitFor that contradicts stopped", () => {
    const { failures } = statementController.check(
      statement(undefined, "Bad_Name", { statement: "", parallelism: 0 }, { waitFor: "STOPPED" }),
    );
    expect(failures.map((f) => f.property)).toEqual([
      "name",
      "spec.statement",
      "spec.parallelism",
      "waitFor",
    ]);
  });

  it("replaces on new SQL or pool (deleted first), changes stopped and parallelism in place", () => {
    const olds = statement(undefined, "insert-orders", {
      statement: "INSERT INTO sink SELECT * FROM orders",
    });
    expect(
      statementController.diff(
        olds,
        statement(undefined, "insert-orders", { statement: "INSERT INTO sink SELECT id FROM orders" }),
      ),
    ).toMatchObject({ replaces: ["spec"], deleteBeforeReplace: true });
    expect(
      statementController.diff(
        olds,
        statement(undefined, "insert-orders", { ...olds.spec, computePoolName: "other" }),
      ),
    ).toMatchObject({ replaces: ["spec"] });
    expect(
      statementController.diff(
        olds,
        statement(undefined, "insert-orders", { ...olds.spec, stopped: true, parallelism: 2 }),
      ),
    ).toMatchObject({ changes: true, replaces: [] });
  });

  it("compares SQL up to CMF's normalisation, and waits for the phase asked", () => {
    expect(normalizeSql("SELECT  1\n FROM t ;\n")).toBe(normalizeSql("SELECT 1 FROM t"));
    expect(statementTarget(undefined, { stopped: true })).toBe("STOPPED");
    expect(statementTarget(undefined, {})).toBe("RUNNING_OR_COMPLETED");
    const seen = (phase: string) => ({
      apiVersion: "v",
      kind: "Statement",
      metadata: { name: "s" },
      spec: { statement: "x", computePoolName: "p" },
      status: { phase, detail: "why" },
    });
    expect(assessStatement(seen("COMPLETED"), "RUNNING_OR_COMPLETED")).toEqual({ state: "ready" });
    expect(assessStatement(seen("PENDING"), "RUNNING")).toEqual({
      state: "pending",
      detail: "phase PENDING: why",
    });
    expect(assessStatement(seen("COMPLETED"), "RUNNING").state).toBe("failed");
    expect(assessStatement(seen("FAILED"), "RUNNING_OR_COMPLETED").state).toBe("failed");
  });
});

async function prepared(lifecycle: "instant" | "stepped" = "instant"): Promise<Harness> {
  const h = await harness({ lifecycle });
  await h.direct.environments.upsert({ name: "prod-env", kubernetesNamespace: "flink-prod" });
  await h.direct.computePools.create("prod-env", {
    apiVersion: "cmf.confluent.io/v1",
    kind: "ComputePool",
    metadata: { name: "sql-pool" },
    spec: {
      type: "DEDICATED",
      clusterSpec: {
        flinkVersion: "v1_19",
        image: "confluentinc/cp-flink-sql:1.19-cp1",
        jobManager: { resource: { cpu: 0.5, memory: "1024m" } },
        taskManager: { resource: { cpu: 1, memory: "1024m" } },
      },
    },
  });
  return h;
}

describe("CmfStatement operations", () => {
  jest.setTimeout(60_000);

  it("DDL completes at once; a streaming INSERT runs, stops, resumes and rescales in place; destroy of DDL warns", async () => {
    const h = await prepared("stepped");
    const ddl = statement(h, "create-orders", { statement: `${CREATE_ORDERS};` });
    const created = await h.runtime.create("Statement", ddl);
    expect(created.outs).toMatchObject({ phase: "COMPLETED", traits: { sqlKind: "CREATE_TABLE" } });
    const read = await h.runtime.read("Statement", created.id, created.outs);
    expect((await h.runtime.diff("Statement", created.id, read.props, ddl)).changes).toBe(false);
    await h.runtime.create("Statement", statement(h, "create-sink", { statement: CREATE_SINK }));

    const insert = statementController.check(
      statement(h, "insert-orders", { statement: "INSERT INTO sink SELECT * FROM orders" }),
    ).inputs;
    const running = await h.runtime.create("Statement", insert);
    expect(running.outs).toMatchObject({ phase: "RUNNING", traits: { sqlKind: "INSERT_INTO" } });

    const stoppedInputs = { ...insert, spec: { ...(insert.spec as object), stopped: true } };
    const stopped = await h.runtime.update("Statement", running.id, running.outs, stoppedInputs);
    expect(stopped.outs).toMatchObject({ phase: "STOPPED", spec: { stopped: true } });
    const rescaled = { ...insert, spec: { ...(insert.spec as object), stopped: false, parallelism: 2 } };
    const resumed = await h.runtime.update("Statement", running.id, stopped.outs, rescaled);
    expect(resumed.outs).toMatchObject({ phase: "RUNNING", spec: { parallelism: 2 } });
    expect((await h.direct.statements.get("prod-env", "insert-orders"))?.spec.parallelism).toBe(2);

    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await h.runtime.delete("Statement", running.id, resumed.outs);
      await h.runtime.delete("Statement", created.id, created.outs);
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(
          /Deleting CMF statement "prod-env\/create-orders" does not undo its CREATE_TABLE.*onDestroy/,
        ),
      ]);
    } finally {
      warn.mockRestore();
    }
    expect(await h.direct.statements.get("prod-env", "insert-orders")).toBeUndefined();
  });

  it("creates a statement stopped, without a run", async () => {
    const h = await prepared();
    await h.runtime.create("Statement", statement(h, "create-orders", { statement: CREATE_ORDERS }));
    await h.runtime.create("Statement", statement(h, "create-sink", { statement: CREATE_SINK }));
    const created = await h.runtime.create(
      "Statement",
      statement(h, "insert-orders", { statement: "INSERT INTO sink SELECT * FROM orders", stopped: true }),
    );
    expect(created.outs).toMatchObject({ phase: "STOPPED" });
    // One POST with `stopped: true`: no start followed by a stop.
    expect(h.emulator.controls.stats().requests.PUT ?? 0).toBe(0);
  });

  it("fails with CMF's detail when the statement FAILED, recording the id", async () => {
    const h = await prepared();
    const error = await caught(
      h.runtime.create(
        "Statement",
        statement(h, "insert-nowhere", { statement: "INSERT INTO sink SELECT * FROM missing" }),
      ),
    );
    expect(error).toBeInstanceOf(ResourceInitError);
    expect(error.message).toMatch(
      /CMF statement "prod-env\/insert-nowhere" failed .*: phase FAILED: .*not found/s,
    );
    expect((error as ResourceInitError).id).toBe("prod-env/insert-nowhere");
  });

  it("outputs the rows of a statement that completes at once, and runs onDestroy SQL before deleting", async () => {
    const h = await prepared();
    const created = await h.runtime.create(
      "Statement",
      statement(h, "create-orders", { statement: CREATE_ORDERS }, { onDestroy: "DROP TABLE orders" }),
    );
    const shown = await h.runtime.create(
      "Statement",
      statement(h, "show-tables", { statement: "SHOW TABLES" }),
    );
    expect(JSON.stringify(shown.outs?.results)).toContain("orders");
    await h.runtime.delete("Statement", created.id, created.outs);
    expect(await h.direct.statements.get("prod-env", "create-orders")).toBeUndefined();
    expect(await h.direct.statements.get("prod-env", "create-orders-destroy")).toBeUndefined();
    const again = await h.runtime.create(
      "Statement",
      statement(h, "show-again", { statement: "SHOW TABLES" }),
    );
    expect(JSON.stringify(again.outs?.results ?? [])).not.toContain("orders");
  });
});
