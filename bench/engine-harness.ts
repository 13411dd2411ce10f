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

class NoopResource extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, parents: pulumi.Input<string>[], inputs: Record<string, unknown>) {
    super(noopProvider, name, { ...inputs, name, parents }, {}, "bench", "Noop");
  }
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
    floorProgram: (graph, size) => async () => {
      // Each tier takes the names of the tier before as an input: the same dependency edges.
      let previous: pulumi.Input<string>[] = [];
      graph.tiers(size).forEach((count, tier) => {
        const resources = Array.from(
          { length: count },
          (_, i) => new NoopResource(`noop-${tier}-${i}`, previous, graph.floorInputs(tier, i)),
        );
        previous = resources.map((r) => r.name);
      });
    },
    close: () =>
      process.env.PULUMI_CMF_BENCH_KEEP ? undefined : fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Destroys the stack and removes it from the backend. */
export async function teardown(stack: Stack): Promise<void> {
  await stack.destroy();
  await stack.workspace.removeStack(stack.name);
}
