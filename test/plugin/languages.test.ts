/**
 * The generated SDKs as users run them, against an emulator that requires a token, through the real
 * `pulumi` CLI and the built plugin (found on PATH like an installed plugin):
 * - Python: sdk/python installed with pip next to PyPI's `pulumi` (a venv cached outside the repo),
 *   an Automation API inline program: up, update, destroy, plus a lookup invoke;
 * - Go: sdk/go compiled into a program driving `sdk/go/auto` inline: up, destroy.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import type { PulumiTools } from "../../scripts/pulumi-env";
import { makePulumiSandbox, makeTempDir, requirePulumi } from "../support/pulumi";
import { builtPlugin } from "./plugin-process";
import { describeWhen, findGo, findPython, reapProcesses } from "./toolchains";

const execFileAsync = promisify(execFile);
const REPO = path.resolve(__dirname, "..", "..");
const TOKEN = "language-plugin-token-3";

interface RunResult {
  changes: Record<string, number>;
  outputs?: Record<string, unknown>;
}

async function runJson(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
  try {
    const { stdout } = await execFileAsync(command, args, {
      ...options,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 10 * 60 * 1000,
    });
    const line = stdout.trim().split("\n").pop() ?? "";
    return JSON.parse(line) as RunResult;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`,
      {
        cause: error,
      },
    );
  }
}

function withTools<T extends object>(found: T | { missing: string }) {
  const tools = requirePulumi();
  if (!tools) return { missing: "the Pulumi CLI" };
  return "missing" in found ? found : { ...found, tools };
}

interface Harness {
  emulator: CmfEmulator;
  cmf: CmfClient;
  pluginDir: string;
  env(tools: PulumiTools, prefix: string, extra?: Record<string, string>): NodeJS.ProcessEnv;
}

function harness(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.emulator = await CmfEmulator.start({ token: TOKEN, lifecycle: "instant" });
    h.cmf = new CmfClient({ url: h.emulator.url, token: TOKEN });
    h.pluginDir = (await builtPlugin()).binDir;
    h.env = (tools, prefix, extra = {}) => {
      const sandbox = makePulumiSandbox(tools, prefix);
      return {
        ...process.env,
        ...sandbox.env,
        // The plugin is found on PATH, as an installed `pulumi-resource-cmf` would be.
        PATH: [h.pluginDir, sandbox.env.PATH].join(path.delimiter),
        CMF_TEST_URL: h.emulator.url,
        CMF_TEST_TOKEN: TOKEN,
        ...extra,
      };
    };
  });
  afterAll(async () => {
    await h.cmf?.close();
    await h.emulator?.close();
    if (h.pluginDir) expect(await reapProcesses(h.pluginDir)).toEqual([]);
  });
  return h;
}

describeWhen(
  "cmf plugin from Python (generated SDK, Automation API)",
  withTools(findPython()),
  ({ python, tools }) => {
    jest.setTimeout(15 * 60 * 1000);
    const h = harness();

    it("up, update, destroy", async () => {
      const venv = (
        await execFileAsync("bash", [path.join(__dirname, "python", "venv.sh")], {
          env: { ...process.env, PYTHON: python },
          timeout: 10 * 60 * 1000,
        })
      ).stdout.trim();
      // Installed from a copy: a build writes egg-info next to the sources.
      const work = makeTempDir("python-sdk");
      fs.cpSync(path.join(REPO, "sdk", "python"), path.join(work, "src"), { recursive: true });
      const site = path.join(work, "site");
      await execFileAsync(
        path.join(venv, "bin", "python"),
        [
          "-m",
          "pip",
          "install",
          "--quiet",
          "--no-deps",
          "--no-build-isolation",
          "--target",
          site,
          path.join(work, "src"),
        ],
        { timeout: 5 * 60 * 1000 },
      );
      // One sandbox (Pulumi home and state backend) for the whole scenario.
      const env = h.env(tools, "python", { PYTHONPATH: site });
      const run = (action: string, parallelism: number) =>
        runJson(path.join(venv, "bin", "python"), [path.join(__dirname, "python", "program.py"), action], {
          cwd: work,
          env: { ...env, CMF_TEST_PARALLELISM: String(parallelism) },
        });

      const up = await run("up", 1);
      expect(up.changes).toEqual({ create: 3 });
      expect(up.outputs).toMatchObject({
        jobState: "RUNNING",
        parallelism: 1,
        lookedUpNamespace: "flink-py",
      });
      const app = await h.cmf.applications.get("py-prod", "orders");
      expect(app?.metadata.labels).toEqual({ team: "data" });
      expect(app?.metadata.annotations?.["pulumi-cmf/owner"]).toBe("cmf-py/dev/orders");

      const update = await run("up", 2);
      expect(update.changes).toMatchObject({ update: 1, same: 2 });
      expect((await h.cmf.applications.get("py-prod", "orders"))?.spec.job?.parallelism).toBe(2);

      const destroy = await run("destroy", 2);
      expect(destroy.changes).toEqual({ delete: 3 });
      expect(await h.cmf.environments.get("py-prod")).toBeUndefined();
    });
  },
);

describeWhen("cmf plugin from Go (generated SDK, sdk/go/auto)", withTools(findGo()), ({ go, tools }) => {
  jest.setTimeout(15 * 60 * 1000);
  const h = harness();

  it("up, destroy", async () => {
    const binary = path.join(makeTempDir("go-program"), "plugin-go-test");
    // The first build compiles the Pulumi Go SDK (minutes); Go's build cache keeps it for later runs.
    await execFileAsync(go, ["build", "-o", binary, "."], {
      cwd: path.join(__dirname, "go"),
      env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly" },
      timeout: 10 * 60 * 1000,
    });
    const work = makeTempDir("go-work");
    const env = h.env(tools, "go");
    const up = await runJson(binary, ["up"], { cwd: work, env });
    expect(up.changes).toEqual({ create: 3 });
    expect(up.outputs).toMatchObject({ jobState: "RUNNING", applicationId: "go-prod/orders" });
    expect((await h.cmf.applications.get("go-prod", "orders"))?.spec.job?.parallelism).toBe(2);

    const destroy = await runJson(binary, ["destroy"], { cwd: work, env });
    expect(destroy.changes).toEqual({ delete: 3 });
    expect(await h.cmf.environments.get("go-prod")).toBeUndefined();
  });
});
