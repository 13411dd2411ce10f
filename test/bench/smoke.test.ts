/**
 * `npm run bench` at toy sizes, so that the benchmark keeps working between the times someone runs it
 * for real: a few seconds. No figure is judged here: speed targets belong to the benchmark's own table.
 * The engine benchmarks (applications and SQL graphs) drive `pulumi` some twenty times each even at toy
 * size (40 s each), so `.ci/run` runs them at toy size instead of every `npm test`.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { ensureBuilt } from "../support/fixture-project";
import { makeTempDir } from "../support/pulumi";

const execFileAsync = promisify(execFile);
const BENCH = path.resolve(__dirname, "../../dist/bench/index.js");

async function bench(args: string[]): Promise<{ table: string; results: Record<string, unknown> }> {
  const dir = makeTempDir("bench");
  const out = path.join(dir, "figures.json");
  try {
    const { stdout } = await execFileAsync(process.execPath, [BENCH, ...args, "--out", out], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return { table: stdout, results: JSON.parse(fs.readFileSync(out, "utf8")).results };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("npm run bench (toy sizes)", () => {
  beforeAll(() => ensureBuilt());

  it("client, emulator throughput and scale produce their figures", async () => {
    const { table, results } = await bench([
      ...["--only", "client,throughput,scale"],
      ...["--rounds", "1", "--seconds", "1", "--scale", "20,40"],
      ...["--requests", "50", "--client-rounds", "1"],
    ]);
    expect(Object.keys(results).sort()).toEqual(["client", "scale", "throughput"]);
    expect(results.client).toMatchObject({ requests: 50, rounds: 1 });
    expect(table).toMatch(/client: ratio/);
    expect(table).toMatch(/emulator GET application: ratio to floor/);
    expect(table).toMatch(/listAll 40 apps/);
  });

  it("rejects an unknown benchmark or flag with a clear message", async () => {
    await expect(bench(["--only", "nope"])).rejects.toThrow(/unknown benchmark 'nope'/);
    await expect(bench(["--requets", "5"])).rejects.toThrow(/unknown flag --requets/);
    await expect(bench(["--only", "engine-sql", "--statements", "2"])).rejects.toThrow(
      /--statements 2 is too small: the SQL graph has 2 DDL statements and at least one INSERT/,
    );
  });
});
