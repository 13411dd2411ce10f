/**
 * What pulumi-cmf adds on top of the Pulumi engine: `pulumi up`, a no-op `preview` and `refresh` of a
 * graph (`./engine-graphs`: 1 environment + N applications, or 1 environment + 1 pool + N statements),
 * against the same tiers of no-op dynamic resources in the same engine setup (the floor the engine
 * itself imposes). Each round makes both stacks afresh, then previews and refreshes them in turn, a few
 * times; ratios are taken between figures taken side by side. Runs once with a standalone emulator (a
 * child process, whose request counters show what each step sent) and once with the embedded emulator
 * (`cmf:emulator`). With the standalone emulator, the read floor (no-op resources whose `read` makes one
 * bare GET of the program's objects) is refreshed in turn with the other two, which splits a refresh's
 * ratio into what the requests cost by themselves and what pulumi-cmf adds to them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import type { ChildServer } from "./child-server";
import {
  forget,
  openEngineHarness,
  resetEmulator,
  timedUp,
  serverFieldsOf,
  type EngineHarness,
  type ExportedResource,
} from "./engine-harness";
import type { EngineGraph } from "./engine-graphs";
import { startStandaloneEmulator } from "./fixtures";
import { floorKey } from "./floor-outputs";
import { interleaved, summarize, timeMs, type Summary } from "./stats";

export interface EngineBenchOptions {
  graph: EngineGraph;
  size: number;
  rounds?: number;
  /** No-op previews and refreshes of each side per round (default DEFAULT_REPEATS). */
  repeats?: number;
}

/**
 * Each figure is then a median of rounds × 5 ratios. With 3, a median of 9 moved between runs by as
 * much as the targets' margins (docs/benchmarks.md, "Noise").
 */
export const DEFAULT_REPEATS = 5;

/**
 * Up to this many resources a graph's `up` is timed `repeats` times per round, above it once. An `up` of
 * 51 or 52 resources takes about 2 s, and with one per round its figure was a median of 3 ratios, which
 * moved between runs by more than its margin (the statements' embedded `up` at 50 read 1.18, 1.10 and
 * 1.03 in three runs against ≤ 1.15; docs/benchmarks.md, "Five ups per round"). An `up` of 500 takes
 * about 40 s, and its ratio sits near 0.8: three samples do.
 */
const SMALL_GRAPH_RESOURCES = 100;

interface StepFigures {
  cmfMs: Summary;
  floorMs: Summary;
  ratio: Summary;
}

