/**
 * The dynamic-provider process starts afresh for every `pulumi preview`, `up` and `refresh`, loads the
 * runtime bundle and runs each function of it for the first time. V8 skips compiling what a code cache
 * gives it. Node's compile cache makes that cache as soon as a module is compiled, when it holds the
 * bundle's top level only: the functions an operation runs (the client, zod's parsers, the kinds, the
 * emulator) were compiled again, lazily, in every process. So the bundle is compiled here through
 * `vm.Script`, with a code cache taken after this process has run operations: `createCachedData` then
 * holds every function compiled so far. A fresh process that loads it skips those compiles: about 40 ms
 * of CPU in a process that loads the bundle and reads 52 objects (docs/benchmarks.md).
 *
 * The cache is one file per bundle content, Node version, architecture and Node options, in Node's
 * compile-cache folder (NODE_COMPILE_CACHE, else `<tmp>/node-compile-cache`), under `pulumi-cmf/`. V8
 * checks the data against the source, its own version and its flags, and rejects what does not match;
 * but it trusts the bytes themselves (damaged data crashes the process: "Fatal error ... unreachable
 * code"), so the file carries a checksum of them, checked first, as Node's cache does. A file owned by
 * another user is not read. NODE_DISABLE_COMPILE_CACHE turns it off, as it does Node's cache.
 *
 * The engine ends this process by SIGINT as soon as its last operation has answered, so no exit hook
 * runs and no quiet moment can be waited for. The cache is written as soon as no operation is in flight
 * after one (method and kind) the cache on disk did not cover: once the commands a project runs have
 * each run once, no process writes it again.
 */
import * as fs from "node:fs";
import Module, { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";
import { crc32 } from "node:zlib";

const MAGIC = "pulumi-cmf code cache 1\n";

export type CodeCacheStatus = "off" | "none" | "loaded" | "rejected";

export interface BundleCodeCacheOptions {
  /** Where the cache files go; default: Node's compile-cache folder, `pulumi-cmf/`. */
  dir?: string;
  env?: NodeJS.ProcessEnv;
}

function defaultDir(env: NodeJS.ProcessEnv): string {
  return path.join(env.NODE_COMPILE_CACHE || path.join(os.tmpdir(), "node-compile-cache"), "pulumi-cmf");
}

/** Header (what the cache covers) and V8's data; "damaged" when unusable; nothing when absent or foreign. */
function readCacheFile(file: string): { covered: string[]; data: Buffer } | "damaged" | undefined {
  let bytes: Buffer;
  try {
    const fd = fs.openSync(file, "r");
    try {
      // Code is run from this file: never from one another user could have put there.
      if (process.getuid && fs.fstatSync(fd).uid !== process.getuid()) return undefined;
      bytes = fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const end = bytes.indexOf(10, MAGIC.length);
  if (end < 0 || bytes.subarray(0, MAGIC.length).toString() !== MAGIC) return "damaged";
  try {
    const header = JSON.parse(bytes.subarray(MAGIC.length, end).toString()) as {
      covered?: unknown;
      crc?: unknown;
    };
    const data = bytes.subarray(end + 1);
    if (header.crc !== crc32(data) || !Array.isArray(header.covered)) return "damaged";
    return { covered: header.covered.filter((k) => typeof k === "string"), data };
  } catch {
    return "damaged";
  }
}

export class BundleCodeCache {
  status: CodeCacheStatus = "off";
  /** The cache file of the bundle loaded; absent when the cache is off. */
  file: string | undefined;
  readonly #dir: string;
  readonly #off: boolean;
  /** The Node options of this process: V8 rejects a cache made under other flags. */
  readonly #flags: number;
  #script: vm.Script | undefined;
  /** The operations the cache on disk covers. */
  #covered = new Set<string>();
  /** The operations this process has run. */
  readonly #ran = new Set<string>();
  #inFlight = 0;
  #saving: NodeJS.Immediate | undefined;

  constructor(options: BundleCodeCacheOptions = {}) {
    const env = options.env ?? process.env;
    this.#dir = options.dir ?? defaultDir(env);
    this.#off = Boolean(env.NODE_DISABLE_COMPILE_CACHE);
    // Options only: execArgv also holds the code of `node -e`, and the values of options given apart.
    const given = process.execArgv.filter((arg) => arg.startsWith("--") && !/^--(eval|print)\b/.test(arg));
    this.#flags = crc32(`${given.join(" ")}\n${env.NODE_OPTIONS ?? ""}`);
  }

  /** Runs a CommonJS bundle (one file, requiring only Node's modules) and returns its exports. */
  load(bundle: string): unknown {
    const source = fs.readFileSync(bundle, "utf8");
    let found: ReturnType<typeof readCacheFile>;
    if (!this.#off) {
      // One file per set of options too: two sets in turn would otherwise reject and rewrite each other's.
      const content = `${crc32(source).toString(16)}-${source.length}`;
      const key = `${process.version}-${process.arch}-${content}-${this.#flags.toString(16)}`;
      this.file = path.join(this.#dir, `${path.basename(bundle, ".js")}-${key}.bin`);
      found = readCacheFile(this.file);
    }
    const cached = typeof found === "object" ? found : undefined;
    const script = new vm.Script(Module.wrap(source), {
      filename: bundle,
      cachedData: cached?.data,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (this.file) {
      this.#script = script;
      this.status = !found ? "none" : !cached || script.cachedDataRejected ? "rejected" : "loaded";
      if (this.status === "loaded") this.#covered = new Set(cached?.covered);
    }
    const module = { exports: {} as unknown };
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
    wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
    return module.exports;
  }

  /**
   * Runs one operation; `key` names what it ran (asked once it has run: an embedded emulator, for one,
   * starts during the first operation). The cache is written when none is in flight.
   */
  track<T>(key: () => string, run: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    return new Promise<T>((resolve) => resolve(run())).finally(() => {
      this.#inFlight--;
      this.#ran.add(key());
      if (this.#inFlight > 0 || this.#saving || !this.#script || this.#covers(this.#ran)) return;
      // After the operation's answer is on its way.
      this.#saving = setImmediate(() => {
        this.#saving = undefined;
        if (this.#inFlight === 0) this.save();
      }).unref();
    });
  }

  #covers(keys: Set<string>): boolean {
    return [...keys].every((key) => this.#covered.has(key));
  }

  /** Writes the cache with what this process compiled; false when it could not (it is only a cache). */
  save(): boolean {
    if (!this.#script || !this.file) return false;
    const covered = new Set([...this.#covered, ...this.#ran]);
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      const data = this.#script.createCachedData();
      const header = `${MAGIC}${JSON.stringify({ covered: [...covered].sort(), crc: crc32(data) })}\n`;
      fs.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(temp, Buffer.concat([Buffer.from(header), data]), { mode: 0o600 });
      fs.renameSync(temp, this.file);
    } catch {
      fs.rmSync(temp, { force: true });
      return false;
    }
    this.#covered = covered;
    return true;
  }
}
