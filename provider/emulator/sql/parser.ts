import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { packageRootAbove } from "../../package-root";
import { analyzeFlinkSql, type SqlAnalysis } from "./analysis";

/**
 * The Flink SQL grammar: dt-sql-parser's FlinkSQL parser (ANTLR, generated from Flink's own grammar),
 * run in a worker thread, loaded when a compute pool is created (unless analyses are kept) or at the
 * first statement that needs it.
 *
 * The grammar is bundled at build time into one CommonJS file (provider/bundle.ts, bundleFlinkGrammar)
 * that ships next to what runs the emulator, and the worker loads it by path: the package itself is ES
 * modules with extensionless imports, which Node loads only through a resolve hook, and the plugin runs
 * from a folder with no node_modules at all. Loading it takes ~0.2 s and its first parses warm ANTLR's
 * DFA caches (tens of ms per statement shape); in the worker that happens off the event loop, so the
 * emulator keeps answering other requests meanwhile. Nothing is loaded at emulator start, nor by reads.
 */

/** The bundled grammar's file name. */
export const FLINK_GRAMMAR_FILE = "flink-sql-grammar.js";

/**
 * Where the bundled grammar is: beside this code when it runs compiled or bundled with the grammar
 * (dist/provider/emulator/sql, the plugin's bin/), else in the dist/ of the package above it (the
 * provider runtime's bundle in dist/provider/resources; the sources, as Jest runs them).
 */
function grammarPath(): string {
  const candidates = [path.join(__dirname, FLINK_GRAMMAR_FILE)];
  const root = packageRootAbove(__dirname);
  if (root) candidates.push(path.join(root, "dist", "provider", "emulator", "sql", FLINK_GRAMMAR_FILE));
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(`the Flink SQL grammar is missing (looked for ${candidates.join(" and ")})`);
  return found;
}

function workerSource(): string {
  // `__name`: a bundle built with esbuild's keepNames (provider/bundle.ts) calls it inside functions,
  // and analyzeFlinkSql reaches the worker as source text, without the bundle's helpers.
  // Node's compile cache keeps the grammar's compiled code between runs.
  return `
const __name = (target) => target;
const { parentPort, workerData } = require("node:worker_threads");
require("node:module").enableCompileCache?.();
const analyze = ${analyzeFlinkSql.toString()};
const parser = new (require(workerData.grammar).FlinkSQL)();
parentPort.on("message", ({ id, sql }) => {
  try {
    parentPort.postMessage({ id, analysis: analyze(parser, sql) });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.stack) || err) });
  }
});`;
}

interface PendingParse {
  resolve: (analysis: SqlAnalysis) => void;
  reject: (error: Error) => void;
}

export interface FlinkSqlParserOptions {
  /**
   * A folder that keeps analyses between processes. The embedded emulator starts afresh in every
   * `up`, where loading the grammar and warming it for a statement's first shape hold that statement's
   * POST for ~0.4 s; with an analysis kept, the grammar is not needed. An entry is named by a digest of
   * the grammar, the analysis code and the SQL, so a changed grammar or analysis never reads an old one.
   * Unset: nothing is kept.
   */
  cacheDir?: string;
}

interface AnalysisCache {
  dir: string;
  /** Digest of the grammar and of the analysis code. */
  salt: string;
}

/** Enough of an analysis' shape to tell a kept entry from a damaged or foreign file. */
function looksLikeAnalysis(value: unknown): value is SqlAnalysis {
  const v = value as Partial<SqlAnalysis> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    Array.isArray(v.errors) &&
    typeof v.statementCount === "number" &&
    typeof v.kind === "string" &&
    Array.isArray(v.tables) &&
    Array.isArray(v.columns) &&
    Array.isArray(v.selectItems) &&
    typeof v.options === "object" &&
    v.options !== null
  );
}

function readKept(file: string): SqlAnalysis | undefined {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    return looksLikeAnalysis(value) ? value : undefined;
  } catch {
    return undefined; // absent, unreadable or damaged: parsed again, and written anew
  }
}

