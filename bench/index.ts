/**
 * `npm run bench [-- --only engine,engine-sql,client,throughput,scale,profile,concurrency,plugin]
 *   [--applications 50,500] [--statements 50,500] [--rounds 3] [--repeats 5] [--requests 1000] [--client-rounds 15] [--seconds 3] [--scale 1000,10000]
 *   [--parallel 16,4] [--out file.json] [--strict]`
 *
 * Every figure is the median of several runs with min and max; each ratio is taken between two figures
 * taken one right after the other (in the engine graphs, in rotating order: A B, B A, …) so that a noisy
 * moment of this shared machine hits both sides alike. Prints a table, marks every
 * target not met MISSED (and with --strict exits 1 then), and writes every figure as JSON (default
 * bench/results/bench-<time>.json).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { benchClient, type ClientBenchResult } from "./client-vs-undici";
import { benchEmulatorThroughput, type ThroughputResult } from "./emulator-throughput";
import { benchConcurrency, type ConcurrencyBenchResult } from "./concurrency";
import { benchEngine, DEFAULT_REPEATS, type EngineBenchResult, type EngineModeResult } from "./engine";
import { APPLICATIONS_GRAPH, STATEMENTS_GRAPH, type EngineGraph } from "./engine-graphs";
import { benchPlugin, pluginRows, type PluginBenchResult } from "./plugin";
import { benchProfile, type ProfileBenchResult, type StepProfile } from "./profile";
import { benchScale, type ScaleResult } from "./scale";

const execFileAsync = promisify(execFile);
const BENCHES = [
  "engine",
  "engine-sql",
  "client",
  "throughput",
  "scale",
  "profile",
  "concurrency",
  "plugin",
] as const;
type Bench = (typeof BENCHES)[number];

interface Options {
  only: Bench[];
  /** Engine graph sizes (applications besides the one environment); the first is the profile's. */
  applications: number[];
  /** SQL graph sizes (statements besides the environment and the pool). */
  statements: number[];
  rounds: number;
  /** The engine benchmarks' no-op previews and refreshes of each side per round. */
  repeats: number;
  /** The client benchmark's sequential GETs per side and round, and its rounds. */
  requests: number;
  clientRounds: number;
  seconds: number;
  scale: number[];
  /** Engine parallelism bounds the concurrency benchmark tries besides the default. */
  parallel: number[];
  out: string;
  strict: boolean;
}

function parseArgs(argv: string[]): Options {
  const values = new Map<string, string>();
  const strict = argv.includes("--strict");
  argv = argv.filter((a) => a !== "--strict");
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!flag.startsWith("--") || value === undefined) {
      throw new Error(`bench: expected --flag value pairs, got '${flag}'`);
    }
    values.set(flag.slice(2), value);
    i++;
  }
  const known = new Set([
    "only",
    "applications",
    "statements",
    "rounds",
    "repeats",
    "requests",
    "client-rounds",
    "seconds",
    "scale",
    "parallel",
    "out",
  ]);
  for (const key of values.keys()) if (!known.has(key)) throw new Error(`bench: unknown flag --${key}`);
  const only = (values.get("only")?.split(",") ?? [...BENCHES]) as Bench[];
  for (const name of only) {
    if (!BENCHES.includes(name))
      throw new Error(`bench: unknown benchmark '${name}' (${BENCHES.join(", ")})`);
  }
  const positive = (key: string, fallback: number) => {
    const n = Number(values.get(key) ?? fallback);
    if (!Number.isInteger(n) || n < 1) throw new Error(`bench: --${key} must be a positive integer`);
    return n;
  };
  const list = (key: string, fallback: string) =>
    (values.get(key) ?? fallback).split(",").map((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`bench: --${key} takes positive integers, got '${v}'`);
      return n;
    });
  const statements = list("statements", "50,500");
  const tooSmall = statements.find((n) => n < STATEMENTS_GRAPH.minimum);
  if (tooSmall !== undefined) {
    throw new Error(
      `bench: --statements ${tooSmall} is too small: the SQL graph has 2 DDL statements and at least one INSERT (${STATEMENTS_GRAPH.minimum} or more)`,
    );
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return {
    only,
    applications: list("applications", "50,500"),
    statements,
    rounds: positive("rounds", 3),
    repeats: positive("repeats", DEFAULT_REPEATS),
    requests: positive("requests", 1000),
    clientRounds: positive("client-rounds", 15),
    seconds: positive("seconds", 3),
    scale: list("scale", "1000,10000"),
    parallel: list("parallel", "16,4"),
    out: values.get("out") ?? path.resolve(__dirname, "..", "..", "bench", "results", `bench-${stamp}.json`),
    strict,
  };
}

