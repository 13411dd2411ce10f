/**
 * CmfEnvironment and CmfApplication through the real Pulumi CLI (Automation API, inline program),
 * installed from the npm-pack tarball, against an in-process emulator that requires mTLS and a bearer
 * token. One stack walks the whole life of the resources.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import { makeCertificates, type TestCertificates } from "../support/certs";
import { createFixtureProject, type FixtureProject } from "../support/fixture-project";
import { describeWithPulumi, inlineStack, makePulumiSandbox, type PulumiSandbox } from "../support/pulumi";
import {
  filesContaining,
  isSecretValue,
  plainPaths,
  resourcesOfType,
  type DeploymentState,
} from "../support/state";

type Sdk = typeof import("../../sdk");

const TOKEN = "engine-lifecycle-token-3c9e1";
const APPS_ROUTE = "POST /cmf/api/v1/environments/{envName}/applications";

interface Desired {
  appName: string;
  image: string;
  jobState: "running" | "suspended";
  url: string;
}

describeWithPulumi("CmfEnvironment and CmfApplication in the Pulumi engine", (tools) => {
  jest.setTimeout(5 * 60 * 1000);

  let fixture: FixtureProject;
  let certs: TestCertificates;
  let emulator: CmfEmulator;
  let direct: CmfClient;
  let sandbox: PulumiSandbox;
  let sdk: Sdk;

  beforeAll(async () => {
    fixture = createFixtureProject("engine-lifecycle");
    sdk = fixture.load<Sdk>("dist/sdk/index.js");
    certs = await makeCertificates(path.join(fixture.dir, ".certs"));
    emulator = await CmfEmulator.start({
      token: TOKEN,
      lifecycle: "stepped",
      tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, requireClientCert: true },
    });
    direct = new CmfClient({
      url: emulator.url,
      token: TOKEN,
      caCertificate: certs.ca,
      clientCertificate: certs.clientCert,
      clientKey: certs.clientKey,
    });
    sandbox = makePulumiSandbox(tools, "engine-lifecycle");
  }, 120_000);

  afterAll(async () => {
    await direct?.close();
    await emulator?.close();
    fixture?.remove();
    if (sandbox) fs.rmSync(sandbox.root, { recursive: true, force: true });
  });

  function spec(desired: Desired) {
    return {
      image: desired.image,
      flinkVersion: "v1_19",
      serviceAccount: "flink",
      flinkConfiguration: { "taskmanager.numberOfTaskSlots": 2 },
      jobManager: { resource: { cpu: 1, memory: "1024m" } },
      taskManager: { resource: { cpu: 1, memory: "1024m" } },
      job: {
        jarURI: "local:///opt/flink/examples/streaming/StateMachineExample.jar",
        parallelism: 1,
        state: desired.jobState,
        upgradeMode: "stateless" as const,
      },
    };
  }

  function program(desired: Desired) {
    return async () => {
      // Reaches CMF through the stack configuration (cmf:url, secret cmf:token, cmf:clientKey).
      const env = new sdk.CmfEnvironment("prod", {
        name: "prod-env",
        kubernetesNamespace: "flink-prod",
        labels: { team: "data" },
        flinkApplicationDefaults: {
          spec: { flinkConfiguration: { "restart-strategy.type": "fixed-delay" } },
        },
      });
      // Reaches CMF through its own connection input.
      const app = new sdk.CmfApplication("orders", {
        environment: env,
        name: desired.appName,
        spec: spec(desired),
        connection: {
          url: desired.url,
          token: TOKEN,
          caCertificate: certs.ca,
          clientCertificate: certs.clientCert,
          clientKey: certs.clientKey,
        },
      });
      return { envName: env.name, appStatus: app.status, appSpec: app.spec };
    };
  }

  async function serverApps(): Promise<string[]> {
    const names: string[] = [];
    for await (const app of direct.applications.listAll("prod-env")) names.push(app.metadata.name);
    return names.sort();
  }

  it("creates, previews clean, updates, replaces, suspends, refreshes drift, restores and destroys", async () => {
    const desired: Desired = {
      appName: "orders",
      image: "confluentinc/cp-flink:1.19.3-cp2",
      jobState: "running",
      url: emulator.url,
    };
    const stack: Stack = await inlineStack({
      tools,
      sandbox,
      projectName: "cmf-lifecycle",
      stackName: "dev",
      program: program(desired),
      workDir: fixture.dir,
    });
    await stack.setAllConfig({
      "cmf:url": { value: emulator.url },
      "cmf:token": { value: TOKEN, secret: true },
      "cmf:caCertificatePath": { value: certs.caPath },
      "cmf:clientCertificatePath": { value: certs.clientCertPath },
      "cmf:clientKey": { value: certs.clientKey, secret: true },
    });
    const keyLine = certs.clientKey.split("\n")[1];

    // up: both resources are created, the application waited for until RUNNING
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 3 });
    expect(up.outputs.envName.value).toBe("prod-env");
    expect(up.outputs.appStatus.value).toMatchObject({
      jobState: "RUNNING",
      lifecycleState: expect.stringMatching(/DEPLOYED|STABLE/),
    });
    expect(up.outputs.appSpec.value.flinkConfiguration).toEqual({ "taskmanager.numberOfTaskSlots": "2" });
    expect(await serverApps()).toEqual(["orders"]);
    expect((await direct.environments.get("prod-env"))?.metadata?.labels).toEqual({ team: "data" });

    // a second preview is clean
    const clean = await stack.preview();
    expect(clean.changeSummary).toEqual({ same: 3 });

    // a spec change is an in-place update
    desired.image = "confluentinc/cp-flink:1.19.3-cp3";
    const updated = await stack.up();
    expect(updated.summary.resourceChanges).toEqual({ same: 2, update: 1 });
    expect((await direct.applications.get("prod-env", "orders"))?.spec.image).toBe(desired.image);

    // a rename is a replacement (created first: the new name is free)
    desired.appName = "orders-v2";
    const renamed = await stack.up();
    expect(renamed.summary.resourceChanges).toEqual({ same: 2, replace: 1 });
    expect(await serverApps()).toEqual(["orders-v2"]);

    // suspend and resume through spec.job.state use CMF's shortcuts
    desired.jobState = "suspended";
    const suspended = await stack.up();
    expect(suspended.summary.resourceChanges).toEqual({ same: 2, update: 1 });
    expect(suspended.outputs.appStatus.value).toMatchObject({ lifecycleState: "SUSPENDED" });
    desired.jobState = "running";
    const resumed = await stack.up();
    expect(resumed.outputs.appStatus.value).toMatchObject({ jobState: "RUNNING" });
    const routes = emulator.controls.stats().byRoute;
    expect(routes[`${APPS_ROUTE}/{appName}/suspend`]).toBe(1);
    expect(routes[`${APPS_ROUTE}/{appName}/start`]).toBe(1);

    // an out-of-band change over REST shows in refresh, and up restores the declared state
    const live = await direct.applications.get("prod-env", "orders-v2");
    await direct.applications.upsert("prod-env", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      metadata: { ...live!.metadata, labels: { edited: "by-hand" } },
      spec: { ...live!.spec, job: { ...live!.spec.job, parallelism: 3 } },
    });
    const refreshed = await stack.refresh();
    expect(refreshed.summary.resourceChanges).toEqual({ same: 2, update: 1 });
    const afterRefresh = (await stack.exportStack()).deployment as DeploymentState;
    expect(resourcesOfType(afterRefresh, "Application")[0].outputs).toMatchObject({
      labels: { edited: "by-hand" },
      spec: { job: { parallelism: 3 } },
    });
    const drift = await stack.preview();
    expect(drift.changeSummary).toEqual({ same: 2, update: 1 });
    const restored = await stack.up();
    expect(restored.summary.resourceChanges).toEqual({ same: 2, update: 1 });
    const back = await direct.applications.get("prod-env", "orders-v2");
    expect(back?.spec.job?.parallelism).toBe(1);
    expect(back?.metadata.labels ?? {}).toEqual({});
    expect((await stack.preview()).changeSummary).toEqual({ same: 3 });

    // a connection-only change is stored without writing to CMF
    const before = emulator.controls.stats();
    desired.url = `${emulator.url}/cmf/api/v1`;
    const reconnected = await stack.up();
    expect(reconnected.summary.resourceChanges).toEqual({ same: 2, update: 1 });
    const after = emulator.controls.stats();
    expect(after.writes).toBe(before.writes);
    expect(after.requests.POST ?? 0).toBe(before.requests.POST ?? 0);
    expect((await stack.preview()).changeSummary).toEqual({ same: 3 });

    // the token and the client key are only ever stored encrypted
    const exported = (await stack.exportStack()).deployment as DeploymentState;
    expect(plainPaths(exported, TOKEN)).toEqual([]);
    expect(plainPaths(exported, keyLine)).toEqual([]);
    const [appState] = resourcesOfType(exported, "Application");
    expect(isSecretValue(appState.outputs?.connection)).toBe(true);
    const stateDir = sandbox.env.PULUMI_BACKEND_URL.replace("file://", "");
    expect(filesContaining(stateDir, TOKEN)).toEqual([]);
    expect(filesContaining(stateDir, keyLine)).toEqual([]);
    expect(filesContaining(fixture.dir, TOKEN)).toEqual([]);
    expect(fs.readFileSync(path.join(fixture.dir, "Pulumi.dev.yaml"), "utf8")).toMatch(
      /cmf:token:\s+secure:/,
    );

    // destroy leaves the emulator empty
    await stack.destroy();
    const left: string[] = [];
    for await (const env of direct.environments.listAll()) left.push(env.name);
    expect(left).toEqual([]);
    await stack.workspace.removeStack("dev");
  });

  it("runs hermetically against the embedded emulator (cmf:emulator), keeping state across runs", async () => {
    const dataFile = path.join(sandbox.root, "embedded-cmf.json");
    const stack = await inlineStack({
      tools,
      sandbox,
      projectName: "cmf-embedded",
      stackName: "local",
      workDir: fixture.dir,
      program: async () => {
        const env = new sdk.CmfEnvironment("local", {
          name: "local-env",
          kubernetesNamespace: "flink-local",
        });
        const app = new sdk.CmfApplication("local-app", {
          environment: env,
          spec: spec({
            appName: "local-app",
            image: "confluentinc/cp-flink:1.19.3-cp2",
            jobState: "running",
            url: "",
          }),
        });
        return { appStatus: app.status };
      },
    });
    await stack.setConfig("cmf:emulator", { value: dataFile });

    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 3 });
    expect(up.outputs.appStatus.value).toMatchObject({ jobState: "RUNNING" });
    const snapshot = JSON.parse(fs.readFileSync(dataFile, "utf8"));
    const [stored] = snapshot.environments;
    expect(stored).toMatchObject({ name: "local-env", kubernetesNamespace: "flink-local" });
    const events = (stored.applications[0].events as { message: string }[]).map((e) => e.message);
    expect(events).toEqual(expect.arrayContaining([expect.stringMatching(/status changed to RECONCILING/)]));

    expect((await stack.preview()).changeSummary).toEqual({ same: 3 });
    const inputsOf = async () =>
      ((await stack.exportStack()).deployment as DeploymentState).resources?.map((r) => r.inputs);
    const inputsBefore = await inputsOf();
    const refreshed = await stack.refresh();
    expect(refreshed.summary.resourceChanges).toEqual({ same: 3 });
    // Nothing changed in CMF: the refresh leaves the stored inputs as the last `up` wrote them.
    expect(await inputsOf()).toEqual(inputsBefore);

    await stack.destroy();
    expect(JSON.parse(fs.readFileSync(dataFile, "utf8")).environments).toEqual([]);
    await stack.workspace.removeStack("local");
  });
});
