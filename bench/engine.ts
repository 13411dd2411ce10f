/**
 * What pulumi-cmf adds on top of the Pulumi engine: `pulumi up`, a no-op `preview` and `refresh` of one
 * environment and N applications, against the same number of no-op dynamic resources in the same engine
 * setup (the floor the engine itself imposes). Rounds alternate CMF stack and floor stack; ratios are
 * taken round by round. Runs once with a standalone emulator (a child process, whose request counters
 * show what each step sent) and once with the embedded emulator (`cmf:emulator`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { findPulumiTools, inlineStack, offlinePulumiEnv, type PulumiTools } from "../scripts/pulumi-env";
import { installIntoProject } from "../scripts/installed-project";
import type { ChildServer } from "./child-server";
import { BENCH_SPEC, startStandaloneEmulator } from "./fixtures";
import { summarize, timeMs, type Summary } from "./stats";

export interface EngineBenchOptions {
  applications?: number;
  rounds?: number;
}

interface StepFigures {
  cmfMs: Summary;
  floorMs: Summary;
  ratio: Summary;
}

export interface EngineModeResult {
  up: StepFigures;
  preview: StepFigures;
  refresh: StepFigures;
  /** Standalone only: HTTP requests the emulator received during each step, per round. */
  requests?: { previewWrites: Summary; refreshGetsPerResource: Summary; refreshRequestsPerResource: Summary };
}

export interface StateCost {
  providerBytes: number;
  /** Mean bytes of one resource in the exported state (inputs, outputs and metadata). */
  stateBytesPerResource: number;
  floorStateBytesPerResource: number;
}

export interface EngineBenchResult {
  applications: number;
  resources: number;
  rounds: number;
  standalone: EngineModeResult;
  embedded: EngineModeResult;
  stateCost: StateCost;
}

type Sdk = typeof import("../sdk");

function cmfProgram(sdk: Sdk, applications: number): () => Promise<void> {
  const { CmfApplication, CmfEnvironment } = sdk;
  return async () => {
    const environment = new CmfEnvironment("bench-env", { kubernetesNamespace: "bench" });
    for (let i = 0; i < applications; i++) {
      new CmfApplication(`bench-app-${i}`, { environment, spec: BENCH_SPEC });
    }
  };
}

const noopProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Record<string, unknown>) {
    return { id: String(inputs.name), outs: inputs };
  },
  async diff() {
    return { changes: false };
  },
  async read(id: string, props: Record<string, unknown>) {
    return { id, props };
  },
  async update(_id: string, _olds: unknown, news: Record<string, unknown>) {
    return { outs: news };
  },
  async delete() {},
};

class NoopResource extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, parent?: pulumi.Input<string>) {
    super(noopProvider, name, { name, parent, spec: BENCH_SPEC }, {}, "bench", "Noop");
  }
}

/**
 * The same graph as the CMF program, one root and N resources whose inputs take the root's output, so
 * that the ratio measures what pulumi-cmf adds and not the cost of a two-level dependency graph.
 */
function floorProgram(applications: number): () => Promise<void> {
  return async () => {
    const root = new NoopResource("noop-root");
    for (let i = 0; i < applications; i++) new NoopResource(`noop-${i}`, root.name);
  };
}

interface Stats {
  requests: Record<string, number>;
  total: number;
  writes: number;
}

async function emulatorStats(url: string): Promise<Stats> {
  return (await fetch(`${url}/_emulator/stats`)).json() as Promise<Stats>;
}

interface Lifecycle {
  upMs: number;
  previewMs: number;
  refreshMs: number;
  /** Emulator counters after up, after preview and after refresh (standalone only). */
  counters?: [Stats, Stats, Stats];
  stack: Stack;
}

/** Fresh stack → up → no-op preview → refresh (all timed), leaving the stack up for the caller. */
async function lifecycle(stackFor: () => Promise<Stack>, stats?: () => Promise<Stats>): Promise<Lifecycle> {
  const stack = await stackFor();
  const upMs = await timeMs(async () => {
    const result = await stack.up();
    if (result.summary.result !== "succeeded") throw new Error(`up: ${result.summary.result}`);
  });
  const afterUp = await stats?.();
  const previewMs = await timeMs(async () => {
    const preview = await stack.preview();
    const changed = Object.entries(preview.changeSummary).filter(([op, n]) => op !== "same" && n > 0);
    if (changed.length > 0) throw new Error(`no-op preview reported changes: ${JSON.stringify(changed)}`);
  });
  const afterPreview = await stats?.();
  const refreshMs = await timeMs(() => stack.refresh());
  const afterRefresh = await stats?.();
  const counters =
    afterUp && afterPreview && afterRefresh ? ([afterUp, afterPreview, afterRefresh] as const) : undefined;
  return { upMs, previewMs, refreshMs, stack, counters: counters && [...counters] };
}

async function teardown(stack: Stack): Promise<void> {
  await stack.destroy();
  await stack.workspace.removeStack(stack.name);
}

