/**
 * The provider under adverse conditions in the real Pulumi engine: an unreliable CMF (429, 503,
 * dropped connections) during a 21-resource update, and a `pulumi up` killed with SIGKILL midway.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import { createFixtureProject, type FixtureProject } from "../support/fixture-project";
import { groupAlive, killInlineUp, startInlineUp } from "../support/inline-up-process";
import { describeWithPulumi, inlineStack, makePulumiSandbox, type PulumiSandbox } from "../support/pulumi";
import { resourcesOfType, type DeploymentState } from "../support/state";

type Sdk = typeof import("../../sdk");

const APP_COUNT = 20;

/** Shared by the test process and the process that gets killed, so both declare the same fleet. */
const FLEET_PROGRAM = `
exports.APP_COUNT = ${APP_COUNT};
exports.appName = (i) => "job-" + String(i).padStart(2, "0");
exports.program = (sdk) => async () => {
  const env = new sdk.CmfEnvironment("fleet", { name: "fleet-env", kubernetesNamespace: "flink-fleet" });
  for (let i = 0; i < exports.APP_COUNT; i++) {
    new sdk.CmfApplication(exports.appName(i), {
      environment: env,
      spec: {
        image: "confluentinc/cp-flink:1.19.3-cp2",
        flinkVersion: "v1_19",
        jobManager: { resource: { cpu: 1, memory: "1024m" } },
        taskManager: { resource: { cpu: 1, memory: "1024m" } },
        job: { jarURI: "local:///opt/flink/job-" + i + ".jar", parallelism: 1 + (i % 3), state: "running", upgradeMode: "stateless" },
      },
    });
  }
};
`;

/**
 * gocloud's file store, under Pulumi's file backend, rewrites a checkpoint's `.attrs` sidecar in place:
 * a kill between its truncation and its write leaves it empty, and every command then fails with
 * "failed to load checkpoint: EOF". The README's recovery deletes such a file first, with this command,
 * run in the backend folder; so does this test.
 */
