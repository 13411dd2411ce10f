/**
 * The provider runtime's CRUD operations against a real (in-process) emulator over HTTP, without the
 * Pulumi engine: what each operation sends, waits for and returns.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { CmfClient } from "../../provider/client";
import { CmfEmulator, type CmfEmulatorOptions } from "../../provider/emulator";
import { closeEmbeddedEmulators } from "../../provider/resources/embedded-emulator";
import {
  AdoptionRequiredError,
  CfkManagedError,
  MissingEndpointError,
  OwnedElsewhereError,
  ResourceInitError,
} from "../../provider/core/errors";
import * as connectionModule from "../../provider/resources/connection";
import { ProviderRuntime } from "../../provider/resources/runtime";
import { CFK_MANAGED_BY, OWNER_ANNOTATION } from "../../provider/resources/types";

const TOKEN = "ops-test-token";
const POLL = { initialIntervalMs: 20, maxIntervalMs: 50 };

const spec = {
  image: "confluentinc/cp-flink:1.19.3-cp2",
  flinkVersion: "v1_19",
  flinkConfiguration: { "taskmanager.numberOfTaskSlots": "2" },
  jobManager: { resource: { cpu: 1, memory: "1024m" } },
  taskManager: { resource: { cpu: 1, memory: "1024m" } },
  job: {
    jarURI: "local:///opt/flink/job.jar",
    parallelism: 1,
    state: "running" as const,
    upgradeMode: "stateless" as const,
  },
};

interface Harness {
  emulator: CmfEmulator;
  runtime: ProviderRuntime;
  direct: CmfClient;
  connection: { url: string; token: string };
}

const open: Harness[] = [];

async function harness(options: CmfEmulatorOptions = {}): Promise<Harness> {
  const emulator = await CmfEmulator.start({ token: TOKEN, ...options });
  const connection = { url: emulator.url, token: TOKEN };
  const h = {
    emulator,
    runtime: new ProviderRuntime({ env: {}, poll: POLL }),
    direct: new CmfClient(connection),
    connection,
  };
  open.push(h);
  return h;
}

afterAll(async () => {
  for (const h of open) {
    await h.runtime.close();
    await h.direct.close();
    await h.emulator.close();
  }
  await closeEmbeddedEmulators();
});

function envInputs(h: Harness, extra: Record<string, unknown> = {}) {
  return {
    __provider: "shim",
    name: "prod-env",
    kubernetesNamespace: "flink-prod",
    labels: { team: "data" },
    flinkApplicationDefaults: { spec: { flinkConfiguration: { "a.b": "1" } } },
    connection: h.connection,
    owner: "proj/dev/prod-env",
    ...extra,
  };
}

function appInputs(h: Harness, extra: Record<string, unknown> = {}) {
  return {
    __provider: "shim",
    environment: "prod-env",
    name: "orders",
    spec,
    connection: h.connection,
    owner: "proj/dev/orders",
    ...extra,
  };
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("environment operations", () => {
  it("create, read (no drift), out-of-band drift, update, settings-only update, delete", async () => {
    const h = await harness();
    const inputs = envInputs(h);
    const created = await h.runtime.create("Environment", inputs);
    expect(created.id).toBe("prod-env");
    expect(created.outs).toMatchObject({
      name: "prod-env",
      kubernetesNamespace: "flink-prod",
      labels: { team: "data" },
      flinkApplicationDefaults: { spec: { flinkConfiguration: { "a.b": "1" } } },
      connection: h.connection,
      owner: "proj/dev/prod-env",
      createdTime: expect.any(String),
      updatedTime: expect.any(String),
    });
    expect(created.outs?.annotations).toBeUndefined();
    const stored = await h.direct.environments.get("prod-env");
    expect(stored?.metadata?.annotations).toEqual({ [OWNER_ANNOTATION]: "proj/dev/prod-env" });

    const read = await h.runtime.read("Environment", "prod-env", created.outs);
    expect(read.props).toEqual(created.outs);
    // Nothing changed: no inputs, so the engine keeps the ones it stored.
    expect(read.inputs).toBeUndefined();
    expect((await h.runtime.diff("Environment", "prod-env", read.props, inputs)).changes).toBe(false);
    // A lookup or an import (no previous outputs) gets the inputs that reproduce the object.
    const lookedUp = await h.runtime.read("Environment", "prod-env", { connection: h.connection });
    expect(lookedUp.inputs).toMatchObject({
      name: "prod-env",
      labels: { team: "data" },
    });

    await h.direct.environments.upsert({
      name: "prod-env",
      metadata: {
        name: "prod-env",
        labels: { team: "ops" },
        annotations: { [OWNER_ANNOTATION]: "proj/dev/prod-env" },
      },
      kubernetesNamespace: "flink-prod",
      flinkApplicationDefaults: { spec: { flinkConfiguration: { "a.b": "1", added: "x" } } },
    });
    const drifted = await h.runtime.read("Environment", "prod-env", created.outs);
    expect(drifted.props).toMatchObject({
      labels: { team: "ops" },
      flinkApplicationDefaults: { spec: { flinkConfiguration: { "a.b": "1", added: "x" } } },
    });
    // Changed outside Pulumi: the inputs that reproduce the object as it now is.
    expect(drifted.inputs).toMatchObject({
      name: "prod-env",
      labels: { team: "ops" },
      connection: h.connection,
    });
    const diff = await h.runtime.diff("Environment", "prod-env", drifted.props, inputs);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

    const updated = await h.runtime.update("Environment", "prod-env", drifted.props, inputs);
    expect(updated.outs).toMatchObject({
      labels: { team: "data" },
      flinkApplicationDefaults: { spec: { flinkConfiguration: { "a.b": "1" } } },
    });
    expect((await h.direct.environments.get("prod-env"))?.metadata?.labels).toEqual({ team: "data" });

    const before = h.emulator.controls.stats();
    const flagged = await h.runtime.update("Environment", "prod-env", updated.outs!, {
      ...inputs,
      adopt: true,
      forceDelete: true,
    });
    expect(flagged.outs).toMatchObject({ adopt: true, forceDelete: true, labels: { team: "data" } });
    expect(h.emulator.controls.stats().total).toBe(before.total);

    const moved = { ...h.connection, url: `${h.emulator.url}/cmf/api/v1` };
    const switched = await h.runtime.update("Environment", "prod-env", flagged.outs!, {
      ...inputs,
      connection: moved,
    });
    expect(switched.outs).toMatchObject({ connection: moved, labels: { team: "data" } });
    expect(switched.outs?.adopt).toBeUndefined();
    const after = h.emulator.controls.stats();
    expect(after.writes).toBe(before.writes);
    expect(after.requests.POST ?? 0).toBe(before.requests.POST ?? 0);

    await h.runtime.delete("Environment", "prod-env", switched.outs);
    expect(await h.direct.environments.get("prod-env")).toBeUndefined();
    await h.runtime.delete("Environment", "prod-env", switched.outs);
    expect(await h.runtime.read("Environment", "prod-env", switched.outs)).toEqual({ id: "" });
  });

  it("refuses to take over an existing environment unless adopting or resuming its own create", async () => {
    const h = await harness();
    await h.direct.environments.upsert({ name: "prod-env", kubernetesNamespace: "flink-prod" });
    const refused = await caught(h.runtime.create("Environment", envInputs(h)));
    expect(refused).toBeInstanceOf(AdoptionRequiredError);
    expect(refused.message).toMatch(/CMF environment "prod-env" already exists/);
    expect(refused.message).toMatch(/set `adopt: true`/);
    expect(refused.message).toMatch(/`pulumi import`.*do not work for dynamic providers/s);

    const adopted = await h.runtime.create("Environment", envInputs(h, { adopt: true }));
    expect(adopted.outs).toMatchObject({ labels: { team: "data" }, adopt: true });
    expect((await h.direct.environments.get("prod-env"))?.metadata?.labels).toEqual({ team: "data" });

    const resumed = await h.runtime.create("Environment", envInputs(h));
    expect(resumed.id).toBe("prod-env");

    const other = await caught(
      h.runtime.create("Environment", envInputs(h, { owner: "other/dev/prod-env" })),
    );
    expect(other.message).toMatch(/created by another pulumi-cmf resource \(proj\/dev\/prod-env\)/);
  });

  it("fails at the first operation without an endpoint, but check still validates, and warns once", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const runtime = new ProviderRuntime({ env: {} });
    const inputs = { name: "prod-env", kubernetesNamespace: "flink-prod" };
    expect(await runtime.check("Environment", {}, inputs)).toEqual({ inputs });
    expect(await runtime.check("Environment", {}, inputs)).toEqual({ inputs });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/no CMF endpoint is configured/);
    warn.mockRestore();
    const error = await caught(runtime.create("Environment", inputs));
    expect(error).toBeInstanceOf(MissingEndpointError);
    expect(error.message).toMatch(/Cannot create CMF environment "prod-env": no CMF endpoint/);
  });

  it("uses the stack configuration read in configure, and one client per distinct connection", async () => {
    const h = await harness();
    const runtime = new ProviderRuntime({ env: {}, poll: POLL });
    const config: Record<string, string> = { "cmf:url": h.emulator.url, "cmf:token": TOKEN };
    runtime.configure({ config: { get: (key) => config[key], require: (key) => config[key] } });
    const { connection: _none, ...inputs } = envInputs(h);
    const created = await runtime.create("Environment", inputs);
    expect(created.outs?.connection).toBeUndefined();
    const a = await runtime.client(undefined, "x");
    expect(await runtime.client(undefined, "y")).toBe(a);
    expect(await runtime.client({ url: h.emulator.url, token: TOKEN }, "z")).toBe(a);
    expect(await runtime.client({ url: `${h.emulator.url}/cmf/api/v1`, token: TOKEN }, "z")).not.toBe(a);
    await runtime.delete("Environment", "prod-env", created.outs);
    await runtime.close();
  });

  it("resolves the settings once per distinct connection, environment and configuration", async () => {
    const h = await harness();
    const env: NodeJS.ProcessEnv = { CONFLUENT_CMF_URL: h.emulator.url, CONFLUENT_CMF_TOKEN: TOKEN };
    const runtime = new ProviderRuntime({ env, poll: POLL });
    const resolve = jest.spyOn(connectionModule, "resolveEndpoint");
    try {
      const a = await runtime.client(undefined, "x");
      expect(await runtime.client(undefined, "y")).toBe(a);
      expect(resolve).toHaveBeenCalledTimes(1);
      // An environment variable the resolution reads changed: resolved again, to another client.
      env.CONFLUENT_CMF_URL = `${h.emulator.url}/cmf/api/v1`;
      const b = await runtime.client(undefined, "x");
      expect(b).not.toBe(a);
      expect(resolve).toHaveBeenCalledTimes(2);
      // Back to the first settings: the first resolution's client, without resolving again.
      env.CONFLUENT_CMF_URL = h.emulator.url;
      expect(await runtime.client(undefined, "x")).toBe(a);
      expect(resolve).toHaveBeenCalledTimes(2);
      // The configuration outranks the environment; configure starts the resolutions afresh.
      const config: Record<string, string> = { "cmf:url": `${h.emulator.url}/`, "cmf:token": TOKEN };
      runtime.configure({ config: { get: (key) => config[key], require: (key) => config[key] } });
      const c = await runtime.client(undefined, "x");
      expect(c).not.toBe(a);
      expect(resolve).toHaveBeenCalledTimes(3);
      // A resource's own connection is resolved once too.
      await runtime.client(h.connection, "x");
      await runtime.client({ ...h.connection }, "x");
      expect(resolve).toHaveBeenCalledTimes(4);
    } finally {
      resolve.mockRestore();
      await runtime.close();
    }
  });

  it("explains that an environment with applications cannot be deleted", async () => {
    const h = await harness();
    const env = await h.runtime.create("Environment", envInputs(h));
    await h.runtime.create("Application", appInputs(h));
    const error = await caught(h.runtime.delete("Environment", "prod-env", env.outs));
    expect(error.message).toMatch(/Failed to delete CMF environment "prod-env": CMF rejected DELETE/);
    expect(error.message).toMatch(/409/);
    expect(error.message).toMatch(/still has 1 application\(s\): orders/);
    expect(error.message).toMatch(/Declare each CmfApplication with `environment:/);
  });
});

describe("application operations", () => {
  it("waits through the rollout, updates in place, suspends and resumes with the shortcuts", async () => {
    const h = await harness({ lifecycle: "stepped" });
    await h.runtime.create("Environment", envInputs(h));
    const inputs = appInputs(h, { labels: { tier: "gold" } });
    const created = await h.runtime.create("Application", inputs);
    expect(created.id).toBe("prod-env/orders");
    expect(created.outs).toMatchObject({
      environment: "prod-env",
      name: "orders",
      spec,
      labels: { tier: "gold" },
      status: { jobState: "RUNNING", lifecycleState: expect.stringMatching(/DEPLOYED|STABLE/) },
      uid: expect.any(String),
    });
    expect(created.outs?.annotations).toBeUndefined();
    const gets =
      h.emulator.controls.stats().byRoute["GET /cmf/api/v1/environments/{envName}/applications/{appName}"];
    expect(gets).toBeGreaterThanOrEqual(3);

    const changed = { ...inputs, spec: { ...spec, image: "confluentinc/cp-flink:1.19.3-cp3" } };
    const updated = await h.runtime.update("Application", created.id, created.outs!, changed);
    expect(updated.outs).toMatchObject({ spec: changed.spec, status: { jobState: "RUNNING" } });
    expect(updated.outs?.status).not.toEqual(created.outs?.status);
    const instances = await h.direct.applications.instances("prod-env", "orders");
    expect(instances.items).toHaveLength(2);

    const suspendedSpec = { ...changed.spec, job: { ...spec.job, state: "suspended" } };
    const suspended = await h.runtime.update("Application", created.id, updated.outs!, {
      ...changed,
      spec: suspendedSpec,
    });
    expect(suspended.outs).toMatchObject({ spec: suspendedSpec, status: { lifecycleState: "SUSPENDED" } });
    const resumed = await h.runtime.update("Application", created.id, suspended.outs!, changed);
    expect(resumed.outs).toMatchObject({ spec: changed.spec, status: { jobState: "RUNNING" } });
    const routes = h.emulator.controls.stats().byRoute;
    expect(routes["POST /cmf/api/v1/environments/{envName}/applications/{appName}/suspend"]).toBe(1);
    expect(routes["POST /cmf/api/v1/environments/{envName}/applications/{appName}/start"]).toBe(1);
    expect(routes["POST /cmf/api/v1/environments/{envName}/applications"]).toBe(2);

    const read = await h.runtime.read("Application", created.id, resumed.outs);
    expect((await h.runtime.diff("Application", created.id, read.props, changed)).changes).toBe(false);

    const requests = h.emulator.controls.stats().total;
    const settings = { ...changed, waitFor: "none", timeoutSeconds: 30, forceDelete: true };
    const reconfigured = await h.runtime.update("Application", created.id, read.props!, settings);
    expect(reconfigured.outs).toMatchObject({
      waitFor: "none",
      timeoutSeconds: 30,
      forceDelete: true,
      spec: changed.spec,
    });
    expect(h.emulator.controls.stats().total).toBe(requests);

    await h.runtime.delete("Application", created.id, reconfigured.outs);
    expect(await h.direct.applications.get("prod-env", "orders")).toBeUndefined();
    expect(
      h.emulator.controls.stats().byRoute["DELETE /cmf/api/v1/environments/{envName}/applications/{appName}"],
    ).toBe(1);
    expect(await h.runtime.read("Application", created.id, reconfigured.outs)).toEqual({ id: "" });
  });

  it("creates with one GET and one POST when CMF already reports the new application running", async () => {
    const h = await harness({ lifecycle: "instant" });
    await h.runtime.create("Environment", envInputs(h));
    const before = h.emulator.controls.stats();
    const created = await h.runtime.create("Application", appInputs(h));
    expect(created.outs).toMatchObject({ status: { jobState: "RUNNING" } });
    const after = h.emulator.controls.stats();
    expect(after.total - before.total).toBe(2);
    expect((after.requests.GET ?? 0) - (before.requests.GET ?? 0)).toBe(1);
    expect((after.requests.POST ?? 0) - (before.requests.POST ?? 0)).toBe(1);
  });

  it("shows out-of-band spec changes on read, but not fields the server adds", async () => {
    const h = await harness();
    await h.runtime.create("Environment", envInputs(h));
    const created = await h.runtime.create("Application", appInputs(h));
    await h.direct.applications.upsert("prod-env", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      metadata: { name: "orders", annotations: { [OWNER_ANNOTATION]: "proj/dev/orders", note: "hand-made" } },
      spec: {
        ...spec,
        job: { ...spec.job, parallelism: 3 },
        ingress: { template: "x" },
        flinkConfiguration: { extra: "1" },
      },
    });
    const read = await h.runtime.read("Application", created.id, created.outs);
    expect(read.props).toMatchObject({
      spec: { job: { parallelism: 3 }, flinkConfiguration: { extra: "1" } },
      annotations: { note: "hand-made" },
    });
    expect((read.props?.spec as Record<string, unknown>).ingress).toBeUndefined();
    expect(read.inputs).toMatchObject({ spec: { job: { parallelism: 3 } } });
    expect(await h.runtime.diff("Application", created.id, read.props, appInputs(h))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("reports a FAILED rollout as a partial failure carrying the id, the outputs and the exceptions", async () => {
    const h = await harness({ lifecycle: "manual" });
    await h.runtime.create("Environment", envInputs(h));
    const creating = caught(h.runtime.create("Application", appInputs(h, { timeoutSeconds: 30 })));
    for (let i = 0; i < 100 && !(await h.direct.applications.get("prod-env", "orders")); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await h.emulator.controls.failApplication(
      "prod-env",
      "orders",
      "java.lang.OutOfMemoryError: Java heap space",
    );
    const error = await creating;
    expect(error).toBeInstanceOf(ResourceInitError);
    const init = error as ResourceInitError;
    expect(init.id).toBe("prod-env/orders");
    expect(init.properties).toMatchObject({
      __provider: "shim",
      name: "orders",
      status: { jobState: "FAILED" },
    });
    expect(init.message).toMatch(
      /CMF application "prod-env\/orders" failed while pulumi-cmf waited for it to be running/,
    );
    expect(init.message).toMatch(
      /Latest exceptions \(newest first\):\n {2}- .*java.lang.OutOfMemoryError: Java heap space/,
    );
    expect(init.reasons).toEqual([init.message]);
  });

  it("reports a rollout that does not finish in timeoutSeconds as a partial failure", async () => {
    const h = await harness({ lifecycle: "manual" });
    await h.runtime.create("Environment", envInputs(h));
    const error = await caught(h.runtime.create("Application", appInputs(h, { timeoutSeconds: 1 })));
    expect(error).toBeInstanceOf(ResourceInitError);
    expect(error.message).toMatch(
      /did not become running within 1 s \(timeoutSeconds\); last status: job RECONCILING/,
    );
    const retried = caught(
      h.runtime.update(
        "Application",
        "prod-env/orders",
        (error as ResourceInitError).properties,
        appInputs(h, { timeoutSeconds: 1 }),
      ),
    );
    expect(await retried).toBeInstanceOf(ResourceInitError);
    await h.emulator.controls.advanceClock({ steps: 10 });
    const settled = await h.runtime.update(
      "Application",
      "prod-env/orders",
      (error as ResourceInitError).properties,
      appInputs(h),
    );
    expect(settled.outs).toMatchObject({ status: { jobState: "RUNNING" } });
    const noWait = await h.runtime.create(
      "Application",
      appInputs(h, { name: "orders-fast", waitFor: "none" }),
    );
    expect(noWait.outs).toMatchObject({ status: { jobState: "RECONCILING" } });
  });

  it("passes CMF's rejection through, without an id, and names the missing environment", async () => {
    const h = await harness();
    await h.runtime.create("Environment", envInputs(h));
    h.emulator.controls.setFaults({ errorRate: 1, statuses: [422], methods: ["POST"], count: 1 });
    const rejected = await caught(h.runtime.create("Application", appInputs(h)));
    expect(rejected).not.toBeInstanceOf(ResourceInitError);
    expect(rejected.message).toMatch(
      /Failed to create CMF application "prod-env\/orders": CMF rejected POST .*\(422/,
    );
    expect(rejected.message).toMatch(/Injected fault: 422/);
    expect(await h.direct.applications.get("prod-env", "orders")).toBeUndefined();

    const missing = await caught(h.runtime.create("Application", appInputs(h, { environment: "nowhere" })));
    expect(missing.message).toMatch(/404/);
    expect(missing.message).toMatch(/CMF environment "nowhere" does not exist/);
    // Declared but deleted outside Pulumi is the likely case when it is declared: point at refresh.
    expect(missing.message).toMatch(/deleted outside Pulumi: run `pulumi refresh`/);
    expect(missing.message).toMatch(/must exist before its applications/);
  });

  it("retries start and suspend through dropped connections without sending them twice", async () => {
    const h = await harness();
    await h.runtime.create("Environment", envInputs(h));
    const created = await h.runtime.create("Application", appInputs(h));
    const suspendedSpec = { ...spec, job: { ...spec.job, state: "suspended" } };
    h.emulator.controls.setFaults({ dropRate: 1, methods: ["POST"], count: 2 });
    const suspended = await h.runtime.update(
      "Application",
      created.id,
      created.outs!,
      appInputs(h, { spec: suspendedSpec }),
    );
    expect(suspended.outs).toMatchObject({ status: { lifecycleState: "SUSPENDED" } });
    expect(
      h.emulator.controls.stats().byRoute[
        "POST /cmf/api/v1/environments/{envName}/applications/{appName}/suspend"
      ],
    ).toBe(1);
  });
});

/** A pass-through HTTP proxy that records `METHOD path?query` of every request. */
async function recordingProxy(
  target: string,
): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer(async (req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length"].includes(k)),
    ) as Record<string, string>;
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await answer.arrayBuffer());
    res.writeHead(answer.status, {
      "content-type": answer.headers.get("content-type") ?? "application/json",
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("deletion", () => {
  it("sends force=true only when forceDelete is set, and waits until the object is gone", async () => {
    const h = await harness();
    const proxy = await recordingProxy(h.emulator.url);
    try {
      const connection = { url: proxy.url, token: TOKEN };
      const env = await h.runtime.create("Environment", envInputs(h, { connection }));
      const plain = await h.runtime.create("Application", appInputs(h, { connection }));
      const forced = await h.runtime.create(
        "Application",
        appInputs(h, { connection, name: "forced", forceDelete: true }),
      );
      await h.runtime.delete("Application", plain.id, plain.outs);
      await h.runtime.delete("Application", forced.id, forced.outs);
      await h.runtime.delete("Environment", env.id, env.outs);
      const deletes = proxy.seen.filter((line) => line.startsWith("DELETE"));
      expect(deletes).toEqual([
        "DELETE /cmf/api/v1/environments/prod-env/applications/orders",
        "DELETE /cmf/api/v1/environments/prod-env/applications/forced?force=true",
        "DELETE /cmf/api/v1/environments/prod-env",
      ]);
      const afterDelete = proxy.seen.slice(proxy.seen.indexOf(deletes[0]) + 1);
      expect(afterDelete[0]).toBe("GET /cmf/api/v1/environments/prod-env/applications/orders");
    } finally {
      await proxy.close();
    }
  });
});

describe("embedded emulator mode", () => {
  it("serves operations from an in-process emulator whose state survives the process", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-embedded-"));
    const dataFile = path.join(dir, "cmf.json");
    const first = new ProviderRuntime({ env: { CMF_EMULATOR: dataFile }, poll: POLL });
    const inputs = { name: "local-env", kubernetesNamespace: "flink-local" };
    const created = await first.create("Environment", inputs);
    await first.close();
    await closeEmbeddedEmulators();
    expect(fs.readFileSync(dataFile, "utf8")).toContain('"local-env"');

    const second = new ProviderRuntime({ env: { CMF_EMULATOR: dataFile }, poll: POLL });
    expect((await second.read("Environment", "local-env", created.outs)).id).toBe("local-env");
    await second.delete("Environment", "local-env", created.outs);
    expect(await second.read("Environment", "local-env", created.outs)).toEqual({ id: "" });
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("hands every request to the embedded emulator in process, none over its port", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-embedded-"));
    let dispatched = 0;
    let emulator: CmfEmulator | undefined;
    const runtime = new ProviderRuntime({
      env: { CMF_EMULATOR: path.join(dir, "cmf.json") },
      poll: POLL,
      startEmulator: async (dataFile) => {
        const started = await CmfEmulator.start({ dataFile });
        const dispatch = started.dispatch.bind(started);
        started.dispatch = (request, signal) => {
          dispatched++;
          return dispatch(request, signal);
        };
        emulator = started;
        return started;
      },
    });
    try {
      const created = await runtime.create("Environment", { name: "local-env", kubernetesNamespace: "ns" });
      await runtime.read("Environment", "local-env", created.outs);
      await runtime.delete("Environment", "local-env", created.outs);
      const served = Object.values(emulator?.controls.stats().requests ?? {}).reduce((a, b) => a + b, 0);
      expect(served).toBeGreaterThanOrEqual(3);
      expect(dispatched).toBe(served);
    } finally {
      await runtime.close();
      await emulator?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("provider-level settings at check", () => {
  function configured(config: Record<string, string>): ProviderRuntime {
    const runtime = new ProviderRuntime({ env: {} });
    runtime.configure({ config: { get: (key: string) => config[key] } } as never);
    return runtime;
  }

  it("fails a malformed cmf:url, or a url and an emulator both set, at preview", async () => {
    const inputs = { name: "prod-env", kubernetesNamespace: "flink-prod" };
    const malformed = await configured({ "cmf:url": "127.0.0.1:8080" }).check("Environment", {}, inputs);
    expect(malformed.failures).toEqual([
      {
        property: "",
        reason: expect.stringMatching(/^Invalid CMF connection setting cmf:url: must be an absolute URL/),
      },
    ]);
    expect(malformed.failures?.[0].reason).toMatch(/recorded at the last `pulumi up`.*--run-program/s);
    const both = await configured({ "cmf:url": "https://cmf:8080", "cmf:emulator": "state.json" }).check(
      "Environment",
      {},
      inputs,
    );
    expect(both.failures?.[0].reason).toMatch(/cmf:url and cmf:emulator: are both set/);
    // A resource with its own connection does not use them.
    const own = { ...inputs, connection: { url: "https://cmf:8080" } };
    expect(await configured({ "cmf:url": "127.0.0.1:8080" }).check("Environment", {}, own)).toEqual({
      inputs: own,
    });
  });
});

describe("ownership fencing and the CFK guard", () => {
  let warnings: string[];
  let spy: jest.SpyInstance;

  beforeEach(() => {
    warnings = [];
    spy = jest.spyOn(console, "warn").mockImplementation((message: string) => void warnings.push(message));
  });

  afterEach(() => spy.mockRestore());

  it("updates and deletes only while the owner marker names this resource", async () => {
    const h = await harness({ lifecycle: "instant" });
    const env = await h.runtime.create("Environment", envInputs(h));
    const created = await h.runtime.create("Application", appInputs(h));
    // Another resource (another stack) adopts the application: the marker now names it.
    await h.runtime.create("Application", appInputs(h, { adopt: true, owner: "proj/other/orders" }));

    const changed = appInputs(h, { labels: { tier: "gold" } });
    const refused = await caught(h.runtime.update("Application", created.id, created.outs, changed));
    expect(refused).toBeInstanceOf(OwnedElsewhereError);
    expect(refused.message).toMatch(
      /CMF application "prod-env\/orders" is now managed by another pulumi-cmf resource \(proj\/other\/orders\), not by this one \(proj\/dev\/orders\)/,
    );
    expect(refused.message).toMatch(/pulumi state delete/);
    expect((await h.direct.applications.get("prod-env", "orders"))?.metadata.labels?.tier).toBeUndefined();

    await h.runtime.delete("Application", created.id, created.outs);
    const kept = await h.direct.applications.get("prod-env", "orders");
    expect(kept?.metadata.annotations?.[OWNER_ANNOTATION]).toBe("proj/other/orders");
    expect(warnings.join("\n")).toMatch(
      /CMF application "prod-env\/orders" was left in CMF: it is now managed by another pulumi-cmf resource \(proj\/other\/orders\)/,
    );

    // Without a marker (an object created by an older version), the resource that holds it acts.
    await h.direct.applications.upsert("prod-env", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      metadata: { name: "orders" },
      spec,
    });
    await h.runtime.delete("Application", created.id, created.outs);
    expect(await h.direct.applications.get("prod-env", "orders")).toBeUndefined();
    await h.runtime.delete("Environment", env.id, env.outs);
  });

  it("never adopts, modifies or deletes an object Confluent for Kubernetes manages", async () => {
    const h = await harness({ lifecycle: "instant" });
    const env = await h.runtime.create("Environment", envInputs(h));
    await h.direct.applications.upsert("prod-env", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      metadata: { name: "orders", annotations: { [CFK_MANAGED_BY]: "cfk" } },
      spec,
    });
    const adopt = await caught(h.runtime.create("Application", appInputs(h, { adopt: true })));
    expect(adopt).toBeInstanceOf(CfkManagedError);
    expect(adopt.message).toMatch(/managed by Confluent for Kubernetes \(CFK\)/);
    expect(adopt.message).toMatch(/does not create or adopt/);

    // An object CFK took over after pulumi-cmf created it (label form): no update, no delete.
    const created = await h.runtime.create("Application", appInputs(h, { name: "payments" }));
    await h.direct.applications.upsert("prod-env", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      metadata: { name: "payments", labels: { [CFK_MANAGED_BY]: "cfk" } },
      spec,
    });
    const update = await caught(
      h.runtime.update(
        "Application",
        created.id,
        created.outs,
        appInputs(h, { name: "payments", labels: { tier: "gold" } }),
      ),
    );
    expect(update).toBeInstanceOf(CfkManagedError);
    await h.runtime.delete("Application", created.id, created.outs);
    expect(await h.direct.applications.get("prod-env", "payments")).toBeDefined();
    expect(warnings.join("\n")).toMatch(/managed by Confluent for Kubernetes/);
    expect(env.id).toBe("prod-env");
  });
});
