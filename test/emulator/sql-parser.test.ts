/**
 * The Flink SQL parser's worker thread (provider/emulator/sql/parser.ts), as the built package runs
 * it: an idle parser must not keep its process alive, even when nobody closes it. And the analyses it
 * keeps between processes when given a folder.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FlinkSqlParser } from "../../provider/emulator/sql/parser";

const PARSER = path.resolve(__dirname, "../../dist/provider/emulator/sql/parser.js");

test("a parser that has answered and was never closed lets its process exit", () => {
  const script = `
    const { FlinkSqlParser } = require(${JSON.stringify(PARSER)});
    new FlinkSqlParser().analyze("SELECT 1").then((analysis) => console.log("parsed", analysis.kind));
  `;
  const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 15_000 });
  expect(child.stderr).toBe("");
  expect(child.stdout.trim()).toBe("parsed queryStatement");
  // Killed at the timeout (signal SIGTERM) when the worker keeps the event loop alive.
  expect(child.signal).toBeNull();
  expect(child.status).toBe(0);
});

describe("with a cache folder", () => {
  const SQL = "INSERT INTO sink SELECT id, amount FROM orders";
  let dir: string;
  const parsers: FlinkSqlParser[] = [];
  const parser = (options?: { cacheDir: string }) => {
    const made = new FlinkSqlParser(options);
    parsers.push(made);
    return made;
  };

  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-sql-analysis-"))));
  afterEach(async () => {
    await Promise.all(parsers.splice(0).map((p) => p.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a new parser answers SQL it has seen from the folder, without loading the grammar", async () => {
    const first = await parser({ cacheDir: dir }).analyze(SQL);
    expect(first.kind).toBe("insertSimpleStatement");
    expect(fs.readdirSync(dir)).toHaveLength(1);

    const next = parser({ cacheDir: dir });
    expect(await next.analyze(SQL)).toEqual(first);
    expect(next.started).toBe(false);
    // Other SQL is parsed, and kept too.
    expect((await next.analyze("SELECT 1")).kind).toBe("queryStatement");
    expect(next.started).toBe(true);
    expect(fs.readdirSync(dir)).toHaveLength(2);
  });

  test("a pool's preload loads the grammar only when the folder keeps no analysis yet", async () => {
    const fresh = parser({ cacheDir: dir });
    fresh.preload();
    expect(fresh.started).toBe(true);
    await fresh.analyze(SQL);

    const next = parser({ cacheDir: dir });
    next.preload();
    expect(next.started).toBe(false);
    expect((await next.analyze(SQL)).kind).toBe("insertSimpleStatement");
    expect(next.started).toBe(false);
    // SQL that is not kept loads it when it comes.
    expect((await next.analyze("SELECT 1")).kind).toBe("queryStatement");
    expect(next.started).toBe(true);

    const uncached = parser();
    uncached.preload();
    expect(uncached.started).toBe(true);
  });

  test("a damaged or foreign entry is parsed again and rewritten; without a folder nothing is kept", async () => {
    const first = await parser({ cacheDir: dir }).analyze(SQL);
    const [entry] = fs.readdirSync(dir);
    fs.writeFileSync(path.join(dir, entry), '{"errors": [');

    const next = parser({ cacheDir: dir });
    expect(await next.analyze(SQL)).toEqual(first);
    expect(next.started).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, entry), "utf8"))).toEqual(first);

    // Valid JSON of another shape is no analysis either.
    fs.writeFileSync(path.join(dir, entry), '{"errors": []}');
    const third = parser({ cacheDir: dir });
    expect(await third.analyze(SQL)).toEqual(first);
    expect(third.started).toBe(true);

    fs.rmSync(path.join(dir, entry));
    await parser().analyze(SQL);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
