/**
 * examples/multi-env as its header says: the folder copied out of the checkout, pulumi-cmf installed from
 * the packed tarball (here the fixture's links stand in for `npm install`, which test/e2e/user-project
 * runs against the registry), the embedded emulator through CMF_EMULATOR. The dev stack goes up and
 * down; a pull request's change previews as the CI example does it (`preview --refresh --diff` against
 * the deployed stack) and shows as an update; staging and prod, never deployed, preview as creates. The
 * tracked example files are never modified. PULUMI_NODEJS_TRANSPILE_ONLY keeps runs quick: `npm run
 * typecheck` type-checks the example.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CmfEmulator } from "pulumi-cmf/emulator";
import { createFixtureProject, REPO, type FixtureProject } from "../support/fixture-project";
import { treeDigest } from "../support/working-tree";
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
  let digestBefore: string;

  beforeAll(() => {
    digestBefore = treeDigest(EXAMPLE);
    const header = fs.readFileSync(path.join(EXAMPLE, "index.ts"), "utf8");
    expect(header).toContain("cp -r examples/multi-env ~/flink-infra && cd ~/flink-infra");
    expect(header).toContain('CMF_EMULATOR="$PWD/.cmf-emulator.json" pulumi up --stack dev');
    fixture = createFixtureProject("multi-env");
    // `cp -r examples/multi-env ...`: every file of the folder, over the fixture's package.json.
    fs.cpSync(EXAMPLE, fixture.dir, { recursive: true });
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

  it("a pull request's change previews against the deployed stack as the update it is", async () => {
    const file = path.join(fixture.dir, "Pulumi.dev.yaml");
    const deployed = fs.readFileSync(file, "utf8");
    // The change a pull request makes: more parallelism for one pipeline.
    const changed = deployed.replace(/(- name: orders-enrichment[\s\S]*?parallelism: )1/, "$13");
    expect(changed).not.toBe(deployed);
    fs.writeFileSync(file, changed);
    try {
      // What ci/github-actions.yml runs on pull requests (there against the real CMF, read-only).
      const preview = await run(["preview", "--stack", "dev", "--refresh", "--diff"]);
      expect(preview.stdout).toMatch(/~ +1 to update/);
      expect(preview.stdout).toMatch(/parallelism\s*: 1 => 3/);
      expect(preview.stdout).not.toMatch(/to create|to delete|to replace/);
    } finally {
      fs.writeFileSync(file, deployed);
    }
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

  it("ships a CI pipeline: pull requests preview against the deployed stacks read-only, main deploys", () => {
    const workflow = parse(fs.readFileSync(path.join(EXAMPLE, "ci", "github-actions.yml"), "utf8"));
    const job = (name: string) =>
      workflow.jobs[name] as { if: string; steps: { run?: string; env?: Record<string, string> }[] };
    const preview = job("preview");
    expect(preview.if).toContain("pull_request");
    const previewStep = preview.steps.find((step) => step.run?.includes("pulumi preview"));
    expect(previewStep?.run).toMatch(/pulumi preview --stack "\$\{\{ matrix\.stack \}\}" --refresh --diff/);
    expect(previewStep?.env?.CONFLUENT_CMF_TOKEN).toContain("CMF_READONLY_TOKEN");
    expect(JSON.stringify(preview.steps)).not.toContain("CMF_EMULATOR");
    const deploy = job("deploy");
    expect(deploy.if).toContain("push");
    expect(JSON.stringify(deploy.steps)).toContain("pulumi up --yes");
    expect(JSON.stringify(deploy.steps)).toContain("CONFLUENT_CMF_URL");
  });

  it("leaves the tracked example files untouched", () => {
    expect(treeDigest(EXAMPLE)).toBe(digestBefore);
  });
});