function keep(cache: AnalysisCache, file: string, analysis: SqlAnalysis): void {
  try {
    fs.mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
    // Written aside, then renamed: a reader sees a whole entry or none.
    const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(analysis), { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch {
    /* A cache that cannot be written only costs the next run a parse. */
  }
}

/** One parser worker per emulator; requests are answered in order. */
export class FlinkSqlParser {
  #worker: Worker | undefined;
  #nextId = 0;
  readonly #pending = new Map<number, PendingParse>();
  readonly #cacheDir: string | undefined;
  #cache: AnalysisCache | null | undefined;

  constructor(options: FlinkSqlParserOptions = {}) {
    this.#cacheDir = options.cacheDir;
  }

  /** The analysis of `sql`: kept from an earlier run when there is a cache folder, else parsed. */
  analyze(sql: string): Promise<SqlAnalysis> {
    const cache = this.#analysisCache();
    if (!cache) return this.#parse(sql);
    const file = path.join(
      cache.dir,
      `${createHash("sha256").update(cache.salt).update(sql).digest("hex")}.json`,
    );
    const kept = readKept(file);
    if (kept) return Promise.resolve(kept);
    return this.#parse(sql).then((analysis) => {
      keep(cache, file, analysis);
      return analysis;
    });
  }

  #analysisCache(): AnalysisCache | undefined {
    if (this.#cacheDir === undefined) return undefined;
    if (this.#cache === undefined) {
      try {
        const salt = createHash("sha256")
          .update(fs.readFileSync(grammarPath()))
          .update(analyzeFlinkSql.toString())
          .digest("hex");
        this.#cache = { dir: this.#cacheDir, salt };
      } catch {
        this.#cache = null; // no grammar: the parse reports it
      }
    }
    return this.#cache ?? undefined;
  }

  #parse(sql: string): Promise<SqlAnalysis> {
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise<SqlAnalysis>((resolve, reject) => {
      // A parse someone waits for holds the process open; an idle parser does not (see #start).
      if (this.#pending.size === 0) worker.ref();
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, sql });
    });
  }

  /**
   * Starts loading the grammar before any statement needs it: called when a compute pool is created,
   * since statements follow. Otherwise the first statement of an `up` waits for the whole load (the
   * embedded emulator starts afresh in every `up`). No parse is run ahead: a warm-up statement unlike
   * the user's warms other parts of ANTLR's caches, and costs more than it saves (measured).
   *
   * Not when the cache folder already keeps analyses: the statements that follow are then most likely
   * among them (a stack made again on the same data file), and the load would only cost CPU (about
   * 0.3 s in an `up` of 1 pool and 50 statements, measured). A statement that is not kept loads the
   * grammar when it comes.
   */
  preload(): void {
    if (this.#keepsAnalyses()) return;
    try {
      this.#start();
    } catch {
      /* A grammar that cannot load fails the statements that need it, not what asked for the preload. */
    }
  }

  #keepsAnalyses(): boolean {
    if (this.#cacheDir === undefined) return false;
    try {
      return fs.readdirSync(this.#cacheDir).some((name) => name.endsWith(".json"));
    } catch {
      return false; // no folder yet: nothing kept
    }
  }

  /** Whether the grammar has been loaded (the first statement or compute pool starts it). */
  get started(): boolean {
    return this.#worker !== undefined;
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(workerSource(), { eval: true, workerData: { grammar: grammarPath() } });
    worker.on("message", (message: { id: number; analysis?: SqlAnalysis; error?: string }) => {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (this.#pending.size === 0) worker.unref();
      if (message.analysis) pending.resolve(message.analysis);
      else pending.reject(new Error(`Flink SQL parser failed: ${message.error ?? "no answer"}`));
    });
    const failAll = (error: Error) => {
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
      if (this.#worker === worker) this.#worker = undefined;
    };
    worker.on("error", (err) => failAll(new Error(`Flink SQL parser failed: ${err.message}`)));
    worker.on("exit", () => failAll(new Error("Flink SQL parser stopped")));
    /*
     * An idle parser must not keep a process (CLI, tests) alive; close() ends it explicitly. After the
     * listeners: adding a "message" listener refs the worker's port again.
     */
    worker.unref();
    this.#worker = worker;
    return worker;
  }
}