const SIDECAR_CLEANUP = (() => {
  const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
  const command = /`(find \.pulumi\/stacks [^`]*-empty -delete)`/.exec(readme)?.[1];
  if (!command) throw new Error("README.md no longer gives the command that deletes an empty sidecar");
  return command;
})();

function removeEmptySidecars(backendDir: string): void {
  execFileSync("sh", ["-c", SIDECAR_CLEANUP], { cwd: backendDir });
}

interface FleetModule {
  APP_COUNT: number;
  appName(i: number): string;
  program(sdk: Sdk): () => Promise<void>;
}

describeWithPulumi("the provider under faults and interruptions", (tools) => {
  jest.setTimeout(5 * 60 * 1000);

  let fixture: FixtureProject;
  let sdk: Sdk;
  let fleet: FleetModule;
  let fleetModule: string;
  let sandbox: PulumiSandbox;
  const emulators: CmfEmulator[] = [];
  const clients: CmfClient[] = [];

  beforeAll(() => {
    fixture = createFixtureProject("engine-faults");
    sdk = fixture.load<Sdk>("dist/sdk/index.js");
    fleetModule = path.join(fixture.dir, "fleet-program.js");
    fs.writeFileSync(fleetModule, FLEET_PROGRAM);
    fleet = require(fleetModule) as FleetModule;
    sandbox = makePulumiSandbox(tools, "engine-faults");
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) await client.close();
    for (const emulator of emulators) await emulator.close();
    fixture?.remove();
    if (sandbox) fs.rmSync(sandbox.root, { recursive: true, force: true });
  });

  async function emulatorWithClient(options: Parameters<typeof CmfEmulator.start>[0]) {
    const emulator = await CmfEmulator.start(options);
    emulators.push(emulator);
    const client = new CmfClient({ url: emulator.url });
    clients.push(client);
    return { emulator, client };
  }

  function declaredNames(): string[] {
    return Array.from({ length: fleet.APP_COUNT }, (_, i) => fleet.appName(i)).sort();
  }

  async function serverFleet(client: CmfClient): Promise<Map<string, number | undefined>> {
    const apps = new Map<string, number | undefined>();
    if (!(await client.environments.get("fleet-env"))) return apps;
    for await (const app of client.applications.listAll("fleet-env"))
      apps.set(app.metadata.name, app.spec.job?.parallelism);
    return apps;
  }

  async function fleetStack(stackName: string, url: string): Promise<Stack> {
    const stack = await inlineStack({
      tools,
      sandbox,
      projectName: "cmf-fleet",
      stackName,
      program: fleet.program(sdk),
      workDir: fixture.dir,
    });
    await stack.setConfig("cmf:url", { value: url });
    return stack;
  }

  it("converges 1 environment and 20 applications while 20% of requests fail or are dropped", async () => {
    const { emulator, client } = await emulatorWithClient({ lifecycle: "stepped" });
    const stack = await fleetStack("faults", emulator.url);
    emulator.controls.setFaults({
      seed: 11,
      errorRate: 0.1,
      statuses: [429, 503],
      retryAfterSeconds: 0,
      dropRate: 0.1,
    });

    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toEqual({ create: APP_COUNT + 2 });
    expect(emulator.controls.stats().faultsInjected).toBeGreaterThan(10);

    const held = await serverFleet(client);
    expect([...held.keys()].sort()).toEqual(declaredNames());
    for (let i = 0; i < APP_COUNT; i++) expect(held.get(fleet.appName(i))).toBe(1 + (i % 3));

    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: APP_COUNT + 2 });
    await stack.destroy();
    expect(await client.environments.get("fleet-env")).toBeUndefined();
  });

  it("recovers from a `pulumi up` killed with SIGKILL midway: no duplicate, no orphan", async () => {
    const { emulator, client } = await emulatorWithClient({ lifecycle: { stepMs: 1500 } });
    const stack = await fleetStack("killed", emulator.url);

    const { child, output } = startInlineUp({
      tools,
      sandbox,
      workDir: fixture.dir,
      projectName: "cmf-fleet",
      stackName: "killed",
      programModule: fleetModule,
      scriptDir: fixture.dir,
    });
    const pgid = child.pid as number;
    const deadline = Date.now() + 120_000;
    while ((await serverFleet(client)).size < 5) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`up never got going:\n${output.join("")}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await killInlineUp(child, sandbox);
    for (let i = 0; i < 100 && groupAlive(pgid); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(groupAlive(pgid)).toBe(false);
    expect(output.join("")).not.toContain("UP DONE");
    // The README's first step after a kill with the file backend: an empty checkpoint sidecar goes.
    const backend = new URL(sandbox.env.PULUMI_BACKEND_URL as string).pathname;
    removeEmptySidecars(backend);

    const interrupted = (await stack.exportStack()).deployment as DeploymentState;
    const createdBeforeKill = (await serverFleet(client)).size;
    expect(createdBeforeKill).toBeGreaterThanOrEqual(5);
    expect(resourcesOfType(interrupted, "Application").length).toBeLessThan(APP_COUNT);

    expect((interrupted.pending_operations ?? []).length).toBeGreaterThan(0);

    // What the README prescribes after a killed `pulumi up`: `pulumi cancel` removes the lock the
    // dead process left on the file backend, `refresh --clear-pending-creates` drops the creates it
    // never finished recording, and `up` resumes them: their objects carry this stack's owner
    // marker, so they are taken over instead of reported as conflicts.
    await expect(stack.up()).rejects.toThrow(/the stack is currently locked/);
    await stack.cancel();
    await stack.refresh({ clearPendingCreates: true });
    const recovered = await stack.up();
    expect(recovered.summary.result).toBe("succeeded");
    expect(recovered.summary.resourceChanges).toEqual({ same: 2, create: APP_COUNT });

    const held = await serverFleet(client);
    expect([...held.keys()].sort()).toEqual(declaredNames());
    const state = (await stack.exportStack()).deployment as DeploymentState;
    const recorded = resourcesOfType(state, "Application").map((r) => r.id as string);
    expect(recorded.sort()).toEqual(declaredNames().map((name) => `fleet-env/${name}`));
    expect(state.pending_operations ?? []).toEqual([]);
    expect((await stack.preview()).changeSummary).toEqual({ same: APP_COUNT + 2 });

    // The README's claim, made to happen: an empty sidecar breaks every command; its command mends it.
    const sidecar = path.join(backend, ".pulumi", "stacks", "cmf-fleet", "killed.json.attrs");
    fs.writeFileSync(sidecar, "");
    await expect(stack.exportStack()).rejects.toThrow(/failed to load checkpoint: EOF/);
    removeEmptySidecars(backend);
    expect((await stack.exportStack()).deployment).toBeDefined();

    await stack.destroy();
    expect(await client.environments.get("fleet-env")).toBeUndefined();
  });
});
