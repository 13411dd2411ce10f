/**
 * The provider through Pulumi's real dynamic-provider host, over gRPC, as the engine drives it:
 * Configure with secret stack configuration, then Check, Diff, Create, Read, Update and Delete,
 * against an emulator that requires a bearer token. The `__provider` text is the packed shim.
 */
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import { UNKNOWN } from "../../provider/core/unknown";
import { createFixtureProject, type FixtureProject } from "../support/fixture-project";
import { DynamicProviderHost, HostCallError, secretValue, type Props } from "../support/grpc-harness";

const TOKEN = "grpc-test-token-77";
const ENV_URN = "urn:pulumi:dev::harness::pulumi-nodejs:dynamic/cmf:Environment::prod-env";
const APP_URN = "urn:pulumi:dev::harness::pulumi-nodejs:dynamic/cmf:Application::orders";

let fixture: FixtureProject;
let emulator: CmfEmulator;
let host: DynamicProviderHost;
let direct: CmfClient;
let envShim: string;
let appShim: string;

const spec = {
  image: "confluentinc/cp-flink:1.19.3-cp2",
  flinkVersion: "v1_19",
  jobManager: { resource: { cpu: 1, memory: "1024m" } },
  taskManager: { resource: { cpu: 1, memory: "1024m" } },
  job: { jarURI: "local:///opt/flink/job.jar", parallelism: 1, state: "running", upgradeMode: "stateless" },
};

async function shimText(kind: "environment" | "application"): Promise<string> {
  const { serializeFunction } = fixture.load<typeof import("@pulumi/pulumi/runtime")>(
    "../@pulumi/pulumi/runtime/index.js",
  );
  const provider = fixture.load<object>(`dist/sdk/${kind}-provider.js`);
  return (await serializeFunction(() => provider, { allowSecrets: true })).text;
}

beforeAll(async () => {
  fixture = createFixtureProject("grpc");
  emulator = await CmfEmulator.start({ token: TOKEN, lifecycle: "stepped" });
  direct = new CmfClient({ url: emulator.url, token: TOKEN });
  envShim = await shimText("environment");
  appShim = await shimText("application");
  host = await DynamicProviderHost.start(fixture.dir);
}, 120_000);

afterAll(async () => {
  await host?.close();
  await direct?.close();
  await emulator?.close();
  fixture?.remove();
});

