/**
 * What every engine benchmark sets up: the Pulumi CLI, an offline Pulumi home and file backend, a
 * project with pulumi-cmf installed from its packed tarball (as a user's is: that decides how the
 * provider is serialized), and inline stacks of a graph's CMF program or of its no-op floor.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { findPulumiTools, inlineStack, offlinePulumiEnv } from "../scripts/pulumi-env";
import { installIntoProject } from "../scripts/installed-project";
import type { EngineGraph } from "./engine-graphs";
import { timeMs } from "./stats";

type Sdk = typeof import("../sdk");

export interface EngineHarness {
  /** Scratch directory of this run, removed by close() unless PULUMI_CMF_BENCH_KEEP is set (to inspect it). */
  root: string;
  /** A stack factory: each call makes (or, with `stackName`, selects) an inline stack. */
  stack(program: () => Promise<void>, env: Record<string, string>, stackName?: string): Promise<Stack>;
  /** The graph's CMF program at this size. */
  cmfProgram(graph: EngineGraph, size: number): () => Promise<void>;
  /** The same tiers of no-op dynamic resources: what the engine costs by itself. */
  floorProgram(graph: EngineGraph, size: number): () => Promise<void>;
  /**
   * The floor again, but each resource's `read` GETs its program counterpart's object from the CMF at
   * `url` (which must hold them) with a bare `node:http` client: what one HTTP request per resource
   * costs a refresh, whoever makes it.
   */
  readFloorProgram(graph: EngineGraph, size: number, url: string): () => Promise<void>;
  close(): void;
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