type Row = [figure: string, value: string, target: string, verdict: string];

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const spread = (s: { median: number; min: number; max: number }, digits = 0) =>
  `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
// autocannon reports whole milliseconds.
const latency = (s: { median: number }) => (s.median < 1 ? "<1" : String(s.median));
const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");

function engineRows(mode: string, r: EngineModeResult, resources: number): Row[] {
  const rows: Row[] = [
    [`up ${mode}: cmf ms`, spread(r.up.cmfMs), "", ""],
    [`up ${mode}: floor ms`, spread(r.up.floorMs), "", ""],
    [`up ${mode}: ratio`, spread(r.up.ratio, 2), "≤ 1.15", verdict(r.up.ratio.median <= 1.15)],
    [
      `up ${mode}: ms per resource (cmf / floor)`,
      `${fmt(r.up.cmfMs.median / resources, 1)} / ${fmt(r.up.floorMs.median / resources, 1)}`,
      "",
      "",
    ],
    [
      `no-op preview ${mode}: cmf / floor ms`,
      `${fmt(r.preview.cmfMs.median, 0)} / ${fmt(r.preview.floorMs.median, 0)}`,
      "",
      "",
    ],
    [
      `no-op preview ${mode}: ratio`,
      spread(r.preview.ratio, 2),
      "≤ 1.10",
      verdict(r.preview.ratio.median <= 1.1),
    ],
    [
      `refresh ${mode}: cmf / floor ms`,
      `${fmt(r.refresh.cmfMs.median, 0)} / ${fmt(r.refresh.floorMs.median, 0)}`,
      "",
      "",
    ],
    [`refresh ${mode}: ratio`, spread(r.refresh.ratio, 2), "≤ 1.15", verdict(r.refresh.ratio.median <= 1.15)],
  ];
  if (r.requests) {
    rows.push(
      [
        `no-op preview ${mode}: HTTP writes`,
        spread(r.requests.previewWrites),
        "0",
        verdict(r.requests.previewWrites.max === 0),
      ],
      [
        `refresh ${mode}: GETs per resource`,
        spread(r.requests.refreshGetsPerResource, 2),
        "≤ 1",
        verdict(r.requests.refreshGetsPerResource.max <= 1),
      ],
      [`refresh ${mode}: requests per resource`, spread(r.requests.refreshRequestsPerResource, 2), "≤ 1", ""],
    );
  }
  if (r.readFloor) {
    rows.push(
      [`refresh ${mode}: read floor ms (one bare GET per read)`, spread(r.readFloor.refreshMs), "", ""],
      [`refresh ${mode}: read floor ÷ floor`, spread(r.readFloor.overFloor, 2), "", ""],
      [`refresh ${mode}: cmf ÷ read floor`, spread(r.readFloor.cmfOverReadFloor, 2), "", ""],
    );
  }
  if (r.bareFloor) {
    const { floorOverBare, cmfOverBare } = r.bareFloor;
    rows.push(
      [
        `no-op preview ${mode}: floor ÷ bare floor (no server fields)`,
        spread(floorOverBare.preview, 2),
        "",
        "",
      ],
      [`no-op preview ${mode}: cmf ÷ bare floor`, spread(cmfOverBare.preview, 2), "", ""],
      [`refresh ${mode}: floor ÷ bare floor (no server fields)`, spread(floorOverBare.refresh, 2), "", ""],
      [`refresh ${mode}: cmf ÷ bare floor`, spread(cmfOverBare.refresh, 2), "", ""],
    );
  }
  return rows;
}

function engineSizeRows(engine: EngineBenchResult): Row[] {
  return [
    [
      `${engine.graph}: ${engine.title}`,
      `${engine.rounds} rounds, ${engine.upsPerRound} up(s) and ${engine.repeats} previews and refreshes each`,
      "",
      "",
    ],
    ...engineRows("standalone", engine.standalone, engine.resources),
    ...engineRows("embedded", engine.embedded, engine.resources),
    [
      "__provider bytes",
      String(engine.stateCost.providerBytes),
      "< 4096",
      verdict(engine.stateCost.providerBytes < 4096),
    ],
    [
      "state bytes per resource (cmf / floor)",
      `${fmt(engine.stateCost.stateBytesPerResource, 0)} / ${fmt(engine.stateCost.floorStateBytesPerResource, 0)}`,
      "",
      "",
    ],
  ];
}

function rowsFor(results: Partial<Record<Bench, unknown>>): Row[] {
  const rows: Row[] = [];
  for (const graph of ["engine", "engine-sql"] as const) {
    const engines = results[graph] as EngineBenchResult[] | undefined;
    rows.push(...(engines ?? []).flatMap(engineSizeRows));
    if (engines && engines.length > 1) rows.push(...growthRows(engines));
  }
  const client = results.client as ClientBenchResult | undefined;
  if (client) {
    rows.push(
      [`client: ${client.requests} GETs, CmfClient ms`, spread(client.clientMs, 1), "", ""],
      [`client: ${client.requests} GETs, bare undici ms`, spread(client.undiciMs, 1), "", ""],
      ["client: ratio", spread(client.ratio, 3), "≤ 1.15", verdict(client.ratio.median <= 1.15)],
    );
  }
  const throughput = results.throughput as ThroughputResult | undefined;
  if (throughput) {
    for (const [name, c] of [
      ["GET application", throughput.get],
      ["upsert application", throughput.upsert],
      ["GET statement", throughput.statementGet],
    ] as const) {
      rows.push(
        [
          `emulator ${name}: req/s (floor)`,
          `${spread(c.emulatorRps)} (${fmt(c.floorRps.median, 0)})`,
          "",
          "",
        ],
        [
          `emulator ${name}: p50 / p99 ms (floor)`,
          `${latency(c.emulatorP50Ms)} / ${latency(c.emulatorP99Ms)} (${latency(c.floorP50Ms)} / ${latency(c.floorP99Ms)})`,
          "",
          "",
        ],
        [
          `emulator ${name}: ratio to floor`,
          spread(c.ratio, 2),
          name.startsWith("GET") ? "≥ 0.6" : "",
          name.startsWith("GET") ? verdict(c.ratio.median >= 0.6) : "",
        ],
      );
    }
  }
  if (throughput) {
    rows.push([
      "emulator statement create (SELECT n, parsed): ms",
      spread(throughput.statementCreateMs, 2),
      "",
      "",
    ]);
  }
  const scale = results.scale as ScaleResult | undefined;
  if (scale) {
    for (const p of scale.points) {
      rows.push(
        [`listAll ${p.applications} apps (page ${scale.pageSize}): ms`, spread(p.listAllMs), "", ""],
        [
          `listAll ${p.applications} apps: client peak RSS MB / emulator RSS MB`,
          `${fmt(p.clientPeakRssMb.median, 0)} / ${fmt(p.emulatorRssMb, 0)}`,
          "",
          "",
        ],
      );
    }
    rows.push(
      ["listAll time ratio largest/smallest", fmt(scale.timeRatio), "≤ 11", verdict(scale.timeRatio <= 11)],
      ["emulator bytes per application", fmt(scale.emulatorBytesPerApplication, 0), "", ""],
    );
  }
  const profile = results.profile as ProfileBenchResult | undefined;
  if (profile) rows.push(...profileRows(profile));
  const concurrency = results.concurrency as ConcurrencyBenchResult | undefined;
  if (concurrency) rows.push(...concurrencyRows(concurrency));
  const plugin = results.plugin as PluginBenchResult | undefined;
  if (plugin) rows.push(...pluginRows(plugin));
  return rows;
}

/**
 * The engine ratio must not grow with the graph: the largest graph's ratio against the smallest's, per
 * step and mode (5 % allowed for noise).
 */
function growthRows(engines: EngineBenchResult[]): Row[] {
  const small = engines[0];
  const large = engines[engines.length - 1];
  const rows: Row[] = [];
  for (const mode of ["standalone", "embedded"] as const) {
    for (const step of ["up", "preview", "refresh"] as const) {
      const growth = large[mode][step].ratio.median / small[mode][step].ratio.median;
      rows.push([
        `${large.graph} ${step} ${mode}: ratio at ${large.size} / at ${small.size} ${large.unit}`,
        fmt(growth),
        "≤ 1.05",
        verdict(growth <= 1.05),
      ]);
    }
  }
  return rows;
}

function profileRows(profile: ProfileBenchResult): Row[] {
  const rows: Row[] = [];
  for (const mode of ["standalone", "embedded"] as const) {
    for (const [step, result] of [
      ["no-op preview", profile[mode].preview],
      ["refresh", profile[mode].refresh],
    ] as [string, StepProfile][]) {
      const name = `${step} ${mode}`;
      const p = result.provider;
      rows.push(
        [
          `${name} (${profile.applications + 1} resources): provider CPU ms sampled (main thread), cmf / floor`,
          `${fmt(p.activeMs, 0)} / ${fmt(result.floor.activeMs, 0)}`,
          "",
          "",
        ],
        ...(result.processes && result.floorProcesses
          ? ([
              [
                `${name}: provider process CPU ms, all threads, cmf / floor`,
                `${fmt(result.processes.providerMs, 0)} / ${fmt(result.floorProcesses.providerMs, 0)}`,
                "",
                "",
              ],
              [
                `${name}: pulumi CLI (engine) CPU ms, cmf / floor`,
                `${fmt(result.processes.engineMs, 0)} / ${fmt(result.floorProcesses.engineMs, 0)}`,
                "",
                "",
              ],
            ] as Row[])
          : []),
        [
          `${name}: provider module loading ms, cmf / floor`,
          `${fmt(p.moduleLoadingMs, 0)} / ${fmt(result.floor.moduleLoadingMs, 0)}`,
          "",
          "",
        ],
      );
      for (const o of p.loadingByOrigin.slice(0, 5))
        rows.push([`${name}: loading ${o.origin} ms`, fmt(o.ms, 0), "", ""]);
      for (const o of p.byOrigin.slice(0, 5))
        rows.push([`${name}: self ms in ${o.origin}`, fmt(o.ms, 0), "", ""]);
    }
  }
  return rows;
}

function concurrencyRows(c: ConcurrencyBenchResult): Row[] {
  return c.runs.map((r) => [
    `up ${c.applications + 1} resources, parallel ${r.parallel ?? "default"}: ms, most requests / connections at once`,
    `${fmt(r.upMs, 0)}, ${r.maxInFlightRequests} / ${r.maxOpenConnections} (${r.requests} requests)`,
    "",
    "",
  ]);
}

function printTable(rows: Row[]): void {
  const header: Row = ["figure", "median (min–max)", "target", ""];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i].length)));
  const line = (r: Row) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

/**
 * Each benchmark of a run gets a fresh process (this script with `--only <name>`), so that none measures
 * the heap, sockets or timers an earlier one left behind.
 */
async function isolated(name: Bench, options: Options): Promise<unknown> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-bench-")), `${name}.json`);
  const args = [
    __filename,
    ...["--only", name, "--applications", options.applications.join(","), "--rounds", String(options.rounds)],
    ...["--statements", options.statements.join(","), "--repeats", String(options.repeats)],
    ...["--requests", String(options.requests), "--client-rounds", String(options.clientRounds)],
    ...["--seconds", String(options.seconds), "--scale", options.scale.join(",")],
    ...["--parallel", options.parallel.join(","), "--out", out],
  ];
  await execFileAsync(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  const results = JSON.parse(fs.readFileSync(out, "utf8")).results as Record<string, unknown>;
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return results[name];
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const results: Partial<Record<Bench, unknown>> = {};
  const engineSizes = async (graph: EngineGraph, sizes: number[]) => {
    const results: EngineBenchResult[] = [];
    for (const size of sizes)
      results.push(await benchEngine({ graph, size, rounds: options.rounds, repeats: options.repeats }));
    return results;
  };
  const runners: Record<Bench, () => Promise<unknown>> = {
    engine: () => engineSizes(APPLICATIONS_GRAPH, options.applications),
    "engine-sql": () => engineSizes(STATEMENTS_GRAPH, options.statements),
    client: () => benchClient({ requests: options.requests, rounds: options.clientRounds }),
    throughput: () => benchEmulatorThroughput({ rounds: options.rounds, durationSeconds: options.seconds }),
    scale: () => benchScale({ sizes: options.scale, rounds: options.rounds }),
    profile: () => benchProfile({ applications: options.applications[0] }),
    concurrency: () =>
      benchConcurrency({
        applications: options.applications[options.applications.length - 1],
        parallel: options.parallel,
      }),
    plugin: () => benchPlugin({ applications: options.applications[0], rounds: options.rounds }),
  };
  for (const name of options.only) {
    const start = Date.now();
    process.stderr.write(`bench: ${name} …\n`);
    results[name] = options.only.length === 1 ? await runners[name]() : await isolated(name, options);
    process.stderr.write(`bench: ${name} done in ${((Date.now() - start) / 1000).toFixed(0)} s\n`);
  }
  const rows = rowsFor(results);
  printTable(rows);
  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  fs.writeFileSync(
    options.out,
    JSON.stringify({ date: new Date().toISOString(), node: process.version, options, results }, null, 2),
  );
  console.log(`\nall figures: ${options.out}`);
  const missed = rows.filter((r) => r[3] === "MISSED").map((r) => r[0]);
  if (missed.length > 0) {
    console.log(`${missed.length} target(s) MISSED: ${missed.join("; ")}`);
    if (options.strict) process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
