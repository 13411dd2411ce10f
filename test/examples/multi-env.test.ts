/**
 * examples/multi-env as a user runs it: a file-based project (`pulumi up` in its directory) with
 * pulumi-cmf installed from the packed tarball. The dev stack goes up and down against the embedded
 * emulator; staging and prod are previewed, which validates their config without creating anything.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CmfEmulator } from "pulumi-cmf/emulator";
import { createFixtureProject, REPO, type FixtureProject } from "../support/fixture-project";
import { describeWithPulumi, makePulumiSandbox, runPulumi, type PulumiSandbox } from "../support/pulumi";

const EXAMPLE = path.join(REPO, "examples", "multi-env");

interface StoredApplication {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { job: { parallelism: number; state: string }; taskManager: { replicas: number } };
  status?: { jobStatus?: { state?: string } };
}

async function emulatorContents(dataFile: string) {
  const emulator = await CmfEmulator.start({ dataFile });
  try {
    const get = async (p: string) => (await fetch(`${emulator.url}/cmf/api/v1${p}`)).json();
    const envs = (await get("/environments")) as { items: { name: string; kubernetesNamespace: string }[] };
    const apps = envs.items.length
      ? ((await get(`/environments/${envs.items[0].name}/applications`)) as { items: StoredApplication[] })
      : { items: [] };
    const env = envs.items.length ? await get(`/environments/${envs.items[0].name}`) : undefined;
    return { envs: envs.items, env: env as Record<string, unknown> | undefined, apps: apps.items };
  } finally {
    await emulator.close();
  }
}

describeWithPulumi("examples/multi-env (file-based project, embedded emulator)", (tools) => {
  jest.setTimeout(6 * 60 * 1000);
  let fixture: FixtureProject;
  let sandbox: PulumiSandbox;
  let emulatorFile: string;
  let run: (args: string[]) => ReturnType<typeof runPulumi>;

  beforeAll(() => {
    fixture = createFixtureProject("multi-env");
    for (const file of fs.readdirSync(EXAMPLE)) {
      if (file.endsWith(".yaml") || file.endsWith(".ts")) {
        fs.copyFileSync(path.join(EXAMPLE, file), path.join(fixture.dir, file));
      }
    }
    sandbox = makePulumiSandbox(tools, "multi-env");
    emulatorFile = path.join(sandbox.root, "cmf-emulator.json");
    run = (args) =>
      runPulumi(sandbox, fixture.dir, args, {
        CMF_EMULATOR: emulatorFile,
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      });
  });

  afterAll(() => fixture?.remove());

  it("dev: up creates the environment and its pipelines from stack config, then nothing changes", async () => {
    await run(["stack", "init", "dev"]);
    const up = await run(["up", "--yes", "--stack", "dev"]);
    expect(up.stdout).toMatch(/\+ +4 created/);

    const { envs, env, apps } = await emulatorContents(emulatorFile);
    expect(envs.map((e) => [e.name, e.kubernetesNamespace])).toEqual([["flink-dev", "flink-dev"]]);
    expect(env?.flinkApplicationDefaults).toEqual({
      spec: {
        flinkConfiguration: {
          "taskmanager.numberOfTaskSlots": "1",
          "execution.checkpointing.interval": "5m",
        },
      },
    });
    const byName = Object.fromEntries(apps.map((a) => [a.metadata.name, a]));
    expect(Object.keys(byName).sort()).toEqual(["fraud-scoring", "orders-enrichment"]);
    expect(byName["orders-enrichment"].spec.job).toMatchObject({ parallelism: 1, state: "running" });
    expect(byName["orders-enrichment"].status?.jobStatus?.state).toBe("RUNNING");
    expect(byName["fraud-scoring"].spec.job.state).toBe("suspended");
    expect(byName["orders-enrichment"].metadata.labels).toMatchObject({ stage: "dev" });

    await run(["preview", "--expect-no-changes", "--stack", "dev"]);
  });

  it("staging and prod: previews validate their config and would create their own environment", async () => {
    for (const [stack, namespace] of [
      ["staging", "flink-staging"],
      ["prod", "flink-prod"],
    ]) {
      await run(["stack", "init", stack]);
      const preview = await run(["preview", "--diff", "--stack", stack]);
      expect(preview.stdout).toMatch(/\+ +4 to create/);
      expect(preview.stdout).toContain(namespace);
    }
    const prod = parse(fs.readFileSync(path.join(EXAMPLE, "Pulumi.prod.yaml"), "utf8"));
    expect(prod.config["cmf-multi-env:pipelines"][0].parallelism).toBe(12);
  });

  it("dev: destroy empties the emulator", async () => {
    await run(["destroy", "--yes", "--stack", "dev"]);
    expect((await emulatorContents(emulatorFile)).envs).toEqual([]);
  });

  it("ships a CI pipeline: preview on pull requests against the emulator, up on main", () => {
    const workflow = parse(fs.readFileSync(path.join(EXAMPLE, "ci", "github-actions.yml"), "utf8"));
    const steps = (job: string) => JSON.stringify(workflow.jobs[job].steps);
    expect(workflow.jobs.preview.if).toContain("pull_request");
    expect(steps("preview")).toContain("CMF_EMULATOR");
    expect(steps("preview")).toContain("pulumi preview");
    expect(workflow.jobs.deploy.if).toContain("push");
    expect(steps("deploy")).toContain("pulumi up --yes");
    expect(steps("deploy")).toContain("CONFLUENT_CMF_URL");
  });
});
