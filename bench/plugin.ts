/**
 * The `cmf` plugin against the dynamic resources: `pulumi up` of one environment and N applications,
 * once as a Pulumi YAML program through the plugin and once as the same graph through the TypeScript
 * dynamic resources, against the same standalone emulator (a child process), rounds alternating A B A B
 * so that a noisy moment hits both sides; and the plugin's startup time (spawn to listening port), for
 * the bundle users install and, for comparison, the same code run unbundled from `dist/`.
 *
 *   node dist/bench/plugin.js [--applications 50] [--rounds 3]
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { buildPlugin } from "../provider/plugin/build";
import { installIntoProject, REPO } from "../scripts/installed-project";
import { findPulumiTools, inlineStack, offlinePulumiEnv, withLeanBookkeeping } from "../scripts/pulumi-env";
import type { ChildServer } from "./child-server";
import { forget, resetEmulator, timedUp } from "./engine-harness";
import { BENCH_SPEC, startStandaloneEmulator } from "./fixtures";
import { summarize, type Summary } from "./stats";

export interface PluginBenchOptions {
  applications?: number;
  rounds?: number;
  /** Samples of the startup time (default 10). */
  startups?: number;
}

export interface PluginBenchResult {
  applications: number;
  rounds: number;
  up: { pluginMs: Summary; dynamicMs: Summary; ratio: Summary };
  startup: { bundleMs: Summary; unbundledMs: Summary };
  bundleBytes: number;
}

type Row = [figure: string, value: string, target: string, verdict: string];

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const spread = (s: Summary, digits = 0) =>
  `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

/** The rows `npm run bench` prints for this benchmark. */
export function pluginRows(r: PluginBenchResult): Row[] {
  return [
    [`up ${r.applications + 1} resources: plugin (YAML) ms`, spread(r.up.pluginMs), "", ""],
    [`up ${r.applications + 1} resources: dynamic (TypeScript) ms`, spread(r.up.dynamicMs), "", ""],
    ["up: plugin / dynamic", spread(r.up.ratio, 2), "≤ 1.00", r.up.ratio.median <= 1 ? "ok" : "MISSED"],
    ["plugin startup (bundle) ms", spread(r.startup.bundleMs), "", ""],
    ["plugin startup (unbundled dist/) ms", spread(r.startup.unbundledMs), "", ""],
    ["plugin bundle KiB", fmt(r.bundleBytes / 1024), "", ""],
  ];
}

function yamlProgram(pluginDir: string, applications: number): string {
  const spec = JSON.stringify(BENCH_SPEC);
  const apps = Array.from(
    { length: applications },
    (_, i) => `  bench-app-${i}:
    type: cmf:index:Application
    properties:
      environment: \${bench-env.name}
      spec: ${spec}
`,
  ).join("");
  return `name: pulumi-cmf-bench-plugin
runtime: yaml
plugins:
  providers:
    - name: cmf
      path: ${pluginDir}
resources:
  bench-env:
    type: cmf:index:Environment
    properties:
      kubernetesNamespace: bench
