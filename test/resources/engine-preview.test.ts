/**
 * Previews and refreshes that tell the whole truth, through the real Pulumi engine (issue #11 section
 * 4): keys added by hand to an application's flinkConfiguration show on refresh and in the preview of
 * the `up` that removes them, provider-level settings are validated at preview, and a refresh whose
 * reads are answered from list pages (provider/core/bulk-reads.ts) still sees every change made by hand.
 */
import * as fs from "node:fs";
import type { Stack } from "@pulumi/pulumi/automation";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import { createFixtureProject, type FixtureProject } from "../support/fixture-project";
import { describeWithPulumi, inlineStack, makePulumiSandbox, type PulumiSandbox } from "../support/pulumi";
import { resourcesOfType, type DeploymentState } from "../support/state";

const APPS = 24;
const LIST_ROUTE = "GET /cmf/api/v1/environments/{envName}/applications";
const GET_ROUTE = `${LIST_ROUTE}/{appName}`;

type Sdk = typeof import("../../sdk");

describeWithPulumi("previews in the Pulumi engine", (tools) => {
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
    job: { jarURI: "local:///opt/flink/job.jar", parallelism: 3, state: "running" as const },
  };

  beforeAll(async () => {
    fixture = createFixtureProject("engine-preview");
    sdk = fixture.load<Sdk>("dist/sdk/index.js");
    emulator = await CmfEmulator.start({ lifecycle: "instant", host: "127.0.0.1", port: 0 });
    direct = new CmfClient({ url: emulator.url });
    sandbox = makePulumiSandbox(tools, "engine-preview");
    stack = await inlineStack({
      tools,
      sandbox,
      projectName: "cmf-preview",
      stackName: "dev",
      program: async () => {
        const env = new sdk.CmfEnvironment("preview-env", { kubernetesNamespace: "flink" });
        new sdk.CmfApplication("orders", { environment: env, spec });
        return {};
      },
      workDir: fixture.dir,
    });
  }, 120_000);

  afterAll(async () => {
    await direct?.close();
    await emulator?.close();
    fixture?.remove();
    if (sandbox) fs.rmSync(sandbox.root, { recursive: true, force: true });
  });

  it("shows a flinkConfiguration key added by hand on refresh and in the preview of the up that removes it", async () => {
    await stack.setConfig("cmf:url", { value: emulator.url });
    await stack.up();
    const live = await direct.applications.get("preview-env", "orders");
    await direct.applications.upsert("preview-env", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      metadata: live!.metadata,
      spec: {
        ...live!.spec,
        flinkConfiguration: { "added.by.hand": "yes" },
        job: { ...live!.spec.job, parallelism: 7 },
      },
    });

    const refreshed = await stack.refresh();
    expect(refreshed.summary.resourceChanges).toEqual({ same: 2, update: 1 });
    const exported = (await stack.exportStack()).deployment as DeploymentState;
    expect(resourcesOfType(exported, "Application")[0].outputs).toMatchObject({
      spec: { flinkConfiguration: { "added.by.hand": "yes" }, job: { parallelism: 7 } },
    });

    const preview = await stack.preview({ diff: true });
    expect(preview.changeSummary).toEqual({ same: 2, update: 1 });
    expect(preview.stdout).toMatch(/-\s+"?added\.by\.hand"?\s*: "yes"/);
    expect(preview.stdout).toMatch(/parallelism\s*: 7 => 3/);
    // Internal bookkeeping is not part of the shown diff.
    expect(preview.stdout).not.toMatch(/[~+-]\s+owner/);

    await stack.up();
    const after = await direct.applications.get("preview-env", "orders");
    expect(after?.spec.flinkConfiguration).toBeUndefined();
    expect(after?.spec.job?.parallelism).toBe(3);
    expect((await stack.preview()).changeSummary).toEqual({ same: 3 });
  });

  it("fails a malformed cmf:url, and a url with an emulator, at preview and on a no-op up", async () => {
    await stack.setConfig("cmf:url", { value: "127.0.0.1:8080" });
    await expect(stack.preview()).rejects.toThrow(/cmf:url: must be an absolute URL/);
    await stack.setAllConfig({ "cmf:url": { value: emulator.url }, "cmf:emulator": { value: "state.json" } });
    await expect(stack.up()).rejects.toThrow(/cmf:url and cmf:emulator: are both set/);
    await stack.removeConfig("cmf:emulator");
    // The failed up still recorded the provider configuration: destroy says so, and how to fix it.
    const destroy = stack.destroy();
    await expect(destroy).rejects.toThrow(
      /recorded at the last `pulumi up`: if you fixed it since, run `pulumi up` first/,
    );
    // The provider's log line holds the message once (it was "<error>: <stack>", the message twice).
    const output = String(await destroy.catch((error: Error) => error.message));
    expect(output).toMatch(/ConnectionSettingsError: Invalid CMF connection setting/);
    expect(output).not.toMatch(/--run-program`\.: ConnectionSettingsError/);
    await stack.up();
    await stack.destroy();
    expect(await direct.environments.get("preview-env")).toBeUndefined();
  });

  it("refreshes 24 applications with fewer GETs than applications, and sees a change and a deletion made by hand", async () => {
    const bulk = await inlineStack({
      tools,
      sandbox,
      projectName: "cmf-preview",
      stackName: "bulk",
      program: async () => {
        const env = new sdk.CmfEnvironment("bulk-env", { kubernetesNamespace: "flink" });
        for (let i = 0; i < APPS; i++) new sdk.CmfApplication(`app-${i}`, { environment: env, spec });
        return {};
      },
      workDir: fixture.dir,
    });
    await bulk.setConfig("cmf:url", { value: emulator.url });
    expect((await bulk.up()).summary.resourceChanges).toEqual({ create: APPS + 2 });
    const live = await direct.applications.get("bulk-env", "app-13");
    await direct.applications.upsert("bulk-env", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      metadata: { ...live!.metadata, labels: { edited: "by-hand" } },
      spec: live!.spec,
    });
    await direct.applications.delete("bulk-env", "app-17");

    const before = emulator.controls.stats().byRoute;
    const refreshed = await bulk.refresh();
    const after = emulator.controls.stats().byRoute;
    const count = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    expect(refreshed.summary.resourceChanges).toEqual({ same: APPS, update: 1, delete: 1 });
    expect(count(LIST_ROUTE)).toBeGreaterThanOrEqual(1);
    expect(count(GET_ROUTE)).toBeLessThan(APPS);

    const state = (await bulk.exportStack()).deployment as DeploymentState;
    const apps = resourcesOfType(state, "Application");
    expect(apps.map((app) => app.outputs?.name)).not.toContain("app-17");
    expect(apps.find((app) => app.outputs?.name === "app-13")?.outputs?.labels).toEqual({
      edited: "by-hand",
    });

    // The next up restores both, and a refresh after it finds nothing to change.
    expect((await bulk.up()).summary.resourceChanges).toEqual({ same: APPS, create: 1, update: 1 });
    expect((await bulk.refresh()).summary.resourceChanges).toEqual({ same: APPS + 2 });
    await bulk.destroy();
  });
});
