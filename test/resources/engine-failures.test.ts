/**
 * What the user sees in the real Pulumi engine when things go wrong: bad inputs at preview, CMF
 * rejecting an object, an application that fails to start, an object that already exists.
 */
import * as fs from "node:fs";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import { createFixtureProject, type FixtureProject } from "../support/fixture-project";
import { describeWithPulumi, inlineStack, makePulumiSandbox, type PulumiSandbox } from "../support/pulumi";
import { resourcesOfType, type DeploymentState } from "../support/state";

type Sdk = typeof import("../../sdk");

const spec = {
  image: "confluentinc/cp-flink:1.19.3-cp2",
  flinkVersion: "v1_19",
  jobManager: { resource: { cpu: 1, memory: "1024m" } },
  taskManager: { resource: { cpu: 1, memory: "1024m" } },
  job: {
    jarURI: "local:///opt/flink/job.jar",
    parallelism: 1,
    state: "running" as const,
    upgradeMode: "stateless" as const,
  },
};

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the operation to fail");
}

describeWithPulumi("failures in the Pulumi engine", (tools) => {
  jest.setTimeout(5 * 60 * 1000);

  let fixture: FixtureProject;
  let sdk: Sdk;
  let emulator: CmfEmulator;
  let direct: CmfClient;
  let sandbox: PulumiSandbox;

  beforeAll(async () => {
    fixture = createFixtureProject("engine-failures");
    sdk = fixture.load<Sdk>("dist/sdk/index.js");
    emulator = await CmfEmulator.start({ lifecycle: "manual" });
    direct = new CmfClient({ url: emulator.url });
    sandbox = makePulumiSandbox(tools, "engine-failures");
  }, 120_000);

  afterAll(async () => {
    await direct?.close();
    await emulator?.close();
    fixture?.remove();
    if (sandbox) fs.rmSync(sandbox.root, { recursive: true, force: true });
  });

  async function stackFor(stackName: string, program: PulumiFn): Promise<Stack> {
    const stack = await inlineStack({
      tools,
      sandbox,
      projectName: "cmf-failures",
      stackName,
      program,
      workDir: fixture.dir,
    });
    await stack.setConfig("cmf:url", { value: emulator.url });
    return stack;
  }

  it("preview reports one check failure per bad field, naming the field and the rule", async () => {
    const badEnvironment = await stackFor("bad-environment", async () => {
      new sdk.CmfEnvironment("bad-env", { name: "Bad_Env", kubernetesNamespace: "flink-prod" });
    });
    const envMessage = await rejection(badEnvironment.preview());
    expect(envMessage).toMatch(
      /resource 'bad-env': property name value \{Bad_Env\} has a problem: must match .*RFC 1123/,
    );

    const badApplication = await stackFor("bad-application", async () => {
      new sdk.CmfApplication("Orders_App", {
        environment: "prod-env",
        spec: {
          ...spec,
          jobManager: { resource: { cpu: 1, memory: "lots" } },
          job: { ...spec.job, parallelism: 0, state: "runing" as "running" },
        },
        connection: { url: "https://admin:hunter2@cmf.example.com" },
      });
    });
    const appMessage = await rejection(badApplication.preview());
    // The CLI prints each diagnostic more than once (progress, summary, error); count distinct ones.
    const problems = new Set(
      appMessage
        .split("\n")
        .filter((line) => line.includes("error: pulumi-nodejs:dynamic/cmf:Application resource 'Orders_App'"))
        .map((line) => line.replace(/^.*resource 'Orders_App'/, "")),
    );
    expect([...problems]).toHaveLength(5);
    expect([...problems]).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^: property name value \{Orders_App\} has a problem: must match .*DNS-1035 labels of 4 to 45/,
        ),
        expect.stringMatching(
          /^ has a problem: spec\.jobManager\.resource\.memory: must be a memory size such as "1024m"/,
        ),
        " has a problem: spec.job.parallelism: must be greater than or equal to 1",
        ' has a problem: spec.job.state: must be one of: running, suspended (got "runing")',
        " has a problem: connection.url: must not contain credentials (user:password@); set token instead",
      ]),
    );
    expect(appMessage).not.toContain("hunter2");
    expect(emulator.controls.stats().total).toBe(0);
  });

  it("CMF rejecting an object leaves no half-created resource, and the next up succeeds", async () => {
    await emulator.controls.reset();
    const stack = await stackFor("rejected", async () => {
      const env = new sdk.CmfEnvironment("rej-env", { name: "rej-env", kubernetesNamespace: "flink-prod" });
      new sdk.CmfApplication("rejected-app", { environment: env, spec, waitFor: "none" });
    });
    emulator.controls.setFaults({
      errorRate: 1,
      statuses: [422],
      methods: ["POST"],
      pathPrefix: "/cmf/api/v1/environments/rej-env/applications",
      count: 1,
    });
    const message = await rejection(stack.up());
    expect(message).toMatch(
      /Failed to create CMF application "rej-env\/rejected-app": CMF rejected POST \/cmf\/api\/v1\/environments\/rej-env\/applications \(422/,
    );
    expect(message).toMatch(/Injected fault: 422/);
    const state = (await stack.exportStack()).deployment as DeploymentState;
    expect(resourcesOfType(state, "Environment")).toHaveLength(1);
    expect(resourcesOfType(state, "Application")).toHaveLength(0);
    expect(state.pending_operations ?? []).toEqual([]);

    const retried = await stack.up();
    expect(retried.summary.resourceChanges).toEqual({ same: 2, create: 1 });
    await stack.destroy();
  });

  it("an application that fails to start fails the update with its exceptions, and stays in the state", async () => {
    await emulator.controls.reset();
    const stack = await stackFor("crashing", async () => {
      const env = new sdk.CmfEnvironment("crash-env", {
        name: "crash-env",
        kubernetesNamespace: "flink-prod",
      });
      new sdk.CmfApplication("crashy", { environment: env, spec, timeoutSeconds: 60 });
    });
    const running = rejection(stack.up());
    for (let i = 0; i < 600 && !(await direct.applications.get("crash-env", "crashy")); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await emulator.controls.failApplication(
      "crash-env",
      "crashy",
      "java.lang.ClassNotFoundException: com.example.OrdersJob",
    );
    const message = await running;
    expect(message).toMatch(
      /CMF application "crash-env\/crashy" failed while pulumi-cmf waited for it to be running/,
    );
    expect(message).toMatch(/java\.lang\.ClassNotFoundException: com\.example\.OrdersJob/);
    const state = (await stack.exportStack()).deployment as DeploymentState;
    const [recorded] = resourcesOfType(state, "Application");
    expect(recorded).toMatchObject({ id: "crash-env/crashy", outputs: { status: { jobState: "FAILED" } } });
    expect(recorded.initErrors?.[0]).toMatch(/ClassNotFoundException/);

    await stack.destroy();
    expect(await direct.environments.get("crash-env")).toBeUndefined();
  });

  it("an object that already exists needs adopt, then is taken over", async () => {
    await emulator.controls.reset();
    await direct.environments.upsert({ name: "legacy-env", kubernetesNamespace: "flink-legacy" });
    let adopt = false;
    const stack = await stackFor("adoption", async () => {
      new sdk.CmfEnvironment("legacy", {
        name: "legacy-env",
        kubernetesNamespace: "flink-legacy",
        labels: { managed: "pulumi" },
        adopt,
      });
    });
    const message = await rejection(stack.up());
    expect(message).toMatch(
      /CMF environment "legacy-env" already exists in CMF, and this resource does not manage it yet/,
    );
    expect(message).toMatch(/set `adopt: true` on the resource and run `pulumi up` again/);
    expect(resourcesOfType((await stack.exportStack()).deployment as DeploymentState, "Environment")).toEqual(
      [],
    );

    adopt = true;
    const adopted = await stack.up();
    expect(adopted.summary.resourceChanges).toEqual({ same: 1, create: 1 });
    expect((await direct.environments.get("legacy-env"))?.metadata?.labels).toEqual({ managed: "pulumi" });

    adopt = false;
    const settled = await stack.up();
    expect(settled.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    await stack.destroy();
    expect(await direct.environments.get("legacy-env")).toBeUndefined();
  });
});