function figures(cmf: number[], floor: number[]): StepFigures {
  return {
    cmfMs: summarize(cmf),
    floorMs: summarize(floor),
    ratio: summarize(cmf.map((c, i) => c / floor[i])),
  };
}

export async function benchEngine(options: EngineBenchOptions = {}): Promise<EngineBenchResult> {
  const applications = options.applications ?? 50;
  const rounds = options.rounds ?? 3;
  const found = findPulumiTools();
  if ("missing" in found) throw new Error(`engine benchmark needs the Pulumi CLI: ${found.missing}`);
  const tools: PulumiTools = found;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-bench-engine-"));
  // The program loads pulumi-cmf from an installed copy, as a user's does (that decides how the
  // provider is serialized into the state).
  const project = installIntoProject(path.join(root, "project"), "pulumi-cmf-bench");
  const workDir = project.dir;
  const sdk = require(path.join(project.packageDir, "dist", "sdk", "index.js")) as Sdk;
  const env = offlinePulumiEnv({
    pulumiHome: path.join(root, "home"),
    backendDir: path.join(root, "state"),
    binDir: tools.binDir,
  });
  let stackCounter = 0;
  const makeStack = (program: () => Promise<void>, extra: Record<string, string>) => () =>
    inlineStack({
      tools,
      env: { ...env, ...extra },
      projectName: "pulumi-cmf-bench",
      stackName: `s${++stackCounter}`,
      program,
      workDir,
    });
  const floorStack = makeStack(floorProgram(applications), {});

  let emulator: ChildServer | undefined;
  try {
    emulator = await startStandaloneEmulator();
    const url = emulator.url;
    const standaloneStack = makeStack(cmfProgram(sdk, applications), { CONFLUENT_CMF_URL: url });

    const runMode = async (cmfStack: () => Promise<Stack>, counted: boolean): Promise<EngineModeResult> => {
      const cmf = { up: [] as number[], preview: [] as number[], refresh: [] as number[] };
      const floor = { up: [] as number[], preview: [] as number[], refresh: [] as number[] };
      const writes: number[] = [];
      const refreshGets: number[] = [];
      const refreshAll: number[] = [];
      const resources = applications + 1;
      for (let round = 0; round < rounds; round++) {
        const a = await lifecycle(cmfStack, counted ? () => emulatorStats(url) : undefined);
        await teardown(a.stack);
        const b = await lifecycle(floorStack);
        await teardown(b.stack);
        cmf.up.push(a.upMs);
        cmf.preview.push(a.previewMs);
        cmf.refresh.push(a.refreshMs);
        floor.up.push(b.upMs);
        floor.preview.push(b.previewMs);
        floor.refresh.push(b.refreshMs);
        if (a.counters) {
          const [afterUp, afterPreview, afterRefresh] = a.counters;
          const gets = (x: Stats) => x.requests.GET ?? 0;
          writes.push(afterPreview.writes - afterUp.writes);
          refreshGets.push((gets(afterRefresh) - gets(afterPreview)) / resources);
          refreshAll.push((afterRefresh.total - afterPreview.total) / resources);
        }
      }
      return {
        up: figures(cmf.up, floor.up),
        preview: figures(cmf.preview, floor.preview),
        refresh: figures(cmf.refresh, floor.refresh),
        requests: counted
          ? {
              previewWrites: summarize(writes),
              refreshGetsPerResource: summarize(refreshGets),
              refreshRequestsPerResource: summarize(refreshAll),
            }
          : undefined,
      };
    };

    const stateCost = await measureStateCost(standaloneStack, floorStack);
    const standalone = await runMode(standaloneStack, true);
    const embeddedFile = path.join(root, "embedded-emulator.json");
    const embedded = await runMode(
      makeStack(cmfProgram(sdk, applications), { CMF_EMULATOR: embeddedFile }),
      false,
    );
    return { applications, resources: applications + 1, rounds, standalone, embedded, stateCost };
  } finally {
    await emulator?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

interface ExportedResource {
  type: string;
  inputs?: Record<string, unknown>;
}

async function measureStateCost(
  cmfStack: () => Promise<Stack>,
  floorStack: () => Promise<Stack>,
): Promise<StateCost> {
  const perResource = async (stackFor: () => Promise<Stack>, prefix: string) => {
    const stack = await stackFor();
    await stack.up();
    const deployment = (await stack.exportStack()).deployment as { resources: ExportedResource[] };
    const ours = deployment.resources.filter((r) => r.type.startsWith(prefix));
    const bytes = ours.reduce((sum, r) => sum + JSON.stringify(r).length, 0) / ours.length;
    const provider = ours[0]?.inputs?.__provider;
    await teardown(stack);
    return { bytes, providerBytes: typeof provider === "string" ? provider.length : NaN };
  };
  const cmf = await perResource(cmfStack, "pulumi-nodejs:dynamic/cmf:");
  const floor = await perResource(floorStack, "pulumi-nodejs:dynamic/bench:");
  return {
    providerBytes: cmf.providerBytes,
    stateBytesPerResource: cmf.bytes,
    floorStateBytesPerResource: floor.bytes,
  };
}
