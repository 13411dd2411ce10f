/**
 * What pulumi-cmf adds on top of the Pulumi engine: `pulumi up`, a no-op `preview` and `refresh` of a
 * graph (`./engine-graphs`: 1 environment + N applications, or 1 environment + 1 pool + N statements),
 * against the same tiers of no-op dynamic resources in the same engine setup (the floor the engine
 * itself imposes). Rounds alternate CMF stack and floor stack; ratios are
 * taken round by round. Runs once with a standalone emulator (a child process, whose request counters
 * show what each step sent) and once with the embedded emulator (`cmf:emulator`). With the standalone
 * emulator, each round also refreshes the read floor (no-op resources whose `read` makes one bare GET of
 * the program's objects), which splits a refresh's ratio into what the requests cost by themselves and
 * what pulumi-cmf adds to them.
 */
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import type { ChildServer } from "./child-server";
import { openEngineHarness, teardown } from "./engine-harness";
import type { EngineGraph } from "./engine-graphs";
import { startStandaloneEmulator } from "./fixtures";
import { summarize, timeMs, type Summary } from "./stats";

export interface EngineBenchOptions {
  graph: EngineGraph;
  size: number;
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
  /**
   * Standalone only: the refresh of the read floor (the floor whose `read` makes one bare GET of the same
   * object), its ratio to the no-op floor (what one request per resource costs by itself) and pulumi-cmf's
   * refresh over it (what pulumi-cmf adds to that request), round by round.
   */
  readFloor?: { refreshMs: Summary; overFloor: Summary; cmfOverReadFloor: Summary };
}

export interface StateCost {
  providerBytes: number;
  /** Mean bytes of one resource in the exported state (inputs, outputs and metadata). */
  stateBytesPerResource: number;
  floorStateBytesPerResource: number;
}

export interface EngineBenchResult {
  /** The graph's benchmark name, what its size counts and the table's title. */
  graph: EngineGraph["bench"];
  unit: string;
  title: string;
  size: number;
  resources: number;
  rounds: number;
  standalone: EngineModeResult;
  embedded: EngineModeResult;
  stateCost: StateCost;
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

function figures(cmf: number[], floor: number[]): StepFigures {
  return {
    cmfMs: summarize(cmf),
    floorMs: summarize(floor),
    ratio: summarize(cmf.map((c, i) => c / floor[i])),
  };
}

export async function benchEngine(options: EngineBenchOptions): Promise<EngineBenchResult> {
  const { graph, size } = options;
  if (size < graph.minimum)
    throw new Error(`bench: the ${graph.bench} graph needs at least ${graph.minimum} ${graph.unit}`);
  const rounds = options.rounds ?? 3;
  const resources = graph.tiers(size).reduce((a, b) => a + b, 0);
  const harness = openEngineHarness(graph.bench);
  const floorStack = () => harness.stack(harness.floorProgram(graph, size), {});

  let emulator: ChildServer | undefined;
  try {
    emulator = await startStandaloneEmulator();
    const url = emulator.url;
    const standaloneStack = () => harness.stack(harness.cmfProgram(graph, size), { CONFLUENT_CMF_URL: url });
    const readFloorRefreshMs = async () => {
      const stack = await harness.stack(harness.readFloorProgram(graph, size, url), {});
      await stack.up();
      const ms = await timeMs(() => stack.refresh());
      await teardown(stack);
      return ms;
    };

    const runMode = async (cmfStack: () => Promise<Stack>, counted: boolean): Promise<EngineModeResult> => {
      const cmf = { up: [] as number[], preview: [] as number[], refresh: [] as number[] };
      const floor = { up: [] as number[], preview: [] as number[], refresh: [] as number[] };
      const writes: number[] = [];
      const refreshGets: number[] = [];
      const refreshAll: number[] = [];
      const readFloor: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const a = await lifecycle(cmfStack, counted ? () => emulatorStats(url) : undefined);
        // Right after pulumi-cmf's refresh, while its objects exist; untimed up, timed refresh.
        if (counted) readFloor.push(await readFloorRefreshMs());
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
        readFloor: counted
          ? {
              refreshMs: summarize(readFloor),
              overFloor: summarize(readFloor.map((r, i) => r / floor.refresh[i])),
              cmfOverReadFloor: summarize(cmf.refresh.map((c, i) => c / readFloor[i])),
            }
          : undefined,
      };
    };

    const stateCost = await measureStateCost(standaloneStack, floorStack, resources);
    const standalone = await runMode(standaloneStack, true);
    const embeddedFile = path.join(harness.root, "embedded-emulator.json");
    const embedded = await runMode(
      () => harness.stack(harness.cmfProgram(graph, size), { CMF_EMULATOR: embeddedFile }),
      false,
    );
    const { bench, unit } = graph;
    return {
      graph: bench,
      unit,
      title: graph.title(size),
      size,
      resources,
      rounds,
      standalone,
      embedded,
      stateCost,
    };
  } finally {
    await emulator?.stop();
    harness.close();
  }
}

interface ExportedResource {
  type: string;
  inputs?: Record<string, unknown>;
}

/** Also checks that both programs deploy as many resources as the graph's tiers count. */
async function measureStateCost(
  cmfStack: () => Promise<Stack>,
  floorStack: () => Promise<Stack>,
  resources: number,
): Promise<StateCost> {
  const perResource = async (stackFor: () => Promise<Stack>, prefix: string) => {
    const stack = await stackFor();
    await stack.up();
    const deployment = (await stack.exportStack()).deployment as { resources: ExportedResource[] };
    const ours = deployment.resources.filter((r) => r.type.startsWith(prefix));
    if (ours.length !== resources) {
      throw new Error(`bench: the ${prefix} stack holds ${ours.length} resources, its graph ${resources}`);
    }
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
