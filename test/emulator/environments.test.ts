import type { CmfEmulator } from "../../provider/emulator";
import { Api, application, apps, environment, RFC3339_MS, startEmulator, V1 } from "./helpers";

let emu: CmfEmulator;
let api: Api;

beforeAll(async () => {
  ({ emu, api } = await startEmulator());
});
afterAll(() => emu.close());
beforeEach(() => emu.controls.reset());

describe("environments", () => {
  test("POST creates with 200 and the server-set fields; GET returns it with secrets {}", async () => {
    await emu.controls.registerKubernetesCluster({ name: "hub-1" });
    const created = await api.post(
      `${V1}/environments`,
      environment("prod", { kubernetesClusterName: "hub-1" }),
    );
    expect(created.status).toBe(200);
    expect(created.headers.get("content-type")).toBe("application/json");
    expect(created.json).toMatchObject({
      name: "prod",
      kubernetesNamespace: "flink-ns",
      kubernetesClusterName: "hub-1",
      secrets: {},
      metadata: { name: "prod" },
    });
    expect(created.json.created_time).toMatch(RFC3339_MS);
    expect(created.json.updated_time).toBe(created.json.created_time);

    const got = await api.get(`${V1}/environments/prod`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(created.json);
  });

  test("POST is an upsert keyed by name: same status, updated_time moves, created_time stays", async () => {
    const first = await api.post(`${V1}/environments`, environment("prod"));
    await emu.controls.advanceClock({ ms: 1500, steps: 0 });
    const defaults = { spec: { flinkConfiguration: { "rest.profiling.enabled": "true" } } };
    const second = await api.post(
      `${V1}/environments`,
      environment("prod", { flinkApplicationDefaults: defaults }),
    );
    expect(second.status).toBe(200);
    expect(second.json.created_time).toBe(first.json.created_time);
    expect(Date.parse(second.json.updated_time) - Date.parse(first.json.updated_time)).toBeGreaterThanOrEqual(
      1500,
    );
    expect(second.json.flinkApplicationDefaults).toEqual(defaults);
    const list = await api.get(`${V1}/environments`);
    expect(list.json.metadata.size).toBe(1);
  });

  test("an identical re-POST changes nothing, not even updated_time", async () => {
    const first = await api.post(`${V1}/environments`, environment("prod"));
    await emu.controls.advanceClock({ ms: 1000, steps: 0 });
    const again = await api.post(`${V1}/environments`, environment("prod"));
    expect(again.json.updated_time).toBe(first.json.updated_time);
  });

  test("the name may come as metadata.name; labels and annotations are stored", async () => {
    const res = await api.post(`${V1}/environments`, {
      metadata: { name: "staging", labels: { team: "data" }, annotations: { owner: "me" } },
      kubernetesNamespace: "flink-staging",
    });
    expect(res.status).toBe(200);
    expect(res.json.name).toBe("staging");
    expect(res.json.metadata).toMatchObject({
      name: "staging",
      labels: { team: "data" },
      annotations: { owner: "me" },
    });
  });

  test("omitting kubernetesNamespace on update keeps it; changing it is a 400", async () => {
    await api.post(`${V1}/environments`, environment("prod", { kubernetesNamespace: "flink-a" }));
    const kept = await api.post(`${V1}/environments`, { name: "prod" });
    expect(kept.status).toBe(200);
    expect(kept.json.kubernetesNamespace).toBe("flink-a");

    const changed = await api.post(`${V1}/environments`, { name: "prod", kubernetesNamespace: "flink-b" });
    expect(changed.status).toBe(400);
    expect(changed.json.errors[0].message).toMatch(
      /^kubernetesNamespace: cannot be changed.*'flink-a'.*'flink-b'/,
    );
    expect((await api.get(`${V1}/environments/prod`)).json.kubernetesNamespace).toBe("flink-a");
  });

  test("changing kubernetesClusterName is a 400 as well", async () => {
    await emu.controls.registerKubernetesCluster({ name: "east" });
    await emu.controls.registerKubernetesCluster({ name: "west" });
    await api.post(`${V1}/environments`, environment("prod", { kubernetesClusterName: "east" }));
    const res = await api.post(`${V1}/environments`, environment("prod", { kubernetesClusterName: "west" }));
    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toMatch(/^kubernetesClusterName: cannot be changed/);
  });

  test("defaults omitted or null on update are cleared; metadata omitted keeps labels", async () => {
    await api.post(`${V1}/environments`, {
      metadata: { name: "prod", labels: { a: "b" } },
      kubernetesNamespace: "ns1",
      flinkApplicationDefaults: { spec: {} },
      computePoolDefaults: { clusterSpec: {} },
      statementDefaults: { detached: { flinkConfiguration: { x: "y" } } },
    });
    const res = await api.post(`${V1}/environments`, { name: "prod", flinkApplicationDefaults: null });
    expect(res.status).toBe(200);
    expect(res.json).not.toHaveProperty("flinkApplicationDefaults");
    expect(res.json).not.toHaveProperty("computePoolDefaults");
    expect(res.json).not.toHaveProperty("statementDefaults");
    expect(res.json.metadata.labels).toEqual({ a: "b" });
  });

  test("creating without kubernetesNamespace is a 400", async () => {
    const res = await api.post(`${V1}/environments`, { name: "prod" });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errors: [{ message: "kubernetesNamespace: must not be null" }] });
  });

  test("unknown top-level fields are ignored and not echoed", async () => {
    const res = await api.post(`${V1}/environments`, environment("prod", { color: "blue" }));
    expect(res.status).toBe(200);
    expect(res.json).not.toHaveProperty("color");
  });

  test("GET and DELETE of a missing environment are 404 RestErrors", async () => {
    const get = await api.get(`${V1}/environments/nope`);
    expect(get.status).toBe(404);
    expect(get.json).toEqual({ errors: [{ message: "Environment 'nope' not found" }] });
    const del = await api.delete(`${V1}/environments/nope`);
    expect(del.status).toBe(404);
  });

  test("DELETE answers 204 with no body and the environment is gone", async () => {
    await api.post(`${V1}/environments`, environment("prod"));
    const del = await api.delete(`${V1}/environments/prod?force=false`);
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await api.get(`${V1}/environments/prod`)).status).toBe(404);
  });

  test("DELETE of an environment that still has applications is a 409 naming them (also with force)", async () => {
    await api.post(`${V1}/environments`, environment("prod"));
    await api.post(apps("prod"), application("orders"));
    await api.post(apps("prod"), application("payments"));
    for (const query of ["", "?force=true"]) {
      const res = await api.delete(`${V1}/environments/prod${query}`);
      expect(res.status).toBe(409);
      expect(res.json.errors[0].message).toBe(
        "Environment 'prod' still has 2 application(s): orders, payments. Delete them first.",
      );
    }
    await api.delete(`${apps("prod")}/orders`);
    await api.delete(`${apps("prod")}/payments`);
    expect((await api.delete(`${V1}/environments/prod`)).status).toBe(204);
  });

  test("force must be a boolean", async () => {
    await api.post(`${V1}/environments`, environment("prod"));
    const res = await api.delete(`${V1}/environments/prod?force=maybe`);
    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toBe("force: must be true or false (got 'maybe')");
  });

  test("list items carry no secrets; include-resource-information adds a status summary", async () => {
    await api.post(`${V1}/environments`, environment("prod"));
    await api.post(apps("prod"), application("orders"));
    const list = await api.get(`${V1}/environments`);
    expect(list.json.items[0]).not.toHaveProperty("secrets");
    expect(list.json.items[0]).not.toHaveProperty("status");
    const withInfo = await api.get(`${V1}/environments/prod?include-resource-information=true`);
    expect(withInfo.json.status).toEqual({ resources: { applications: { RUNNING: 1 }, statements: {} } });
  });

  test("ETag on GET; a matching If-None-Match answers 304 with no body; a change gives a new ETag", async () => {
    await api.post(`${V1}/environments`, environment("prod"));
    for (const path of [`${V1}/environments/prod`, `${V1}/environments`]) {
      const first = await api.get(path);
      const etag = first.headers.get("etag");
      expect(etag).toMatch(/^"0[0-9a-f]{32}"$/);
      const cached = await api.get(path, { headers: { "if-none-match": etag as string } });
      expect(cached.status).toBe(304);
      expect(cached.text).toBe("");
      const weak = await api.get(path, { headers: { "if-none-match": `"x", W/${etag}` } });
      expect(weak.status).toBe(304);
      const other = await api.get(path, { headers: { "if-none-match": '"0abc"' } });
      expect(other.status).toBe(200);
    }
    const before = (await api.get(`${V1}/environments/prod`)).headers.get("etag") as string;
    await api.post(`${V1}/environments`, environment("prod", { statementDefaults: {} }));
    const after = await api.get(`${V1}/environments/prod`, { headers: { "if-none-match": before } });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(before);
  });
});
