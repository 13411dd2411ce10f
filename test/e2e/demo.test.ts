/**
 * The README's quickstart as a newcomer types it, on a machine whose first `node` is the system's Node 20
 * (/usr/bin/node) and with no `pulumi` on PATH: `npm run demo` twice (the second run changes nothing),
 * the SQL demo (`npm run demo -- sql`, then `npm run demo -- sql destroy`), an unknown verb,
 * `npm run demo -- destroy`, then `npm test` on one file.
 *
 * It runs in a copy of this working tree (so that the demo's state and the build stamp are its own).
 * What it reuses, to stay fast: the checkout's node_modules (a link: `npm ci` is not repeated), its
 * dist/ (copied with its times, so no rebuild is due), and the caches of Node 22 and of the Pulumi CLI
 * (PULUMI_CMF_CACHE). The Node 20 → Node 22 switch, the CLI lookup and the whole demo run for real.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CmfEmulator } from "pulumi-cmf/emulator";
import { describeWithPulumi, makeTempDir } from "../support/pulumi";
import { copyWorkingTree } from "../support/working-tree";

const REPO = path.resolve(__dirname, "../..");
const SYSTEM_NODE = "/usr/bin/node";
const CACHE =
  process.env.PULUMI_CMF_CACHE ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "pulumi-cmf");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

describeWithPulumi("the quickstart on a fresh shell with the system's Node 20 first on PATH", () => {
  jest.setTimeout(8 * 60 * 1000);
  const hasOldNode =
    fs.existsSync(SYSTEM_NODE) &&
    !/^v(2[3-9]|22\.(19|[2-9]\d))/.test(execFileSync(SYSTEM_NODE, ["--version"], { encoding: "utf8" }));
  let copy: string;
  let home: string;

  function npm(args: string[]): Promise<Run> {
    const started = Date.now();
    return new Promise((resolve) => {
      const child = spawn("npm", args, {
        cwd: copy,
        env: {
          // A fresh login shell's PATH: the system's node and npm, no `pulumi`, no Node 22.
          PATH: "/usr/bin:/bin",
          HOME: home,
          // CI, and the markers by which the test run and .ci/run find processes that outlive them.
          ...Object.fromEntries(
            Object.entries(process.env).filter(([key]) => key === "CI" || key.startsWith("PULUMI_CMF_")),
          ),
          PULUMI_CMF_CACHE: CACHE,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("close", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
    });
  }

  beforeAll(() => {
    if (!hasOldNode)
      throw new Error(`this test needs the system's Node.js older than 22.19 at ${SYSTEM_NODE}`);
    copy = copyWorkingTree(makeTempDir("quickstart"), { withDist: true });
    home = makeTempDir("quickstart-home");
  });

  afterAll(() => {
    if (copy) fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it("is what the README says", () => {
    const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toContain("npm run demo -- destroy");
    expect(readme).toContain("npm run demo -- sql");
    // scripts/demo.sh checks the verb before anything slow; scripts/demo.ts knows the same verbs.
    const shVerbs = /^\s+(up \| preview[^)]*)\)/m.exec(
      fs.readFileSync(path.join(REPO, "scripts/demo.sh"), "utf8"),
    );
    const tsVerbs = /const ACTIONS = \[([^\]]*)\]/.exec(
      fs.readFileSync(path.join(REPO, "scripts/demo.ts"), "utf8"),
    );
    expect(shVerbs?.[1].split(" | ")).toEqual(tsVerbs?.[1].split(", ").map((v) => JSON.parse(v)));
    const shSql = /\[ "\$action" = (\w+) \]/.exec(
      fs.readFileSync(path.join(REPO, "scripts/demo.sh"), "utf8"),
    );
    const tsSql = /const SQL = "(\w+)"/.exec(fs.readFileSync(path.join(REPO, "scripts/demo.ts"), "utf8"));
    expect(shSql?.[1]).toBe("sql");
    expect(tsSql?.[1]).toBe("sql");
  });

  it("npm run demo: switches to the cached Node 22, says so, creates the environment and a RUNNING application", async () => {
    const first = await npm(["run", "demo"]);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stderr).toMatch(
      new RegExp(`node22: your node is v20\\.[\\d.]+; using node v22\\.[\\d.]+ from ${CACHE}/node22`),
    );
    expect(first.stderr).toMatch(/pulumi-cli: using cached pulumi v3\.276\.0/);
    expect(first.stderr).not.toMatch(/build: sources changed/);
    expect(first.stdout).toMatch(/\+ +3 created/);
    expect(first.stdout).toMatch(/environmentName\s*: "demo"/);
    expect(first.stdout).toMatch(/applicationName\s*: "orders"/);
    expect(first.stdout).toMatch(/jobState\s*: "RUNNING"/);
    expect(first.stderr).not.toMatch(/EBADENGINE|Cannot read properties/);
    expect(first.stdout).toContain("`npm run demo -- sql` shows CMF SQL.");

    const second = await npm(["run", "demo"]);
    expect(second).toMatchObject({ code: 0 });
    expect(second.stdout).toMatch(/3 unchanged/);
    expect(second.stdout).not.toMatch(/created|updated|replaced/);
    expect(fs.readdirSync(copy).filter((f) => /^Pulumi\..+\.yaml$/.test(f))).toEqual([]);
  });

  it("npm run demo -- sql: the CMF SQL example on the same emulator, a RUNNING INSERT; sql destroy removes it alone", async () => {
    const up = await npm(["run", "demo", "--", "sql"]);
    expect(up).toMatchObject({ code: 0 });
    expect(up.stderr).not.toMatch(/build: sources changed/);
    expect(up.stdout).toMatch(/\+ +10 created/);
    expect(up.stdout).toMatch(/\+ +pulumi-nodejs:dynamic\/cmf:KafkaDatabase orders-db created/);
    expect(up.stdout).toMatch(/poolPhase\s*: "RUNNING"/);
    expect(up.stdout).toMatch(/tablesCreated\s*: \[\s*\[0\]: "COMPLETED"\s*\[1\]: "COMPLETED"\s*\]/);
    expect(up.stdout).toMatch(/insertPhase\s*: "RUNNING"/);
    expect(up.stdout).toContain("`npm run demo -- sql destroy` to remove it.");
    // The example runs from a copy in the demo folder: its tracked folder gets no stack file.
    expect(fs.readdirSync(path.join(copy, "examples", "flink-sql")).sort()).toEqual([
      "Pulumi.yaml",
      "README.md",
      "index.ts",
      "package.json",
      "tsconfig.json",
    ]);
    const dataFile = path.join(copy, ".pulumi-demo", "cmf-emulator.json");
    const environments = async () => {
      const emulator = await CmfEmulator.start({ dataFile });
      try {
        const get = async (p: string) => (await fetch(`${emulator.url}/cmf/api/v1${p}`)).json();
        const page = (await get("/environments")) as { items: { name: string }[] };
        const insert = (await get("/environments/flink-sql/statements/copy-large-orders")) as {
          status?: { phase?: string };
        };
        return { names: page.items.map((e) => e.name).sort(), insertPhase: insert.status?.phase };
      } finally {
        await emulator.close();
      }
    };
    expect(await environments()).toEqual({ names: ["demo", "flink-sql"], insertPhase: "RUNNING" });

    const destroy = await npm(["run", "demo", "--", "sql", "destroy"]);
    expect(destroy).toMatchObject({ code: 0 });
    expect(destroy.stdout).toMatch(/- +10 deleted/);
    expect(await environments()).toEqual({ names: ["demo"], insertPhase: undefined });
  });

  it("rejects an unknown verb at once, without compiling, even when sources changed", async () => {
    const source = path.join(copy, "sdk", "index.ts");
    const later = new Date(Date.now() + 1000);
    fs.utimesSync(source, later, later);
    const run = await npm(["run", "demo", "--", "destory"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "demo: unknown action 'destory'; use one of: up, preview, refresh, destroy (after 'sql' for the SQL demo)",
    );
    expect(run.stderr).not.toMatch(/build:|node22:/);
    const sql = await npm(["run", "demo", "--", "sql", "destory"]);
    expect(sql.code).toBe(2);
    expect(sql.stderr).toContain("demo: unknown action 'destory'");
    expect(sql.stderr).not.toMatch(/build:|node22:/);
  });

  it("npm run demo -- destroy rebuilds what changed, then removes everything from the emulator", async () => {
    const run = await npm(["run", "demo", "--", "destroy"]);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stderr).toMatch(/build: sources changed since the last build; compiling/);
    expect(run.stdout).toMatch(/- +3 deleted/);
    const emulator = await CmfEmulator.start({
      dataFile: path.join(copy, ".pulumi-demo", "cmf-emulator.json"),
    });
    try {
      const page = (await (await fetch(`${emulator.url}/cmf/api/v1/environments`)).json()) as {
        metadata: { size: number };
      };
      expect(page.metadata.size).toBe(0);
    } finally {
      await emulator.close();
    }
  });

  it("npm test runs Jest under Node 22 with the Pulumi CLI on PATH", async () => {
    const run = await npm(["test", "--", "test/client/https-to-plain-http.test.ts"]);
    expect(run.stderr).toMatch(/node22: your node is v20/);
    expect(run.stderr).toMatch(/Tests: +\d+ passed, \d+ total/);
    expect(run.code).toBe(0);
  });
});
