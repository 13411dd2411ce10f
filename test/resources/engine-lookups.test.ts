/**
 * The lookups through the real Pulumi engine (Automation API, inline program, the npm-pack tarball)
 * against an in-process emulator: objects created out of band are looked up with every lookup, a
 * resource of the stack is built from looked-up values, `preview` runs the lookups with no write to
 * CMF, and `destroy` deletes the stack's resource only. A program that looks something up exits by
 * itself (every client closed).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import { OWNER_ANNOTATION } from "../../provider/core/ownership";
import { createFixtureProject, type FixtureProject } from "../support/fixture-project";
import { describeWithPulumi, inlineStack, makePulumiSandbox, type PulumiSandbox } from "../support/pulumi";
import { createOutOfBand, readOutOfBand } from "../support/out-of-band";
import { resourcesOfType, type DeploymentState } from "../support/state";

type Sdk = typeof import("../../sdk");

const TOKEN = "engine-lookups-token-3e9a";
const execFileAsync = promisify(execFile);

describeWithPulumi("lookups in the Pulumi engine", (tools) => {
  jest.setTimeout(5 * 60 * 1000);

  let fixture: FixtureProject;
  let emulator: CmfEmulator;
  let direct: CmfClient;
  let sandbox: PulumiSandbox;
  let sdk: Sdk;

  beforeAll(async () => {
    fixture = createFixtureProject("engine-lookups");
    sdk = fixture.load<Sdk>("dist/sdk/index.js");
    emulator = await CmfEmulator.start({ token: TOKEN });
    direct = new CmfClient({ url: emulator.url, token: TOKEN });
    sandbox = makePulumiSandbox(tools, "engine-lookups");
    // Out of band: what another team (or another stack) owns.
    await createOutOfBand(direct);
  }, 120_000);

  afterAll(async () => {
    await direct?.close();
    await emulator?.close();
    fixture?.remove();
    if (sandbox) fs.rmSync(sandbox.root, { recursive: true, force: true });
  });

  it("looks up objects it does not own, builds on them, previews without writing, destroys only its own", async () => {
    const stack: Stack = await inlineStack({
      tools,
      sandbox,
      projectName: "cmf-lookups",
      stackName: "dev",
      workDir: fixture.dir,
      program: async () => {
        // From the stack configuration (cmf:url, cmf:token), as the resources.
        const env = sdk.getCmfEnvironment({ name: "shared-env" });
        // An Output argument (the looked-up name) and an explicit connection with a secret token.
        const app = sdk.getCmfApplicationOutput({
          environment: env.name,
          name: "orders",
          connection: { url: emulator.url, token: new pulumi.Config("cmf").requireSecret("token") },
        });
        const pool = sdk.getCmfComputePool({ environment: "shared-env", name: "shared-pool" });
        const listing = sdk.getCmfStatement({ environment: "shared-env", name: "list-dbs" });
        const catalog = sdk.getCmfKafkaCatalog({ name: "shared-cat" });
        // The stack's own resource, in the looked-up environment, on the looked-up pool.
        const own = new sdk.CmfStatement("own-listing", {
          environment: env.name,
          spec: { statement: "SHOW DATABASES", computePoolName: pool.name },
          labels: { "source-parallelism": app.spec.apply((s) => String(s.job?.parallelism)) },
        });
        return {
          namespace: env.kubernetesNamespace,
          jobState: app.status.apply((s) => s.jobState),
          poolType: pool.spec.type,
          listingPhase: listing.phase,
          registry: catalog.spec.srInstance.connectionConfig["schema.registry.url"],
          ownPhase: own.phase,
          ownLabels: own.labels,
        };
      },
    });
    await stack.setAllConfig({
      "cmf:url": { value: emulator.url },
      "cmf:token": { value: TOKEN, secret: true },
    });
    const before = await readOutOfBand(direct);

    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 2 });
    expect(
      Object.fromEntries(Object.entries(up.outputs).map(([key, output]) => [key, output.value])),
    ).toEqual({
      namespace: "flink-shared",
      jobState: "RUNNING",
      poolType: "DEDICATED",
      listingPhase: "COMPLETED",
      registry: "http://sr:8081",
      ownPhase: "COMPLETED",
      ownLabels: { "source-parallelism": "2" },
    });
    const own = await direct.statements.get("shared-env", "own-listing");
    expect(own?.spec.computePoolName).toBe("shared-pool");
    expect(own?.metadata.annotations?.[OWNER_ANNOTATION]).toBe("cmf-lookups/dev/own-listing");
    // Only the stack's own resource is in the state; the looked-up objects are not.
    const exported = (await stack.exportStack()).deployment as DeploymentState;
    expect(
      (exported.resources ?? [])
        .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/cmf:"))
        .map((r) => r.type),
    ).toEqual(["pulumi-nodejs:dynamic/cmf:Statement"]);
    expect(resourcesOfType(exported, "Statement")).toHaveLength(1);

    // preview runs the lookups (five reads) and writes nothing
    const beforePreview = emulator.controls.stats();
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 2 });
    const afterPreview = emulator.controls.stats();
    expect(afterPreview.writes - beforePreview.writes).toBe(0);
    const reads = (stats: typeof afterPreview, route: string) =>
      stats.byRoute[`GET /cmf/api/v1/${route}`] ?? 0;
    for (const route of [
      "environments/{envName}",
      "environments/{envName}/applications/{appName}",
      "environments/{envName}/compute-pools/{computePoolName}",
      "environments/{envName}/statements/{stmtName}",
      "catalogs/kafka/{catName}",
    ]) {
      expect({ route, reads: reads(afterPreview, route) - reads(beforePreview, route) }).toEqual({
        route,
        reads: 1,
      });
    }

    // destroy deletes the stack's statement; the looked-up objects stay as they were
    const destroyed = await stack.destroy();
    expect(destroyed.summary.resourceChanges).toEqual({ delete: 2 });
    expect(await direct.statements.get("shared-env", "own-listing")).toBeUndefined();
    expect(await readOutOfBand(direct)).toEqual(before);
    await stack.workspace.removeStack("dev");
  });

  it("lets a program that looked something up exit by itself, from CMF or the embedded emulator", async () => {
    const dataFile = path.join(sandbox.root, "embedded.json");
    // The data file held by an emulator, as the provider process holds it during `pulumi up`.
    const holder = await CmfEmulator.start({ dataFile });
    try {
      const writer = new CmfClient({ url: holder.url });
      await writer.environments.upsert({ name: "local-env", kubernetesNamespace: "flink-local" });
      await writer.close();
      const script = `
        const { lookupObject } = require(${JSON.stringify(path.join(fixture.packageDir, "dist/sdk/lookups.js"))});
        Promise.all([
          lookupObject("Environment", { name: "shared-env", connection: { url: process.env.URL, token: process.env.TOKEN } }),
          lookupObject("Environment", { name: "local-env" }),
        ]).then((envs) => console.log(envs.map((env) => env.kubernetesNamespace).join(" ")));
      `;
      // Resolves only once the process has exited: an open client or emulator would keep it running.
      const { stdout } = await execFileAsync(process.execPath, ["-e", script], {
        cwd: fixture.dir,
        env: { ...process.env, URL: emulator.url, TOKEN, CMF_EMULATOR: dataFile },
        timeout: 60_000,
      });
      expect(stdout.trim()).toBe("flink-shared flink-local");
    } finally {
      await holder.close();
    }
  });
});
