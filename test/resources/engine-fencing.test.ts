/**
 * Ownership fencing through the real Pulumi engine (issue #10 items 11 and 12): an update or delete acts
 * on a CMF object only while its `pulumi-cmf/owner` marker names the resource; otherwise the object is
 * left in CMF. Both reproductions lost every application before (rc 0, nothing left in CMF).
 */
import * as fs from "node:fs";
import type { Stack } from "@pulumi/pulumi/automation";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import { createFixtureProject, type FixtureProject } from "../support/fixture-project";
import { describeWithPulumi, inlineStack, makePulumiSandbox, type PulumiSandbox } from "../support/pulumi";
import { resourcesOfType, type DeploymentState } from "../support/state";

type Sdk = typeof import("../../sdk");

const OWNER = "pulumi-cmf/owner";

describeWithPulumi("ownership fencing in the Pulumi engine", (tools) => {
  jest.setTimeout(5 * 60 * 1000);

  let fixture: FixtureProject;
  let emulator: CmfEmulator;
  let direct: CmfClient;
  let sandbox: PulumiSandbox;
  let sdk: Sdk;

  beforeAll(async () => {
    fixture = createFixtureProject("engine-fencing");
    sdk = fixture.load<Sdk>("dist/sdk/index.js");
    emulator = await CmfEmulator.start({ lifecycle: "instant", host: "127.0.0.1", port: 0 });
    direct = new CmfClient({ url: emulator.url });
    sandbox = makePulumiSandbox(tools, "engine-fencing");
  }, 120_000);

  afterAll(async () => {
    await direct?.close();
    await emulator?.close();
    fixture?.remove();
    if (sandbox) fs.rmSync(sandbox.root, { recursive: true, force: true });
  });

  const spec = {
    image: "confluentinc/cp-flink:1.19.3-cp2",
    flinkVersion: "v1_19",
    jobManager: { resource: { cpu: 1, memory: "1024m" } },
    taskManager: { resource: { cpu: 1, memory: "1024m" } },
    job: { jarURI: "local:///opt/flink/job.jar", parallelism: 1, state: "running" as const },
  };

  async function stackOf(name: string, program: () => Promise<Record<string, unknown>>): Promise<Stack> {
    const stack = await inlineStack({
      tools,
      sandbox,
      projectName: "cmf-fencing",
      stackName: name,
      program,
      workDir: fixture.dir,
    });
    await stack.setConfig("cmf:url", { value: emulator.url });
    return stack;
  }

  async function markers(environment: string): Promise<Record<string, string | undefined>> {
    const out: Record<string, string | undefined> = {};
    for await (const app of direct.applications.listAll(environment)) {
      out[app.metadata.name] = app.metadata.annotations?.[OWNER];
    }
    return out;
  }

  function state(stack: Stack): Promise<DeploymentState> {
    return stack.exportStack().then((exported) => exported.deployment as DeploymentState);
  }

  it("keeps both applications when adopt swaps their names (+-2 replaced)", async () => {
    const names = { app0: "job-0", app1: "job-1" };
    let adopt = false;
    const stack = await stackOf("swap", async () => {
      const env = new sdk.CmfEnvironment("swap-env", { kubernetesNamespace: "flink" });
      for (const [logical, name] of Object.entries(names)) {
        new sdk.CmfApplication(logical, { environment: env, name, spec, adopt });
      }
      return {};
    });
    await stack.up();
    expect(await markers("swap-env")).toEqual({
      "job-0": "cmf-fencing/swap/app0",
      "job-1": "cmf-fencing/swap/app1",
    });

    Object.assign(names, { app0: "job-1", app1: "job-0" });
    adopt = true;
    const swapped = await stack.up();
    expect(swapped.summary.resourceChanges).toEqual({ same: 2, replace: 2 });
    // Each replacement adopted the other's object; the deletes of the originals left them alone.
    expect(await markers("swap-env")).toEqual({
      "job-0": "cmf-fencing/swap/app1",
      "job-1": "cmf-fencing/swap/app0",
    });
    expect(swapped.stdout + swapped.stderr).toMatch(
      /was left in CMF: it is now managed by another pulumi-cmf resource/,
    );

    // State matches CMF: a refresh finds nothing to change and the next preview is clean.
    const refreshed = await stack.refresh();
    expect(refreshed.summary.resourceChanges).toEqual({ same: 4 });
    const apps = resourcesOfType(await state(stack), "Application");
    expect(Object.fromEntries(apps.map((r) => [r.urn.split("::").pop(), r.outputs?.name]))).toEqual({
      app0: "job-1",
      app1: "job-0",
    });
    expect((await stack.preview()).changeSummary).toEqual({ same: 4 });
    await stack.destroy();
    expect(await direct.environments.get("swap-env")).toBeUndefined();
  });

  it("keeps what stack B adopted when stack A is destroyed", async () => {
    const program = (adopt: boolean) => async () => {
      const env = new sdk.CmfEnvironment("shared-env", { kubernetesNamespace: "flink", adopt });
      new sdk.CmfApplication("orders", { environment: env, spec, adopt });
      return {};
    };
    const a = await stackOf("a", program(false));
    const b = await stackOf("b", program(true));
    await a.up();
    const adopted = await b.up();
    expect(adopted.summary.resourceChanges).toEqual({ create: 3 });
    expect(await markers("shared-env")).toEqual({ orders: "cmf-fencing/b/orders" });

    const destroyed = await a.destroy();
    expect(destroyed.summary.resourceChanges).toEqual({ delete: 3 });
    expect(destroyed.stdout + destroyed.stderr).toMatch(/pulumi state delete/);
    // Everything B manages is still in CMF, and B's state matches it.
    expect((await direct.environments.get("shared-env"))?.metadata?.annotations?.[OWNER]).toBe(
      "cmf-fencing/b/shared-env",
    );
    expect(await markers("shared-env")).toEqual({ orders: "cmf-fencing/b/orders" });
    const refreshed = await b.refresh();
    expect(refreshed.summary.resourceChanges).toEqual({ same: 3 });
    await b.destroy();
    expect(await direct.environments.get("shared-env")).toBeUndefined();
  });
});
