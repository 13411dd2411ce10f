/**
 * A refresh of many applications of one environment through the real Pulumi engine: most reads are
 * answered from the environment's list pages (provider/core/bulk-reads.ts), and a refresh still sees
 * every change made outside Pulumi, a deletion included.
 */
import * as fs from "node:fs";
import type { Stack } from "@pulumi/pulumi/automation";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import { createFixtureProject, type FixtureProject } from "../support/fixture-project";
import { describeWithPulumi, inlineStack, makePulumiSandbox, type PulumiSandbox } from "../support/pulumi";
import { resourcesOfType, type DeploymentState } from "../support/state";

type Sdk = typeof import("../../sdk");

const APPS = 24;
const LIST_ROUTE = "GET /cmf/api/v1/environments/{envName}/applications";
const GET_ROUTE = `${LIST_ROUTE}/{appName}`;

describeWithPulumi("bulk reads in the Pulumi engine", (tools) => {
  jest.setTimeout(5 * 60 * 1000);

  let fixture: FixtureProject;
  let emulator: CmfEmulator;
  let direct: CmfClient;
  let sandbox: PulumiSandbox;
  let sdk: Sdk;
  let stack: Stack;

  const spec = {
    image: "confluentinc/cp-flink:1.19.3-cp2",
    flinkVersion: "v1_19",
    jobManager: { resource: { cpu: 1, memory: "1024m" } },
    taskManager: { resource: { cpu: 1, memory: "1024m" } },
    job: { jarURI: "local:///opt/flink/job.jar", parallelism: 1, state: "running" as const },
  };

  beforeAll(async () => {
    fixture = createFixtureProject("engine-bulk-reads");
    sdk = fixture.load<Sdk>("dist/sdk/index.js");
    emulator = await CmfEmulator.start({ lifecycle: "instant", host: "127.0.0.1", port: 0 });
    direct = new CmfClient({ url: emulator.url });
    sandbox = makePulumiSandbox(tools, "engine-bulk-reads");
    stack = await inlineStack({
      tools,
      sandbox,
      projectName: "cmf-bulk-reads",
      stackName: "dev",
      program: async () => {
        const env = new sdk.CmfEnvironment("bulk-env", { kubernetesNamespace: "flink" });
        for (let i = 0; i < APPS; i++) new sdk.CmfApplication(`app-${i}`, { environment: env, spec });
        return {};
      },
      workDir: fixture.dir,
    });
    await stack.setConfig("cmf:url", { value: emulator.url });
  }, 120_000);

  afterAll(async () => {
    await direct?.close();
    await emulator?.close();
    fixture?.remove();
    if (sandbox) fs.rmSync(sandbox.root, { recursive: true, force: true });
  });

  it("refreshes 24 applications with fewer GETs than applications, and sees a change and a deletion made by hand", async () => {
    expect((await stack.up()).summary.resourceChanges).toEqual({ create: APPS + 2 });
    const live = await direct.applications.get("bulk-env", "app-13");
    await direct.applications.upsert("bulk-env", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      metadata: { ...live!.metadata, labels: { edited: "by-hand" } },
      spec: live!.spec,
    });
    await direct.applications.delete("bulk-env", "app-17");

    const before = emulator.controls.stats().byRoute;
    const refreshed = await stack.refresh();
    const after = emulator.controls.stats().byRoute;
    const count = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    expect(refreshed.summary.resourceChanges).toEqual({ same: APPS, update: 1, delete: 1 });
    expect(count(LIST_ROUTE)).toBeGreaterThanOrEqual(1);
    expect(count(GET_ROUTE)).toBeLessThan(APPS);

    const state = (await stack.exportStack()).deployment as DeploymentState;
    const apps = resourcesOfType(state, "Application");
    expect(apps.map((app) => app.outputs?.name)).not.toContain("app-17");
    expect(apps.find((app) => app.outputs?.name === "app-13")?.outputs?.labels).toEqual({
      edited: "by-hand",
    });

    // The next up restores both, and a refresh after it finds nothing to change.
    expect((await stack.up()).summary.resourceChanges).toEqual({ same: APPS, create: 1, update: 1 });
    expect((await stack.refresh()).summary.resourceChanges).toEqual({ same: APPS + 2 });
    await stack.destroy();
  });
});