describe("provider lifecycle through the dynamic-provider host", () => {
  it("configure, check, diff, create, read, update and delete", async () => {
    expect(
      await host.configure({ "cmf:url": emulator.url, "cmf:token": secretValue(TOKEN), "other:key": "x" }),
    ).toEqual({
      acceptSecrets: false,
    });

    const envNews: Props = {
      __provider: envShim,
      name: "prod-env",
      kubernetesNamespace: "flink-prod",
      owner: "harness/dev/prod-env",
    };
    const envChecked = await host.check(ENV_URN, {}, envNews);
    expect(envChecked).toEqual({ inputs: envNews, failures: [] });

    const bad = await host.check(
      ENV_URN,
      {},
      { ...envNews, name: "Pr", kubernetesNamespace: undefined, labels: { a: 1 } },
    );
    expect(bad.failures).toEqual([
      { property: "name", reason: expect.stringMatching(/size must be between 4.*must match/s) },
      { property: "kubernetesNamespace", reason: "is required" },
      { property: "", reason: "labels.a: must be a string (got number)" },
    ]);

    const unknown = await host.check(ENV_URN, {}, { ...envNews, name: UNKNOWN, labels: { a: UNKNOWN } });
    expect(unknown.failures).toEqual([]);
    expect(unknown.inputs).toMatchObject({ name: UNKNOWN, labels: { a: UNKNOWN } });

    const env = await host.create(ENV_URN, envChecked.inputs);
    expect(env.id).toBe("prod-env");
    expect(env.properties).toMatchObject({
      __provider: envShim,
      name: "prod-env",
      kubernetesNamespace: "flink-prod",
    });
    expect(JSON.stringify(env.properties)).not.toContain(TOKEN);

    const appNews: Props = {
      __provider: appShim,
      environment: "prod-env",
      name: "orders",
      spec,
      owner: "harness/dev/orders",
    };
    const appChecked = await host.check(APP_URN, {}, appNews);
    expect(appChecked.failures).toEqual([]);
    const app = await host.create(APP_URN, appChecked.inputs);
    expect(app.id).toBe("prod-env/orders");
    expect(app.properties).toMatchObject({ spec, status: { jobState: "RUNNING" } });

    expect(await host.diff(app.id, APP_URN, app.properties, appChecked.inputs)).toEqual({
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const newSpec = { ...spec, job: { ...spec.job, parallelism: 2 } };
    expect(await host.diff(app.id, APP_URN, app.properties, { ...appNews, spec: newSpec })).toEqual({
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await host.diff(app.id, APP_URN, app.properties, { ...appNews, name: "orders-v2" })).toMatchObject(
      {
        changes: "some",
        replaces: ["name"],
      },
    );
    expect(
      await host.diff(env.id, ENV_URN, env.properties, { ...envNews, kubernetesNamespace: "other" }),
    ).toEqual({
      changes: "some",
      replaces: ["kubernetesNamespace"],
      deleteBeforeReplace: true,
    });

    const updated = await host.update(app.id, APP_URN, app.properties, { ...appNews, spec: newSpec });
    expect(updated.properties).toMatchObject({
      __provider: appShim,
      spec: newSpec,
      status: { jobState: "RUNNING" },
    });
    expect((await direct.applications.get("prod-env", "orders"))?.spec.job?.parallelism).toBe(2);

    await direct.applications.suspend("prod-env", "orders");
    const refreshed = await host.read(app.id, APP_URN, updated.properties);
    expect(refreshed.id).toBe(app.id);
    expect(refreshed.properties).toMatchObject({ spec: { job: { state: "suspended" } } });
    expect(refreshed.inputs).toMatchObject({ __provider: appShim, spec: { job: { state: "suspended" } } });
    expect(refreshed.inputs?.status).toBeUndefined();
    // Read again, nothing changed since: the engine is left the inputs it stored.
    const again = await host.read(app.id, APP_URN, refreshed.properties);
    expect(again.properties).toEqual(refreshed.properties);
    expect(again.inputs).toBeUndefined();

    await host.delete(app.id, APP_URN, refreshed.properties);
    await host.delete(env.id, ENV_URN, env.properties);
    expect(await direct.environments.get("prod-env")).toBeUndefined();
    expect(await host.read(env.id, ENV_URN, env.properties)).toMatchObject({ id: "" });
  });

  it("reports a rollout that fails as a partial failure the engine records", async () => {
    const manual = await CmfEmulator.start({ token: TOKEN, lifecycle: "manual" });
    const manualDirect = new CmfClient({ url: manual.url, token: TOKEN });
    try {
      await manualDirect.environments.upsert({ name: "fail-env", kubernetesNamespace: "flink-prod" });
      const connection = { url: manual.url, token: TOKEN };
      const creating = host.create(APP_URN, {
        __provider: appShim,
        environment: "fail-env",
        name: "crashy",
        spec,
        connection,
        timeoutSeconds: 20,
      });
      for (let i = 0; i < 200 && !(await manualDirect.applications.get("fail-env", "crashy")); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await manual.controls.failApplication("fail-env", "crashy", "java.lang.IllegalStateException: bad jar");
      const error = await creating.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HostCallError);
      const failure = error as HostCallError;
      expect(failure.message).toMatch(/failed while pulumi-cmf waited for it to be running/);
      expect(failure.message).toMatch(/IllegalStateException: bad jar/);
      expect(failure.initFailure).toMatchObject({
        id: "fail-env/crashy",
        properties: { __provider: appShim, name: "crashy", status: { jobState: "FAILED" } },
        reasons: [failure.message],
      });
    } finally {
      await manualDirect.close();
      await manual.close();
    }
  });

  it("fails operations, not checks, when no endpoint is configured", async () => {
    const bare = await DynamicProviderHost.start(fixture.dir);
    try {
      await bare.configure({});
      const inputs: Props = { __provider: envShim, name: "lonely-env", kubernetesNamespace: "ns" };
      expect((await bare.check(ENV_URN, {}, inputs)).failures).toEqual([]);
      const error = await bare.create(ENV_URN, inputs).then(
        () => undefined,
        (e: unknown) => e as HostCallError,
      );
      expect(error?.message).toMatch(
        /Cannot create CMF environment "lonely-env": no CMF endpoint is configured/,
      );
      expect(error?.message).toMatch(/CONFLUENT_CMF_URL/);
      expect(error?.initFailure).toBeUndefined();
    } finally {
      await bare.close();
    }
  });
});
