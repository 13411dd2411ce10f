import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { analyzeFlinkSql, type SqlAnalysis } from "./analysis";

/**
 * The Flink SQL grammar: dt-sql-parser's FlinkSQL parser (ANTLR, generated from Flink's own grammar),
 * run in a worker thread, loaded at the first statement.
 *
 * Why a worker: dt-sql-parser 4.5 ships ES modules with extensionless relative imports, which Node
 * cannot load without a resolve hook; the hook (registered in the worker only) stays out of the
 * embedding process and of Jest's module system. The Flink grammar takes ~0.2 s to load and its first
 * parses warm ANTLR's DFA caches (hundreds of ms); in the worker that happens off the event loop, so the
 * emulator keeps answering other requests meanwhile. Nothing is loaded at emulator start, nor by reads.
 */

/* Resolves `./x` to `./x.js` or `./x/index.js` for imports made from inside dt-sql-parser only. */
const RESOLVE_HOOK = `
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve as resolvePath } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
const isFile = (p) => existsSync(p) && statSync(p).isFile();
export async function resolve(specifier, context, next) {
  const parent = context.parentURL;
  if (parent && parent.includes("/dt-sql-parser/") && (specifier.startsWith("./") || specifier.startsWith("../"))) {
    const base = resolvePath(dirname(fileURLToPath(parent)), specifier);
    for (const candidate of [base + ".js", join(base, "index.js")]) {
      if (isFile(candidate)) return { url: pathToFileURL(candidate).href, format: "module", shortCircuit: true };
    }
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  return next(url, url.includes("/dt-sql-parser/") && url.endsWith(".js") ? { ...context, format: "module" } : context);
}`;

function workerSource(): string {
  // `__name`: a bundle built with esbuild's keepNames (provider/bundle.ts) calls it inside functions,
  // and analyzeFlinkSql reaches the worker as source text, without the bundle's helpers.
  return `
const __name = (target) => target;
const { parentPort, workerData } = require("node:worker_threads");
const { register } = require("node:module");
register("data:text/javascript," + encodeURIComponent(workerData.hook));
const analyze = ${analyzeFlinkSql.toString()};
const ready = import(workerData.entry).then((m) => new m.FlinkSQL());
ready.catch(() => undefined);
parentPort.on("message", async ({ id, sql }) => {
  try {
    const parser = await ready;
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

/** One parser worker per emulator; requests are answered in order. */
export class FlinkSqlParser {
  #worker: Worker | undefined;
  #nextId = 0;
  readonly #pending = new Map<number, PendingParse>();

  analyze(sql: string): Promise<SqlAnalysis> {
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise<SqlAnalysis>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, sql });
    });
  }

  /**
   * Starts loading the grammar before any statement needs it: called when a compute pool is created,
   * since statements follow. Otherwise the first statement of an `up` waits for the whole load (the
   * embedded emulator starts afresh in every `up`). No parse is run ahead: a warm-up statement unlike
   * the user's warms other parts of ANTLR's caches, and costs more than it saves (measured).
   */
  preload(): void {
    this.#start();
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
    // The Flink dialect alone: the package's main entry also loads MySQL, Spark, Hive, Trino, Impala and
    // PostgreSQL grammars (18 MB of the 20), which made the load ~5x slower (dt-sql-parser is pinned).
    const entry = pathToFileURL(require.resolve("dt-sql-parser/dist/parser/flink/index.js")).href;
    const worker = new Worker(workerSource(), { eval: true, workerData: { hook: RESOLVE_HOOK, entry } });
    /* An idle parser must not keep a process (CLI, tests) alive; close() ends it explicitly. */
    worker.unref();
    worker.on("message", (message: { id: number; analysis?: SqlAnalysis; error?: string }) => {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
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
    this.#worker = worker;
    return worker;
  }
}