${apps}`;
}

/** Milliseconds from spawning `command` to its first line of output (the port), then ends it. */
function startupMs(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, [...args, "127.0.0.1:1"], { stdio: ["ignore", "pipe", "inherit"] });
    child.once("error", reject);
    child.stdout?.once("data", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      child.once("exit", () => resolve(ms));
      child.kill("SIGTERM");
    });
  });
}

/** Times the stack's `up`, then forgets it and empties the emulator for the other side's. */
async function upThenForget(stack: Stack, emulatorUrl: string): Promise<number> {
  const ms = await timedUp(stack);
  await forget(stack);
  await resetEmulator(emulatorUrl);
  return ms;
}

export async function benchPlugin(options: PluginBenchOptions = {}): Promise<PluginBenchResult> {
  const applications = options.applications ?? 50;
  const rounds = options.rounds ?? 3;
  const startups = options.startups ?? 10;
  const found = findPulumiTools();
  if ("missing" in found) throw new Error(`plugin benchmark needs the Pulumi CLI: ${found.missing}`);
  // The YAML language host as users of this repo get it (cached after its first build).
  const yamlHost = execFileSync("bash", [path.join(REPO, "scripts", "pulumi-language-yaml.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-bench-plugin-"));
  let emulator: ChildServer | undefined;
  try {
    const built = await buildPlugin(path.join(root, "plugin"));
    const bundle = path.join(built.binDir, "pulumi-resource-cmf");
    const unbundled = path.resolve(__dirname, "..", "provider", "plugin", "main.js");
    const bundleMs: number[] = [];
    const unbundledMs: number[] = [];
    for (let i = 0; i < startups; i++) {
      bundleMs.push(await startupMs(bundle, []));
      unbundledMs.push(await startupMs(process.execPath, [unbundled]));
    }

    emulator = await startStandaloneEmulator();
    const env: Record<string, string> = {
      ...offlinePulumiEnv({
        pulumiHome: path.join(root, "home"),
        backendDir: path.join(root, "state"),
        binDir: found.binDir,
      }),
      CONFLUENT_CMF_URL: emulator.url,
    };
    env.PATH = [yamlHost, env.PATH].join(path.delimiter);

    const yamlDir = path.join(root, "yaml");
    fs.mkdirSync(yamlDir);
    fs.writeFileSync(path.join(yamlDir, "Pulumi.yaml"), yamlProgram(built.binDir, applications));
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(found.binDir) });
    const project = installIntoProject(path.join(root, "project"), "pulumi-cmf-bench-plugin");
    const sdk = require(path.join(project.packageDir, "dist", "sdk", "index.js")) as typeof import("../sdk");

    let counter = 0;
    // The same CLI runs around each timed `up` on both sides (the dynamic side's come from inlineStack).
    const pluginStack = async () =>
      withLeanBookkeeping(
        await LocalWorkspace.createOrSelectStack(
          { stackName: `p${++counter}`, workDir: yamlDir },
          { pulumiHome: env.PULUMI_HOME, pulumiCommand, envVars: env },
        ),
        { binDir: found.binDir, workDir: yamlDir, env },
      );
    const dynamicStack = () =>
      inlineStack({
        tools: found,
        env,
        projectName: "pulumi-cmf-bench-plugin",
        stackName: `d${++counter}`,
        workDir: project.dir,
        program: async () => {
          const environment = new sdk.CmfEnvironment("bench-env", { kubernetesNamespace: "bench" });
          for (let i = 0; i < applications; i++) {
            new sdk.CmfApplication(`bench-app-${i}`, { environment, spec: BENCH_SPEC });
          }
        },
      });

    const pluginMs: number[] = [];
    const dynamicMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      pluginMs.push(await upThenForget(await pluginStack(), emulator.url));
      dynamicMs.push(await upThenForget(await dynamicStack(), emulator.url));
    }
    return {
      applications,
      rounds,
      up: {
        pluginMs: summarize(pluginMs),
        dynamicMs: summarize(dynamicMs),
        ratio: summarize(pluginMs.map((p, i) => p / dynamicMs[i])),
      },
      startup: { bundleMs: summarize(bundleMs), unbundledMs: summarize(unbundledMs) },
      bundleBytes: built.bundleBytes,
    };
  } finally {
    await emulator?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    const value = i >= 0 ? Number(args[i + 1]) : fallback;
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`bench/plugin: --${name} must be a positive integer`);
    return value;
  };
  benchPlugin({ applications: flag("applications", 50), rounds: flag("rounds", 3) })
    .then((result) => {
      for (const [figure, value, target, verdict] of pluginRows(result)) {
        process.stdout.write(`${figure.padEnd(44)} ${value.padEnd(22)} ${target.padEnd(8)} ${verdict}\n`);
      }
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
