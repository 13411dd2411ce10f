import type { CmfEmulator } from "../../provider/emulator";
import { Api, environment, startEmulator, V1 } from "./helpers";
import { computePool, pools, statement, statements } from "./sql-helpers";

/* Statement savepoints: the same module as application savepoints, under a statement parent. */

const ORDERS_DDL = `CREATE TABLE orders (order_id BIGINT, amount DECIMAL(10, 2))
  WITH ('connector' = 'kafka', 'topic' = 'orders', 'value.format' = 'json')`;
const sps = (stmt: string) => `${statements("prod")}/${stmt}/savepoints`;

let emu: CmfEmulator;
let api: Api;

beforeAll(async () => {
  ({ emu, api } = await startEmulator());
});
afterAll(() => emu.close());
beforeEach(async () => {
  await emu.controls.reset();
  await api.post(`${V1}/environments`, environment("prod"));
  /* The savepoint directory comes from the pool's clusterSpec, as it would on a real session cluster. */
  const pool = computePool("pool");
  (pool.spec.clusterSpec.flinkConfiguration as Record<string, string>)["state.savepoints.dir"] =
    "s3://sql/sp";
  await api.post(pools("prod"), pool);
  await api.post(statements("prod"), statement("create-orders", ORDERS_DDL));
  const running = await api.post(statements("prod"), statement("read-orders", "SELECT * FROM orders"));
  expect(running.json.status.phase).toBe("RUNNING");
});

