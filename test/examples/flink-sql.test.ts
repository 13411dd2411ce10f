/**
 * examples/flink-sql as its README says: the folder copied out of the checkout, pulumi-cmf installed from
 * the packed tarball (the fixture's links stand in for `npm install`), the README's commands run by the
 * real `pulumi` CLI on the embedded emulator (`cmf:emulator`, a data file in the project): up, a no-op
 * preview, stop by `pulumi config set stopped true`, an out-of-band rescale that `pulumi refresh` shows and
 * the next `up` undoes, resume, destroy. The tracked example files are never modified.
 *
 * As in multi-env.test.ts, CMF is the embedded emulator of the provider process, exactly as a user runs the
 * example; the test reads and changes CMF between CLI runs by opening the same data file with an emulator of
 * its own (the file's lock keeps the two from overlapping). A standalone emulator would be simpler to
 * inspect, but it would not exercise the `cmf:emulator` path the README tells users to take.
 * PULUMI_NODEJS_TRANSPILE_ONLY keeps runs quick: `npm run typecheck` type-checks the example.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CmfClient } from "pulumi-cmf/client";
import { CmfEmulator } from "pulumi-cmf/emulator";
import { createFixtureProject, REPO, type FixtureProject } from "../support/fixture-project";
import { treeDigest } from "../support/working-tree";
import { describeWithPulumi, makePulumiSandbox, runPulumi, type PulumiSandbox } from "../support/pulumi";

const EXAMPLE = path.join(REPO, "examples", "flink-sql");
const ENV = "flink-sql";
const INSERT = "copy-large-orders";
const JAAS =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="flink" password="flink-sql-Example-77";';

/** Runs `body` with a client of an emulator serving the data file the CLI runs left behind. */
async function withCmf<T>(dataFile: string, body: (cmf: CmfClient) => Promise<T>): Promise<T> {
  const emulator = await CmfEmulator.start({ dataFile, lifecycle: "instant" });
  const cmf = new CmfClient({ url: emulator.url });
  try {
    return await body(cmf);
  } finally {
    await cmf.close();
    await emulator.close();
  }
}

/** The tables of the SQL model: CMF's API has no route for them, the emulator keeps them in its data file. */
function tablesIn(dataFile: string): string[] {
  const data = JSON.parse(fs.readFileSync(dataFile, "utf8")) as {
    sql?: { tables: { catalog: string; database: string; name: string }[] };
  };
  return (data.sql?.tables ?? []).map((t) => `${t.catalog}.${t.database}.${t.name}`).sort();
}