export interface EngineModeResult {
  up: StepFigures;
  preview: StepFigures;
  refresh: StepFigures;
  /** Standalone only: HTTP requests the emulator received during each of pulumi-cmf's steps. */
  requests?: { previewWrites: Summary; refreshGetsPerResource: Summary; refreshRequestsPerResource: Summary };
  /**
   * Standalone only: the refresh of the read floor (the floor whose `read` makes one bare GET of the same
   * object), its ratio to the no-op floor (what one request per resource costs by itself) and pulumi-cmf's
   * refresh over it (what pulumi-cmf adds to that request), refresh by refresh.
   */
  readFloor?: { refreshMs: Summary; overFloor: Summary; cmfOverReadFloor: Summary };
  /**
   * Standalone only: the bare floor (the floor without the server fields CMF adds to each object, as
   * the floor was before 2026-12-02), previewed and refreshed in turn with the other sides: the floor ÷
   * it is what carrying CMF's state costs Pulumi by itself, and pulumi-cmf ÷ it the ratio as measured
   * before.
   */
  bareFloor?: {
    previewMs: Summary;
    refreshMs: Summary;
    floorOverBare: { preview: Summary; refresh: Summary };
    cmfOverBare: { preview: Summary; refresh: Summary };
  };
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
  repeats: number;
  /** `up`s of each side per round. */
  upsPerRound: number;
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

async function timedNoopPreview(stack: Stack): Promise<number> {
  return timeMs(async () => {
    const preview = await stack.preview();
    const changed = Object.entries(preview.changeSummary).filter(([op, n]) => op !== "same" && n > 0);
    if (changed.length > 0) throw new Error(`no-op preview reported changes: ${JSON.stringify(changed)}`);
  });
}

/**
 * Runs a timed step; when `stats` is given, hands `record` the emulator's counters from just before
 * and just after it.
 */
async function counted(
  step: () => Promise<number>,
  stats: (() => Promise<Stats>) | undefined,
  record: (before: Stats, after: Stats) => void,
): Promise<number> {
  const before = await stats?.();
  const ms = await step();
  const after = await stats?.();
  if (before && after) record(before, after);
  return ms;
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
  const repeats = options.repeats ?? DEFAULT_REPEATS;
  const resources = graph.tiers(size).reduce((a, b) => a + b, 0);
  const upsPerRound = resources <= SMALL_GRAPH_RESOURCES ? repeats : 1;
  const harness = openEngineHarness(graph.bench);
  // Made after measureStateCost has recorded the server fields the floor copies.
  const floorStack = () => harness.stack(harness.floorProgram(graph, size), harness.withServerFields());

  let emulator: ChildServer | undefined;
  try {
    emulator = await startStandaloneEmulator();
    const url = emulator.url;
    const standaloneStack = () => harness.stack(harness.cmfProgram(graph, size), { CONFLUENT_CMF_URL: url });
    const resetStandalone = () => resetEmulator(url);

    /**
     * Each round makes both stacks afresh, timing their `up`s (`upsPerRound` pairs, each but the last
     * forgotten and its CMF emptied before the next), then times `repeats` no-op previews and
     * refreshes of each, interleaved (`interleaved`: ratios are taken between figures taken side by
     * side), each group after one unmeasured step of the floor's (the first step after the `up`s mostly
     * ran slower, on whichever side went first). Then both stacks are forgotten and `reset` empties the
     * CMF behind pulumi-cmf's (undeleted objects would make the next round's creates fail).
     */
    const runMode = async (
      cmfStack: () => Promise<Stack>,
      reset: () => Promise<void>,
      standalone: boolean,
    ): Promise<EngineModeResult> => {
      const cmf = { up: [] as number[], preview: [] as number[], refresh: [] as number[] };
      const floor = { up: [] as number[], preview: [] as number[], refresh: [] as number[] };
      const stats = standalone ? () => emulatorStats(url) : undefined;
      const writes: number[] = [];
      const refreshGets: number[] = [];
      const refreshAll: number[] = [];
      const readFloor: number[] = [];
      const bare = { preview: [] as number[], refresh: [] as number[] };
      // It reads pulumi-cmf's objects by name, which every round gives the same: one stack (its up
      // untimed, before any object exists: its create sends nothing) serves them all. The bare floor
      // reads nothing: one stack serves all rounds too.
      const readFloorStack = standalone
        ? await harness.stack(harness.readFloorProgram(graph, size, url), harness.withServerFields())
        : undefined;
      const bareFloorStack = standalone
        ? await harness.stack(harness.floorProgram(graph, size), {})
        : undefined;
      await readFloorStack?.up();
      await bareFloorStack?.up();
      // One pair of fresh stacks, their `up`s timed side by side; `start` rotates which goes first.
      const upPair = async (start: number) => {
        const a = await cmfStack();
        const b = await floorStack();
        const ups = await interleaved(1, { cmf: () => timedUp(a), floor: () => timedUp(b) }, start);
        cmf.up.push(...ups.cmf);
        floor.up.push(...ups.floor);
        return { a, b };
      };
      for (let round = 0; round < rounds; round++) {
        // Every up but the round's last starts from empty stacks and an empty CMF and leaves them so.
        for (let extra = 1; extra < upsPerRound; extra++) {
          const { a, b } = await upPair(round * upsPerRound + extra);
          await forget(a);
          await forget(b);
          await reset();
        }
        const { a, b } = await upPair(round * upsPerRound);
        const previewSteps: Record<string, () => Promise<number>> = {
          cmf: () =>
            counted(
              () => timedNoopPreview(a),
              stats,
              (before, after) => writes.push(after.writes - before.writes),
            ),
          floor: () => timedNoopPreview(b),
        };
        if (bareFloorStack) previewSteps.bareFloor = () => timedNoopPreview(bareFloorStack);
        const previews = await interleaved(repeats, previewSteps, round, "floor");
        const refreshSteps: Record<string, () => Promise<number>> = {
          cmf: () =>
            counted(
              () => timeMs(() => a.refresh()),
              stats,
              (before, after) => {
                refreshGets.push(((after.requests.GET ?? 0) - (before.requests.GET ?? 0)) / resources);
                refreshAll.push((after.total - before.total) / resources);
              },
            ),
          floor: () => timeMs(() => b.refresh()),
        };
        if (readFloorStack) refreshSteps.readFloor = () => timeMs(() => readFloorStack.refresh());
        if (bareFloorStack) refreshSteps.bareFloor = () => timeMs(() => bareFloorStack.refresh());
        const refreshes = await interleaved(repeats, refreshSteps, round, "floor");
        await forget(a);
        await forget(b);
        await reset();
        cmf.preview.push(...previews.cmf);
        floor.preview.push(...previews.floor);
        cmf.refresh.push(...refreshes.cmf);
        floor.refresh.push(...refreshes.floor);
        readFloor.push(...(refreshes.readFloor ?? []));
        bare.preview.push(...(previews.bareFloor ?? []));
        bare.refresh.push(...(refreshes.bareFloor ?? []));
      }
      if (readFloorStack) await forget(readFloorStack);
      if (bareFloorStack) await forget(bareFloorStack);
      const over = (xs: number[], ys: number[]) => summarize(xs.map((x, i) => x / ys[i]));
      return {
        up: figures(cmf.up, floor.up),
        preview: figures(cmf.preview, floor.preview),
        refresh: figures(cmf.refresh, floor.refresh),
        requests: standalone
          ? {
              previewWrites: summarize(writes),
              refreshGetsPerResource: summarize(refreshGets),
              refreshRequestsPerResource: summarize(refreshAll),
            }
          : undefined,
        readFloor: standalone
          ? {
              refreshMs: summarize(readFloor),
              overFloor: summarize(readFloor.map((r, i) => r / floor.refresh[i])),
              cmfOverReadFloor: summarize(cmf.refresh.map((c, i) => c / readFloor[i])),
            }
          : undefined,
        bareFloor: standalone
          ? {
              previewMs: summarize(bare.preview),
              refreshMs: summarize(bare.refresh),
              floorOverBare: {
                preview: over(floor.preview, bare.preview),
                refresh: over(floor.refresh, bare.refresh),
              },
              cmfOverBare: {
                preview: over(cmf.preview, bare.preview),
                refresh: over(cmf.refresh, bare.refresh),
              },
            }
          : undefined,
      };
    };

    const stateCost = await measureStateCost(
      harness,
      graph,
      size,
      standaloneStack,
      floorStack,
      resetStandalone,
    );
    const standalone = await runMode(standaloneStack, resetStandalone, true);
    const embeddedFile = path.join(harness.root, "embedded-emulator.json");
    const embedded = await runMode(
      () => harness.stack(harness.cmfProgram(graph, size), { CMF_EMULATOR: embeddedFile }),
      async () => fs.rmSync(embeddedFile, { force: true }),
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
      repeats,
      upsPerRound,
      standalone,
      embedded,
      stateCost,
    };
  } finally {
    await emulator?.stop();
    harness.close();
  }
}

/**
 * Deploys the CMF program once, records the server fields of its objects for the floor to copy
 * (`EngineHarness.recordServerFields`), then deploys the floor and checks that each of its resources
 * carries them, and that both stacks hold as many resources as the graph's tiers count.
 */
async function measureStateCost(
  harness: EngineHarness,
  graph: EngineGraph,
  size: number,
  cmfStack: () => Promise<Stack>,
  floorStack: () => Promise<Stack>,
  reset: () => Promise<void>,
): Promise<StateCost> {
  const resources = graph.tiers(size).reduce((a, b) => a + b, 0);
  const deployed = async (stackFor: () => Promise<Stack>, prefix: string) => {
    const stack = await stackFor();
    await stack.up();
    const deployment = (await stack.exportStack()).deployment as { resources: ExportedResource[] };
    const ours = deployment.resources.filter((r) => r.type.startsWith(prefix));
    if (ours.length !== resources) {
      throw new Error(`bench: the ${prefix} stack holds ${ours.length} resources, its graph ${resources}`);
    }
    await forget(stack);
    return ours;
  };
  const bytes = (rs: ExportedResource[]) =>
    rs.reduce((sum, r) => sum + JSON.stringify(r).length, 0) / rs.length;
  const cmf = await deployed(cmfStack, "pulumi-nodejs:dynamic/cmf:");
  harness.recordServerFields(cmf, graph, size);
  await reset();
  const floor = await deployed(floorStack, "pulumi-nodejs:dynamic/bench:");
  const expected = serverFieldsOf(cmf, graph, size);
  for (const r of floor) {
    const key = floorKey(r.urn.slice(r.urn.lastIndexOf("::") + 2));
    const missing = Object.keys(expected[key] ?? {}).filter((field) => !(field in (r.outputs ?? {})));
    if (!expected[key] || missing.length > 0) {
      throw new Error(`bench: the floor's ${r.urn} lacks the server fields ${missing.join(", ") || key}`);
    }
  }
  const provider = cmf[0]?.inputs?.__provider;
  return {
    providerBytes: typeof provider === "string" ? provider.length : NaN,
    stateBytesPerResource: bytes(cmf),
    floorStateBytesPerResource: bytes(floor),
  };
}
