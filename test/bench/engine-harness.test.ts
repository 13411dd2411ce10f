/**
 * The floor copies, as outputs, what CMF added to each object of the program's deployed stack; which
 * fields those are is decided here, from exported state alone.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { serverFieldsOf, type ExportedResource } from "../../bench/engine-harness";
import { floorKey, SERVER_FIELDS_ENV } from "../../bench/floor-outputs";
import { STATEMENTS_GRAPH } from "../../bench/engine-graphs";

const SIZE = 3;

/** The exported state of the SQL graph's program at SIZE, each object's outputs built by `outputs`. */
function exported(outputs: (inputs: Record<string, unknown>) => Record<string, unknown>): ExportedResource[] {
  const resources: ExportedResource[] = [];
  STATEMENTS_GRAPH.tiers(SIZE).forEach((count, tier) => {
    for (let i = 0; i < count; i++) {
      const name = STATEMENTS_GRAPH.objectPath(tier, i).split("/").at(-1);
      const inputs = { __provider: "exports.handler = …", name, ...STATEMENTS_GRAPH.floorInputs(tier, i) };
      resources.push({
        urn: `urn:pulumi:s::p::pulumi-nodejs:dynamic/cmf:Kind::${name}`,
        type: "t",
        inputs,
        outputs: outputs(inputs),
      });
    }
  });
  return resources;
}

describe("serverFieldsOf", () => {
  it("keeps the outputs that are not inputs or differ from them, keyed as the floor names its resources", () => {
    const fields = serverFieldsOf(
      exported((inputs) => ({
        ...inputs,
        __provider: "a provider the engine re-serialized",
        phase: "RUNNING",
        spec: { ...(inputs.spec as object), computePoolName: "bench-pool" },
      })),
      STATEMENTS_GRAPH,
      SIZE,
    );
    expect(Object.keys(fields).sort()).toEqual(["0-0", "1-0", "2-0", "2-1", "3-0"]);
    expect(fields["3-0"]).toEqual({
      phase: "RUNNING",
      spec: {
        statement: "INSERT INTO sink SELECT * FROM orders",
        parallelism: 1,
        computePoolName: "bench-pool",
      },
    });
  });

  it("records nothing for an object CMF returned as it was given", () => {
    const fields = serverFieldsOf(
      exported((inputs) => ({ ...inputs })),
      STATEMENTS_GRAPH,
      SIZE,
    );
    expect(fields["2-1"]).toEqual({});
  });

  it("names the program's resource the stack lacks", () => {
    const resources = exported((inputs) => inputs).filter((r) => !r.urn.endsWith("::bench-pool"));
    expect(() => serverFieldsOf(resources, STATEMENTS_GRAPH, SIZE)).toThrow(/no outputs for bench-pool/);
  });
});

describe("floorKey", () => {
  it("is the tier and index a floor resource's name ends with, whatever its prefix", () => {
    expect(floorKey("noop-3-17")).toBe("3-17");
    expect(floorKey("read-0-0")).toBe("0-0");
  });
});

describe("a floor resource's create", () => {
  const saved = process.env[SERVER_FIELDS_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[SERVER_FIELDS_ENV];
    else process.env[SERVER_FIELDS_ENV] = saved;
    jest.resetModules();
  });

  // A fresh module each time: the provider process reads the file once.
  const serverFieldsFor = (name: string) =>
    (require("../../bench/floor-outputs") as typeof import("../../bench/floor-outputs")).serverFieldsFor(
      name,
    );

  it("adds nothing in a bare floor's stack", () => {
    delete process.env[SERVER_FIELDS_ENV];
    expect(serverFieldsFor("noop-3-0")).toEqual({});
  });

  it("adds the fields recorded for it, and fails for a resource they do not cover", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "floor-outputs-"));
    try {
      const file = path.join(dir, "fields.json");
      fs.writeFileSync(file, JSON.stringify({ "3-0": { phase: "RUNNING" } }));
      process.env[SERVER_FIELDS_ENV] = file;
      expect(serverFieldsFor("read-3-0")).toEqual({ phase: "RUNNING" });
      expect(() => serverFieldsFor("noop-3-1")).toThrow(/no server fields recorded for noop-3-1/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
