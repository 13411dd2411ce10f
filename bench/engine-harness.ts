/**
 * What every engine benchmark sets up: the Pulumi CLI, an offline Pulumi home and file backend, a
 * project with pulumi-cmf installed from its packed tarball (as a user's is: that decides how the
 * provider is serialized), and inline stacks of a graph's CMF program or of its no-op floor.
 *
 * The floor holds state of the same shape as the program's: each resource carries its counterpart's
 * plain inputs (`EngineGraph.floorInputs`) and, as outputs, the fields CMF added to its counterpart's
 * object (phase, uid, times, a statement's traits), copied from the program's own deployed stack
 * (`serverFieldsOf`). Pulumi charges for carrying that state whoever provides it: at 500 statements, a
 * floor with those outputs cost 1.07 of one without in a no-op preview and 1.16 in a refresh
 * (docs/benchmarks.md, "The floor's outputs"). The bare floor (the same program in a stack without
 * them: inputs only) is measured beside it so that this share stays visible.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { findPulumiTools, inlineStack, offlinePulumiEnv } from "../scripts/pulumi-env";
import { installIntoProject } from "../scripts/installed-project";
import type { EngineGraph } from "./engine-graphs";
import { SERVER_FIELDS_ENV } from "./floor-outputs";
import { timeMs } from "./stats";

type Sdk = typeof import("../sdk");

export interface EngineHarness {
  /** Scratch directory of this run, removed by close() unless PULUMI_CMF_BENCH_KEEP is set (to inspect it). */
  root: string;
  /** A stack factory: each call makes (or, with `stackName`, selects) an inline stack. */
  stack(program: () => Promise<void>, env: Record<string, string>, stackName?: string): Promise<Stack>;
  /** The graph's CMF program at this size. */
  cmfProgram(graph: EngineGraph, size: number): () => Promise<void>;
  /**
   * The same tiers of no-op dynamic resources: what the engine costs by itself. Its resources carry
   * the recorded server fields in a stack whose environment is `withServerFields`, and only their
   * inputs (the bare floor) otherwise.
   */
  floorProgram(graph: EngineGraph, size: number): () => Promise<void>;
  /**
   * The floor again, but each resource's `read` GETs its program counterpart's object from the CMF at
   * `url` (which must hold them) with a bare `node:http` client: what one HTTP request per resource
   * costs a refresh, whoever makes it.
   */
  readFloorProgram(graph: EngineGraph, size: number, url: string): () => Promise<void>;
  /**
   * Records the server fields of a deployed stack of the graph's CMF program at this size
   * (`serverFieldsOf` over its exported resources), for floor stacks made with `withServerFields`.
   */
  recordServerFields(resources: ExportedResource[], graph: EngineGraph, size: number): void;
  /** `env` plus what makes a floor stack's resources carry the recorded server fields as outputs. */
  withServerFields(env?: Record<string, string>): Record<string, string>;
  close(): void;
}