describeWithPulumi("examples/flink-sql (file-based project, real CLI, embedded emulator)", (tools) => {
  jest.setTimeout(8 * 60 * 1000);
  let fixture: FixtureProject;
  let sandbox: PulumiSandbox;
  let dataFile: string;
  let readme: string;
  let digestBefore: string;
  let run: (...args: string[]) => Promise<string>;

  beforeAll(() => {
    digestBefore = treeDigest(EXAMPLE);
    readme = fs.readFileSync(path.join(EXAMPLE, "README.md"), "utf8");
    fixture = createFixtureProject("flink-sql");
    // `cp -r examples/flink-sql ...`: every file of the folder, over the fixture's package.json.
    fs.cpSync(EXAMPLE, fixture.dir, { recursive: true });
    sandbox = makePulumiSandbox(tools, "flink-sql");
    dataFile = path.join(fixture.dir, ".cmf-emulator.json");
    run = async (...args) =>
      (await runPulumi(sandbox, fixture.dir, args, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" })).stdout;
  });

  afterAll(() => {
    fixture?.remove();
    if (sandbox) fs.rmSync(sandbox.root, { recursive: true, force: true });
  });

  it("up (as the README says) creates the pipeline: tables, a RUNNING INSERT; then nothing changes", async () => {
    expect(readme).toContain("cp -r examples/flink-sql ~/flink-sql && cd ~/flink-sql");
    expect(readme).toContain("pulumi config set --secret kafkaJaasConfig '");
    expect(readme).toContain("pulumi config set cmf:emulator .cmf-emulator.json");
    await run("stack", "init", "dev");
    await run("config", "set", "--secret", "kafkaJaasConfig", JAAS);
    await run("config", "set", "cmf:emulator", ".cmf-emulator.json");

    const up = await run("up", "--yes", "--skip-preview");
    expect(up).toMatch(/\+ +10 created/); // 9 CMF objects and the stack
    expect(up).toMatch(/insertPhase *: "RUNNING"/);
    expect(up).toMatch(/poolPhase *: "RUNNING"/);
    expect(up).toMatch(/tablesCreated *: \[\s*\[0\]: "COMPLETED"\s*\[1\]: "COMPLETED"\s*\]/);

    await withCmf(dataFile, async (cmf) => {
      expect((await cmf.environments.get(ENV))?.secrets).toEqual({ "kafka-connection": "kafka-credentials" });
      expect(
        (await cmf.kafkaDatabases.get("kafka-cat", "orders-db"))?.status?.environmentsWithAccess,
      ).toEqual([ENV]);
      expect((await cmf.computePools.get(ENV, "sql-pool"))?.spec.type).toBe("SHARED");
      const insert = await cmf.statements.get(ENV, INSERT);
      expect(insert?.status?.phase).toBe("RUNNING");
      expect(insert?.status?.traits?.sqlKind).toBe("INSERT_INTO");
      expect(insert?.spec).toMatchObject({ computePoolName: "sql-pool", parallelism: 1 });
      expect(insert?.spec.properties).toEqual({
        "sql.current-catalog": "kafka-cat",
        "sql.current-database": "orders-db",
      });
    });
    expect(tablesIn(dataFile)).toEqual(["kafka-cat.orders-db.large_orders", "kafka-cat.orders-db.orders"]);

    expect(await run("preview", "--expect-no-changes")).toMatch(/10 unchanged/);
    // The credentials come from secret config: never in plain text in the state or the emulator's file.
    expect(await run("stack", "export")).not.toContain("flink-sql-Example-77");
    expect(fs.readFileSync(dataFile, "utf8")).not.toContain("flink-sql-Example-77");
  });

  it("pulumi config set stopped true, up: the INSERT is STOPPED in CMF, updated in place", async () => {
    expect(readme).toContain("pulumi config set stopped true && pulumi up");
    await run("config", "set", "stopped", "true");
    const stop = await run("up", "--yes", "--skip-preview");
    expect(stop).toMatch(/~ +1 updated/);
    expect(stop).not.toMatch(/created|deleted|replaced/);
    expect(stop).toMatch(/insertPhase *: "RUNNING" => "STOPPED"/);
    await withCmf(dataFile, async (cmf) => {
      const insert = await cmf.statements.get(ENV, INSERT);
      expect(insert?.status?.phase).toBe("STOPPED");
      expect(insert?.spec.stopped).toBe(true);
    });
  });

  it("an out-of-band rescale shows on refresh as an update; the next up restores the declared parallelism", async () => {
    await withCmf(dataFile, (cmf) => cmf.statements.rescale(ENV, INSERT, 4));

    const refresh = await run("refresh", "--yes", "--skip-preview");
    expect(refresh).toMatch(/~ +1 updated/);
    expect(refresh).toMatch(/9 unchanged/);
    const preview = await run("preview", "--diff");
    expect(preview).toMatch(/parallelism *: 4 => 1/);
    expect(preview).toMatch(/~ +1 to update/);

    expect(await run("up", "--yes", "--skip-preview")).toMatch(/~ +1 updated/);
    await withCmf(dataFile, async (cmf) => {
      const insert = await cmf.statements.get(ENV, INSERT);
      expect(insert?.spec.parallelism).toBe(1);
      expect(insert?.status?.phase).toBe("STOPPED");
    });
    expect(await run("preview", "--expect-no-changes")).toMatch(/10 unchanged/);
  });

  it("pulumi config set stopped false, up: the INSERT resumes", async () => {
    await run("config", "set", "stopped", "false");
    expect(await run("up", "--yes", "--skip-preview")).toMatch(/insertPhase *: "STOPPED" => "RUNNING"/);
    await withCmf(dataFile, async (cmf) => {
      expect((await cmf.statements.get(ENV, INSERT))?.status?.phase).toBe("RUNNING");
    });
  });

  it("destroy runs each table's onDestroy and leaves the emulator empty", async () => {
    const destroy = await run("destroy", "--yes", "--skip-preview");
    expect(destroy).toMatch(/- +10 deleted/);
    // With `onDestroy`, the tables are dropped, so there is no warning that the DDL stays.
    expect(destroy).not.toMatch(/does not undo/);
    await withCmf(dataFile, async (cmf) => {
      const left: string[] = [];
      for await (const e of cmf.environments.listAll()) left.push(`environment:${e.name}`);
      for await (const s of cmf.secrets.listAll()) left.push(`secret:${s.metadata.name}`);
      for await (const c of cmf.kafkaCatalogs.listAll()) left.push(`catalog:${c.metadata.name}`);
      expect(left).toEqual([]);
    });
    expect(tablesIn(dataFile)).toEqual([]);
  });

  it("leaves the tracked example files untouched", () => {
    expect(treeDigest(EXAMPLE)).toBe(digestBefore);
  });
});
