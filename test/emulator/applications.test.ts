import type { CmfEmulator } from "../../provider/emulator";
import { Api, application, apps, environment, events, RFC3339_MS, startEmulator, UUID, V1 } from "./helpers";

let emu: CmfEmulator;
let api: Api;

beforeAll(async () => {
  ({ emu, api } = await startEmulator());
});
afterAll(() => emu.close());
beforeEach(async () => {
  await emu.controls.reset();
  await api.post(`${V1}/environments`, environment("prod"));
});

describe("applications", () => {
  test("POST creates with 201, echoes apiVersion/kind and sets uid and timestamps", async () => {
    const body = application("orders", {}, { labels: { app: "orders" }, annotations: { note: "x" } });
    const res = await api.post(apps("prod"), body);
    expect(res.status).toBe(201);
    expect(res.json.apiVersion).toBe("cmf.confluent.io/v1");
    expect(res.json.kind).toBe("FlinkApplication");
    expect(res.json.metadata).toMatchObject({
      name: "orders",
      labels: { app: "orders" },
      annotations: { note: "x" },
    });
    expect(res.json.metadata.uid).toMatch(UUID);
    expect(res.json.metadata.creationTimestamp).toMatch(RFC3339_MS);
    expect(res.json.metadata.updateTimestamp).toMatch(RFC3339_MS);
    expect(res.json.spec).toEqual(body.spec);

    const got = await api.get(`${apps("prod")}/orders`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(res.json);
  });

  test("client-sent uid and timestamps are ignored", async () => {
    const body = application("orders", {}, { uid: "mine", creationTimestamp: "2000-01-01T00:00:00.000Z" });
    const res = await api.post(apps("prod"), body);
    expect(res.json.metadata.uid).toMatch(UUID);
    expect(res.json.metadata.creationTimestamp).not.toBe("2000-01-01T00:00:00.000Z");
  });

  test("POST is an upsert: 201 again on update, same uid, new spec stored", async () => {
    const first = await api.post(apps("prod"), application("orders"));
    const second = await api.post(
      apps("prod"),
      application("orders", { image: "confluentinc/cp-flink:1.20.1-cp1" }),
    );
    expect(second.status).toBe(201);
    expect(second.json.metadata.uid).toBe(first.json.metadata.uid);
    expect(second.json.spec.image).toBe("confluentinc/cp-flink:1.20.1-cp1");
    expect((await api.get(apps("prod"))).json.metadata.size).toBe(1);
  });

  test("GET returns the user's spec, never the one merged with environment defaults", async () => {
    await api.post(
      `${V1}/environments`,
      environment("prod", {
        flinkApplicationDefaults: {
          spec: { flinkConfiguration: { "state.backend.type": "rocksdb" }, serviceAccount: "x" },
        },
      }),
    );
    const body = application("orders");
    await api.post(apps("prod"), body);
    const got = await api.get(`${apps("prod")}/orders`);
    expect(got.json.spec).toEqual(body.spec);
    expect(got.json.spec.flinkConfiguration).not.toHaveProperty("state.backend.type");
  });

  test("unknown spec and metadata fields pass through untouched", async () => {
    const body = application(
      "orders",
      { ingress: { template: "/{{name}}" }, mode: "native" },
      { extra: { a: 1 } },
    );
    const res = await api.post(apps("prod"), body);
    expect(res.json.spec.ingress).toEqual({ template: "/{{name}}" });
    expect(res.json.spec.mode).toBe("native");
    expect(res.json.metadata.extra).toEqual({ a: 1 });
  });

  test("routes under a missing environment are 404", async () => {
    const paths = [
      ["GET", apps("nope")],
      ["POST", apps("nope")],
      ["GET", `${apps("nope")}/orders`],
      ["DELETE", `${apps("nope")}/orders`],
      ["POST", `${apps("nope")}/orders/start`],
      ["POST", `${apps("nope")}/orders/suspend`],
      ["GET", `${apps("nope")}/orders/instances`],
      ["GET", `${apps("nope")}/orders/instances/abc`],
      ["GET", events("nope", "orders")],
    ];
    for (const [method, path] of paths) {
      const res = await api.request(
        method,
        path,
        method === "POST" && path === apps("nope") ? { body: application("orders") } : {},
      );
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(res.json).toEqual({ errors: [{ message: "Environment 'nope' not found" }] });
    }
  });

  test("routes of a missing application are 404", async () => {
    for (const [method, path] of [
      ["GET", `${apps("prod")}/ghost`],
      ["DELETE", `${apps("prod")}/ghost`],
      ["POST", `${apps("prod")}/ghost/start`],
      ["POST", `${apps("prod")}/ghost/suspend`],
      ["GET", `${apps("prod")}/ghost/instances`],
      ["GET", events("prod", "ghost")],
    ]) {
      const res = await api.request(method, path);
      expect(res.status).toBe(404);
      expect(res.json.errors[0].message).toBe("FlinkApplication 'ghost' not found in Environment 'prod'");
    }
  });

  test("DELETE answers 204, removes instances and events with it", async () => {
    await api.post(apps("prod"), application("orders"));
    const del = await api.delete(`${apps("prod")}/orders?force=true`);
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await api.get(`${apps("prod")}/orders`)).status).toBe(404);
    expect((await api.get(events("prod", "orders"))).status).toBe(404);
    const recreated = await api.post(apps("prod"), application("orders"));
    expect((await api.get(`${apps("prod")}/orders/instances`)).json.metadata.size).toBe(1);
    expect(recreated.status).toBe(201);
  });

  test("suspend and start set spec.job.state and return the application (200)", async () => {
    await api.post(apps("prod"), application("orders"));
    const suspended = await api.post(`${apps("prod")}/orders/suspend`);
    expect(suspended.status).toBe(200);
    expect(suspended.json.spec.job.state).toBe("suspended");
    expect(suspended.json.status.lifecycleState).toBe("SUSPENDED");
    expect((await api.get(`${apps("prod")}/orders`)).json.spec.job.state).toBe("suspended");

    const again = await api.post(`${apps("prod")}/orders/suspend`);
    expect(again.status).toBe(200);
    expect(again.json.metadata.updateTimestamp).toBe(suspended.json.metadata.updateTimestamp);

    const started = await api.post(`${apps("prod")}/orders/start`);
    expect(started.status).toBe(200);
    expect(started.json.spec.job.state).toBe("running");
    expect(started.json.status.jobStatus.state).toBe("RUNNING");
  });

  test("start with an unknown startFromSavepointUid is a 404 and changes nothing", async () => {
    await api.post(
      apps("prod"),
      application("orders", { job: { jarURI: "local:///a.jar", state: "suspended", parallelism: 1 } }),
    );
    const res = await api.post(`${apps("prod")}/orders/start?startFromSavepointUid=0b5c`);
    expect(res.status).toBe(404);
    expect(res.json.errors[0].message).toBe("Savepoint with uid '0b5c' not found");
    expect((await api.get(`${apps("prod")}/orders`)).json.spec.job.state).toBe("suspended");
  });

  test("instances: one per spec change, get by name, 404 for an unknown one", async () => {
    await api.post(apps("prod"), application("orders"));
    await api.post(apps("prod"), application("orders"));
    await api.post(apps("prod"), application("orders", { image: "img:2" }));
    const list = await api.get(`${apps("prod")}/orders/instances`);
    expect(list.status).toBe(200);
    expect(list.json.metadata.size).toBe(2);
    const [first, second] = list.json.items;
    expect(first.kind).toBe("FlinkApplicationInstance");
    expect(first.metadata.name).toMatch(UUID);
    expect(first.metadata.uid).toBe(first.metadata.name);
    expect(second.status.spec.image).toBe("img:2");

    const one = await api.get(`${apps("prod")}/orders/instances/${second.metadata.name}`);
    expect(one.status).toBe(200);
    expect(one.json).toEqual(second);
    const app = await api.get(`${apps("prod")}/orders`);
    expect(app.json.status.currentDeployedInstanceName).toBe(second.metadata.name);

    const missing = await api.get(`${apps("prod")}/orders/instances/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(missing.json.errors[0].message).toMatch(/^FlinkApplicationInstance '00000000-.*' not found/);
  });

  test("events are served under v1alpha1 with the CMF envelope", async () => {
    await api.post(apps("prod"), application("orders"));
    const res = await api.get(events("prod", "orders"));
    expect(res.status).toBe(200);
    expect(res.json.metadata.size).toBeGreaterThan(0);
    for (const event of res.json.items) {
      expect(event.apiVersion).toBe("cmf.confluent.io/v1alpha1");
      expect(event.kind).toBe("FlinkApplicationEvent");
      expect(event.metadata.uid).toBe(event.metadata.name);
      expect(event.metadata.creationTimestamp).toMatch(RFC3339_MS);
      expect(["CMF_STATUS", "JOB_STATUS"]).toContain(event.status.type);
      expect(typeof event.status.message).toBe("string");
    }
    expect(
      res.json.items.map((e: { status: { data?: { newStatus?: string } } }) => e.status.data?.newStatus),
    ).toEqual([undefined, "DEPLOYED", "RECONCILING", "RUNNING", "STABLE"]);
  });

  test("ETag on application GET and on the application list", async () => {
    await api.post(apps("prod"), application("orders"));
    for (const path of [`${apps("prod")}/orders`, apps("prod")]) {
      const first = await api.get(path);
      const etag = first.headers.get("etag") as string;
      expect(etag).toMatch(/^"0[0-9a-f]{32}"$/);
      expect((await api.get(path, { headers: { "if-none-match": etag } })).status).toBe(304);
    }
    const etag = (await api.get(`${apps("prod")}/orders`)).headers.get("etag") as string;
    await api.post(`${apps("prod")}/orders/suspend`);
    expect((await api.get(`${apps("prod")}/orders`, { headers: { "if-none-match": etag } })).status).toBe(
      200,
    );
  });

  test("HEAD answers like GET without a body; OPTIONS lists the allowed methods", async () => {
    await api.post(apps("prod"), application("orders"));
    const head = await api.request("HEAD", `${apps("prod")}/orders`);
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    const options = await api.request("OPTIONS", `${apps("prod")}/orders`);
    expect(options.status).toBe(200);
    expect(options.headers.get("allow")).toBe("GET, DELETE, HEAD, OPTIONS");
  });

  test("application names are percent-decoded in paths", async () => {
    await api.post(apps("prod"), application("orders"));
    expect((await api.get(`${apps("prod")}/%6Frders`)).status).toBe(200);
  });
});