/** One resource of a stack's exported state. */
export interface ExportedResource {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/**
 * For each resource of the graph, keyed `<tier>-<index>` as the floor names its own: the outputs of its
 * counterpart in a deployed CMF stack (`resources`, exported) that are not among that resource's inputs
 * or differ from them, that is what CMF added to the object. The serialized provider is Pulumi's own.
 */
export function serverFieldsOf(
  resources: ExportedResource[],
  graph: EngineGraph,
  size: number,
): Record<string, Record<string, unknown>> {
  const byName = new Map(resources.map((r) => [r.urn.slice(r.urn.lastIndexOf("::") + 2), r]));
  const fields: Record<string, Record<string, unknown>> = {};
  graph.tiers(size).forEach((count, tier) => {
    for (let i = 0; i < count; i++) {
      const name = graph.objectPath(tier, i).split("/").at(-1) ?? "";
      const resource = byName.get(name);
      if (!resource?.outputs) throw new Error(`bench: the CMF stack holds no outputs for ${name}`);
      const inputs = resource.inputs ?? {};
      fields[`${tier}-${i}`] = Object.fromEntries(
        Object.entries(resource.outputs).filter(
          ([key, value]) => key !== "__provider" && JSON.stringify(value) !== JSON.stringify(inputs[key]),
        ),
      );
    }
  });
  return fields;
}

/** Serialized with the floor's provider: what its process requires, by path. */
const FLOOR_OUTPUTS = require.resolve("./floor-outputs");

/** Creates by copying its inputs to its outputs, with the server fields recorded for it (`./floor-outputs`). */
const noopProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Record<string, unknown>) {
    const name = String(inputs.name);
    const { serverFieldsFor } = require(FLOOR_OUTPUTS) as typeof import("./floor-outputs");
    return { id: name, outs: { ...inputs, ...serverFieldsFor(name) } };
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

/**
 * The no-op provider whose `read` makes one GET of `readUrl` on a keep-alive connection and parses the
 * JSON answer: no retries, no validation, no projection. Serialized with the program like any dynamic
 * provider, so it requires what it needs when it runs.
 */
const readingProvider: pulumi.dynamic.ResourceProvider = {
  ...noopProvider,
  async read(id: string, props: Record<string, unknown>) {
    const http = require("node:http") as typeof import("node:http");
    const holder = globalThis as { benchReadAgent?: import("node:http").Agent };
    const agent = (holder.benchReadAgent ??= new http.Agent({ keepAlive: true }));
    const url = String(props.readUrl);
    const text = await new Promise<string>((resolve, reject) => {
      http
        .get(url, { agent }, (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.on("end", () =>
            res.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${url}: ${res.statusCode}`)),
          );
        })
        .on("error", reject);
    });
    JSON.parse(text);
    return { id, props };
  },
};

class NoopResource extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;

  constructor(
    name: string,
    parents: pulumi.Input<string>[],
    inputs: Record<string, unknown>,
    provider = noopProvider,
  ) {
    super(provider, name, { ...inputs, name, parents }, {}, "bench", "Noop");
  }
}

/** The graph's tiers as no-op resources; each tier takes the names of the tier before as an input. */
function tiersOf(
  graph: EngineGraph,
  size: number,
  make: (tier: number, index: number, parents: pulumi.Input<string>[]) => NoopResource,
): () => Promise<void> {
  return async () => {
    let previous: pulumi.Input<string>[] = [];
    graph.tiers(size).forEach((count, tier) => {
      const resources = Array.from({ length: count }, (_, i) => make(tier, i, previous));
      previous = resources.map((r) => r.name);
    });
  };
}

export function openEngineHarness(prefix: string): EngineHarness {
  const found = findPulumiTools();
  if ("missing" in found) throw new Error(`engine benchmarks need the Pulumi CLI: ${found.missing}`);
  const tools = found;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-cmf-bench-${prefix}-`));
  const project = installIntoProject(path.join(root, "project"), "pulumi-cmf-bench");
  const sdk = require(path.join(project.packageDir, "dist", "sdk", "index.js")) as Sdk;
  const env = offlinePulumiEnv({
    pulumiHome: path.join(root, "home"),
    backendDir: path.join(root, "state"),
    binDir: tools.binDir,
  });
  let stackCounter = 0;
  const serverFieldsFile = path.join(root, "server-fields.json");
  return {
    root,
    stack: (program, extra, stackName) =>
      inlineStack({
        tools,
        env: { ...env, ...extra },
        projectName: "pulumi-cmf-bench",
        stackName: stackName ?? `s${++stackCounter}`,
        program,
        workDir: project.dir,
      }),
    cmfProgram: (graph, size) => graph.program(sdk, size),
    floorProgram: (graph, size) =>
      tiersOf(
        graph,
        size,
        (tier, i, parents) => new NoopResource(`noop-${tier}-${i}`, parents, graph.floorInputs(tier, i)),
      ),
    readFloorProgram: (graph, size, url) =>
      tiersOf(
        graph,
        size,
        (tier, i, parents) =>
          new NoopResource(
            `read-${tier}-${i}`,
            parents,
            { ...graph.floorInputs(tier, i), readUrl: `${url}/cmf/api/v1/${graph.objectPath(tier, i)}` },
            readingProvider,
          ),
      ),
    recordServerFields: (resources, graph, size) =>
      fs.writeFileSync(serverFieldsFile, JSON.stringify(serverFieldsOf(resources, graph, size))),
    withServerFields: (extra = {}) => {
      if (!fs.existsSync(serverFieldsFile)) throw new Error("bench: no server fields recorded yet");
      return { ...extra, [SERVER_FIELDS_ENV]: serverFieldsFile };
    },
    close: () =>
      process.env.PULUMI_CMF_BENCH_KEEP ? undefined : fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Times the stack's `up`, which must succeed. */
export async function timedUp(stack: Stack): Promise<number> {
  return timeMs(async () => {
    const result = await stack.up();
    if (result.summary.result !== "succeeded") throw new Error(`up: ${result.summary.result}`);
  });
}

/**
 * Removes the stack from the backend without deleting what it made: the caller empties the CMF that
 * holds its objects (`resetEmulator`, or a new data file). Deleting 500 objects through the engine
 * takes about as long as making them, and no benchmark measures it.
 */
export async function forget(stack: Stack): Promise<void> {
  await stack.workspace.removeStack(stack.name, { force: true });
}

/** Empties a standalone emulator through its `POST /_emulator/reset` test control. */
export async function resetEmulator(url: string): Promise<void> {
  const response = await fetch(`${url}/_emulator/reset`, { method: "POST" });
  if (response.status !== 204) throw new Error(`POST ${url}/_emulator/reset answered ${response.status}`);
}
