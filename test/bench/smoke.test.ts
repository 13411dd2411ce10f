/**
 * `npm run bench` at toy sizes, so that the benchmark keeps working between the times someone runs it
 * for real. No figure is judged here: speed targets belong to the benchmark's own table.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { describeWithPulumi, makeTempDir } from "../support/pulumi";

const execFileAsync = promisify(execFile);
const BENCH = path.resolve(__dirname, "../../dist/bench/index.js");

async function bench(args: string[]): Promise<{ table: string; results: Record<string, unknown> }> {
  const out = path.join(makeTempDir("bench"), "figures.json");
  const { stdout } = await execFileAsync(process.execPath, [BENCH, ...args, "--out", out], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return { table: stdout, results: JSON.parse(fs.readFileSync(out, "utf8")).results };
}

describe("npm run bench (toy sizes)", () => {
  jest.setTimeout(3 * 60 * 1000);

  it("client, emulator throughput and scale produce their figures", async () => {
    const { table, results } = await bench([
      "--only",
      "client,throughput,scale",
      "--rounds",
      "1",
      "--seconds",
      "1",
      "--scale",
      "50,100",
    ]);
    expect(Object.keys(results).sort()).toEqual(["client", "scale", "throughput"]);
    expect(table).toMatch(/client: ratio/);
    expect(table).toMatch(/emulator GET application: ratio to floor/);
    expect(table).toMatch(/listAll 100 apps/);
  });

  it("rejects an unknown benchmark with a clear message", async () => {
    await expect(bench(["--only", "nope"])).rejects.toThrow(/unknown benchmark 'nope'/);
  });
});

describeWithPulumi("npm run bench: engine (toy size)", () => {
  jest.setTimeout(5 * 60 * 1000);

  it("measures up, preview and refresh against the floor, with request counts and state cost", async () => {
    const { table, results } = await bench(["--only", "engine", "--applications", "2", "--rounds", "1"]);
    const engine = results.engine as {
      standalone: {
        requests: { previewWrites: { median: number }; refreshGetsPerResource: { median: number } };
      };
      stateCost: { providerBytes: number };
    };
    expect(engine.standalone.requests.previewWrites.median).toBe(0);
    expect(engine.standalone.requests.refreshGetsPerResource.median).toBe(1);
    expect(engine.stateCost.providerBytes).toBeGreaterThan(0);
    expect(table).toMatch(/up embedded: ratio/);
  });
});