describe("statement savepoints", () => {
  test("create 201 (COMPLETED, path from the pool's configuration), get, list, delete mark then force", async () => {
    const created = await api.post(sps("read-orders"), { metadata: { name: "before-rescale" } });
    expect(created.status).toBe(201);
    expect(created.json.status.state).toBe("COMPLETED");
    expect(created.json.status.path).toMatch(/^s3:\/\/sql\/sp\/savepoint-[0-9a-f]{6}-[0-9a-f]{12}$/);
    const generated = await api.post(sps("read-orders"));
    expect(generated.json.metadata.name).toMatch(/^read-orders-savepoint-[0-9a-f]{8}$/);
    expect((await api.get(`${sps("read-orders")}/before-rescale`)).json).toEqual(created.json);
    expect((await api.get(sps("read-orders"))).json.metadata.size).toBe(2);
    expect((await api.delete(`${sps("read-orders")}/before-rescale`)).status).toBe(204);
    expect((await api.get(`${sps("read-orders")}/before-rescale`)).json.status.pendingDeletion).toBe(true);
    expect((await api.delete(`${sps("read-orders")}/before-rescale?force=true`)).status).toBe(204);
    expect((await api.get(`${sps("read-orders")}/before-rescale`)).status).toBe(404);
  });

  test("a statement that is not running (DDL, COMPLETED) gets a FAILED savepoint; 404s; no detach", async () => {
    const ddl = await api.post(sps("create-orders"));
    expect(ddl.status).toBe(201);
    expect(ddl.json.status).toMatchObject({ state: "FAILED" });
    expect(ddl.json.status.error).toMatch(/Statement 'create-orders' .* is not RUNNING \(state COMPLETED\)/);
    expect((await api.get(sps("nope"))).status).toBe(404);
    expect((await api.get(`${V1}/environments/nope/statements/read-orders/savepoints`)).status).toBe(404);
    expect((await api.get(`${sps("read-orders")}/missing`)).status).toBe(404);
    await api.post(sps("read-orders"), { metadata: { name: "no-detach" } });
    const detach = await api.post(`${sps("read-orders")}/no-detach/detach`);
    expect(detach.status).toBe(404);
    expect(detach.json.errors[0].message).toMatch(/^No endpoint/);
  });

  test("savepoints go with their statement; counted in resource-information", async () => {
    await api.post(sps("read-orders"));
    expect((await api.get(`${V1}/resource-information`)).json.status.resources.savepoints).toBe(1);
    expect((await api.delete(`${statements("prod")}/read-orders`)).status).toBe(204);
    await api.post(statements("prod"), statement("read-orders", "SELECT * FROM orders"));
    expect((await api.get(sps("read-orders"))).json.items).toEqual([]);
    expect((await api.get(`${V1}/resource-information`)).json.status.resources.savepoints).toBe(0);
  });

  test("manual lifecycle and the statement savepoint controls", async () => {
    const manual = await startEmulator({ lifecycle: "manual" });
    try {
      await manual.api.post(`${V1}/environments`, environment("prod"));
      await manual.api.post(pools("prod"), computePool("pool", "DEDICATED"));
      await manual.api.post(statements("prod"), statement("create-orders", ORDERS_DDL));
      await manual.api.post(statements("prod"), statement("read-orders", "SELECT * FROM orders"));
      await manual.emu.controls.advanceClock({ steps: 5 });
      expect((await manual.api.get(`${statements("prod")}/read-orders`)).json.status.phase).toBe("RUNNING");
      const sp = await manual.api.post(sps("read-orders"), { spec: { path: "s3://explicit" } });
      expect(sp.json.status.state).toBe("TRIGGER_PENDING");
      await manual.emu.controls.advanceClock({ steps: 1 });
      expect((await manual.api.get(`${sps("read-orders")}/${sp.json.metadata.name}`)).json.status.state).toBe(
        "IN_PROGRESS",
      );
      const failed = await manual.api.post(
        `/_emulator/environments/prod/statements/read-orders/savepoints/${sp.json.metadata.name}/fail`,
        { message: "checkpoint declined" },
      );
      expect(failed.json.status).toMatchObject({ state: "FAILED", error: "checkpoint declined" });
      const other = await manual.api.post(sps("read-orders"), { spec: { path: "s3://explicit" } });
      const done = await manual.emu.controls.completeSavepoint(
        { environment: "prod", statement: "read-orders" },
        other.json.metadata.name,
      );
      expect(done.status?.state).toBe("COMPLETED");
      expect(done.status?.path).toMatch(/^s3:\/\/explicit\/savepoint-/);
    } finally {
      await manual.emu.close();
    }
  });

  test("PUT startFromSavepoint: a completed own or detached savepoint is accepted; unknown 404; not completed 400", async () => {
    const path = `${statements("prod")}/read-orders`;
    const body = (startFromSavepoint: Record<string, unknown>) =>
      statement("read-orders", "SELECT * FROM orders", { startFromSavepoint });
    const put = (b: unknown) => api.request("PUT", path, { body: b });

    const own = (await api.post(sps("read-orders"), { metadata: { name: "good-one" } })).json;
    expect((await put(body({ savepointName: "good-one" }))).status).toBe(200);
    expect((await put(body({ uid: own.metadata.uid }))).status).toBe(200);
    await api.post(`${V1}/detached-savepoints`, {
      metadata: { name: "archived" },
      spec: { path: "s3://a/sp-1" },
    });
    expect((await put(body({ savepointName: "archived" }))).status).toBe(200);
    expect((await put(body({ initialSavepointPath: "s3://anywhere/sp" }))).status).toBe(200);

    const unknown = await put(body({ savepointName: "nope-nope" }));
    expect(unknown.status).toBe(404);
    expect((await put(body({ uid: "0000" }))).status).toBe(404);

    await api.post(statements("prod"), statement("ddl-two", ORDERS_DDL.replace("orders (", "orders2 (")));
    const failed = (await api.post(sps("ddl-two"), { metadata: { name: "failed-one" } })).json;
    expect(failed.status.state).toBe("FAILED");
    const refused = await put(body({ uid: failed.metadata.uid }));
    expect(refused.status).toBe(404);
    /* A failed savepoint of this statement is refused because it has not completed. */
    const manualFail = await api.post(sps("read-orders"), { metadata: { name: "will-fail" } });
    await api.post(`/_emulator/environments/prod/statements/read-orders/savepoints/will-fail/fail`);
    const notCompleted = await put(body({ savepointName: "will-fail" }));
    expect(manualFail.status).toBe(201);
    expect(notCompleted.status).toBe(400);
    expect(notCompleted.json.errors[0].message).toMatch(/only a COMPLETED savepoint/);
  });
});
