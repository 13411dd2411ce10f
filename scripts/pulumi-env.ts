/**
 * Finding the Pulumi CLI and running it offline, for our tests, the demo and the benchmarks.
 * Everything here is per process: the user's global Pulumi login, config and plugins are never touched.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  LocalWorkspace,
  PulumiCommand,
  StackAlreadyExistsError,
  type OutputMap,
  type PulumiFn,
  type Stack,
} from "@pulumi/pulumi/automation";

export interface PulumiTools {
  /** Directory holding `pulumi` and `pulumi-resource-pulumi-nodejs` (and, when available, the language host). */
  binDir: string;
  /** Whether `pulumi-language-nodejs` is available, which file-based projects (`pulumi up` in a directory) need. */
  hasLanguageHost: boolean;
}

const PINNED_VERSION = "3.276.0";

function cacheRoot(): string {
  return (
    process.env.PULUMI_CMF_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "pulumi-cmf")
  );
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function whichAll(name: string, searchPath: string): string[] {
  return searchPath
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .filter(isExecutable);
}

/**
 * Candidate directories: PATH first (what `scripts/pulumi-cli.sh` exports), then the cache that script
 * builds into, so that a test started without the script still finds an earlier build.
 */
function candidateDirs(): string[] {
  const fromPath = whichAll("pulumi", process.env.PATH ?? "").map((p) => path.dirname(p));
  const cached = path.join(cacheRoot(), `pulumi-v${PINNED_VERSION}`, "bin");
  return [...new Set([...fromPath, cached])];
}

/** Locates the CLI, or says exactly which piece is missing and how to get it. */
export function findPulumiTools(): PulumiTools | { missing: string } {
  const dirs = candidateDirs();
  const binDir = dirs.find((dir) => isExecutable(path.join(dir, "pulumi")));
  if (!binDir) {
    return {
      missing:
        'the Pulumi CLI (`pulumi`) is not on PATH nor in the build cache; run `export PATH="$(bash scripts/pulumi-cli.sh):$PATH"`',
    };
  }
  const searchPath = [binDir, ...(process.env.PATH ?? "").split(path.delimiter)].join(path.delimiter);
  if (whichAll("pulumi-resource-pulumi-nodejs", searchPath).length === 0) {
    return {
      missing: `the dynamic-provider shim \`pulumi-resource-pulumi-nodejs\` is missing next to ${binDir}/pulumi; run \`bash scripts/pulumi-cli.sh\` after \`npm ci\``,
    };
  }
  return { binDir, hasLanguageHost: whichAll("pulumi-language-nodejs", searchPath).length > 0 };
}

export interface OfflineEnvOptions {
  /** Pulumi's home (plugins, logs, credentials): a folder of our own, never ~/.pulumi. */
  pulumiHome: string;
  /** Local state backend folder (`file://`). */
  backendDir: string;
  /** Passphrase of the stack's secrets provider. */
  passphrase?: string;
  binDir?: string;
}

/**
 * Environment for a `pulumi` process that never reaches the internet and never changes the user's
 * global Pulumi setup: a file backend, a private PULUMI_HOME, no update check, no plugin downloads.
 */
export function offlinePulumiEnv(options: OfflineEnvOptions): Record<string, string> {
  fs.mkdirSync(options.pulumiHome, { recursive: true });
  fs.mkdirSync(options.backendDir, { recursive: true });
  const env: Record<string, string> = {
    PULUMI_HOME: options.pulumiHome,
    PULUMI_BACKEND_URL: `file://${options.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? "pulumi-cmf-local",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
  };
  if (options.binDir) {
    env.PATH = [options.binDir, process.env.PATH ?? ""].join(path.delimiter);
  }
  return env;
}

export interface InlineStackOptions {
  tools: PulumiTools;
  /** From offlinePulumiEnv, plus anything the program or provider needs. */
  env: Record<string, string>;
  projectName: string;
  stackName: string;
  program: PulumiFn;
  /** The dynamic-provider process's cwd: its node_modules must hold @pulumi/pulumi (and pulumi-cmf). */
  workDir: string;
}

/**
 * Works around a defect of @pulumi/pulumi 3.276.0 that makes a sequence of inline operations in one
 * process flaky. Each Automation API run leaks its resource-monitor client (`disconnectSync()` closes
 * only the module-level clients), and grpc-js shares subchannels process-wide by address: when a later
 * run's CLI listens on a port a leaked client still points at, the run's first RPC fails with
 * `UNAVAILABLE: No connection established`, which the inline language server swallows, so the run
 * "succeeds" with an empty program (an `up` would delete every resource). A subchannel pool per client
 * removes the sharing; the option is read at each client creation.
 */
function isolateMonitorChannels(): void {
  const settings = require("@pulumi/pulumi/runtime/settings") as {
    grpcClientOptions: Record<string, unknown>;
  };
  settings.grpcClientOptions["grpc.use_local_subchannel_pool"] = 1;
}

/** The fields of Pulumi's per-run state (its `LocalStore`), as the program sees them. */
export type RunState = Record<string, unknown>;

/** The Pulumi state of the run this is called in (a program's), if any. */
export function pulumiRunState(): RunState | undefined {
  return (
    globalThis as { asyncLocalStorage?: { getStore(): RunState | undefined } }
  ).asyncLocalStorage?.getStore();
}

/** Replaces each named operation of `stack` with `around(operation)`. */
function aroundOperations(
  stack: Stack,
  names: readonly string[],
  around: (operation: () => Promise<unknown>) => Promise<unknown>,
): void {
  for (const name of names) {
    const operation = (stack as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[
      name
    ].bind(stack);
    (stack as unknown as Record<string, unknown>)[name] = (...args: unknown[]) =>
      around(() => operation(...args));
  }
}

/**
 * Works around a second consequence of the leak above: what a run leaves behind keeps the async-local
 * store it was made in, that is the run's Pulumi state, whose stack resource holds every resource the
 * program registered. One holder is the c-ares handle of the `dns.promises.Resolver` grpc-js makes for
 * each client; making those outside the store did not stop the growth, so there are others. A process
 * that runs many inline operations so kept all of them: 6–7 MB of live heap more after each no-op
 * preview of 500 resources, 1.4 GB of RSS after a 24-minute benchmark, and a growing heap whose garbage
 * collection every later step paid, on whichever side it measured (docs/benchmarks.md). No process of a
 * real `pulumi preview` runs two programs. Once the operation that ran a program has ended, nothing reads
 * that run's state any more: `release` empties it, and what it held can be collected.
 */
export function releasingRunState(
  program: PulumiFn,
  currentState: () => RunState | undefined = pulumiRunState,
): { program: PulumiFn; release(): void } {
  const ran: RunState[] = [];
  return {
    program: () => {
      const state = currentState();
      if (state) ran.push(state);
      return program();
    },
    release: () => {
      for (const state of ran.splice(0)) for (const key of Object.keys(state)) state[key] = undefined;
    },
  };
}

/**
 * `PulumiCommand.get` runs `pulumi version` to check the CLI, and the CLI's start alone costs about
 * 0.35 s of CPU: resolved once per CLI location and instance of this module (a benchmark process, a
 * Jest test file), not once per stack.
 */
const pulumiCommands = new Map<string, Promise<PulumiCommand>>();

function pulumiCommandIn(binDir: string): Promise<PulumiCommand> {
  let command = pulumiCommands.get(binDir);
  if (!command) {
    command = PulumiCommand.get({ root: path.dirname(binDir) });
    // A failed check is not kept: the next stack reports it again.
    command.catch(() => pulumiCommands.delete(binDir));
    pulumiCommands.set(binDir, command);
  }
  return command;
}

/** An Automation API inline stack on the env's file backend (needs only `pulumi` and the shim). */
export async function inlineStack(options: InlineStackOptions): Promise<Stack> {
  isolateMonitorChannels();
  const pulumiCommand = await pulumiCommandIn(options.tools.binDir);
  const run = releasingRunState(options.program);
  const args = { projectName: options.projectName, stackName: options.stackName, program: run.program };
  const workspace = {
    workDir: options.workDir,
    pulumiHome: options.env.PULUMI_HOME,
    pulumiCommand,
    envVars: options.env,
    projectSettings: {
      name: options.projectName,
      runtime: "nodejs",
      backend: { url: options.env.PULUMI_BACKEND_URL },
    },
  };
  // `createOrSelectStack` tries `stack select` first, which fails for a new stack: two CLI runs where
  // one does. Most stacks here are new, so create first and select only a stack that exists.
  let stack: Stack;
  try {
    stack = await LocalWorkspace.createStack(args, workspace);
  } catch (error) {
    if (!(error instanceof StackAlreadyExistsError)) throw error;
    stack = await LocalWorkspace.selectStack(args, workspace);
  }
  // Every operation that serves the program to the CLI (a refresh runs it only when asked to).
  aroundOperations(
    stack,
    ["up", "preview", "refresh", "previewRefresh", "destroy", "previewDestroy"],
    (operation) => operation().finally(run.release),
  );
  return withLeanBookkeeping(stack, {
    binDir: options.tools.binDir,
    workDir: options.workDir,
    env: options.env,
  });
}

/** The operations after which outputs read earlier no longer describe the stack. */
const CHANGING_OPERATIONS = ["up", "refresh", "destroy", "import"] as const;

/**
 * The Automation API follows an operation with CLI runs of its own: `pulumi stack output` twice after
 * every `up` (masked, then with secrets), and `pulumi stack history --show-secrets` after every `up`,
 * `refresh` and `destroy`, for the summary. Each run that decrypts derives the stack's key from its
 * passphrase (1,000,000 rounds of PBKDF2: about 0.27 s of CPU) on top of the CLI's start: together about
 * 1.2 s of CPU per `up`, more than many of the operations our tests and benchmarks run, and time the
 * benchmarks would count as the engine's. Here the summary is read without secrets (nobody reads the
 * plaintext configuration it then holds), and the outputs only when something reads them.
 */
export function withLeanBookkeeping(
  stack: Stack,
  options: { binDir: string; workDir: string; env: Record<string, string> },
): Stack {
  const info = stack.info.bind(stack);
  stack.info = (showSecrets?: boolean) => info(showSecrets === true);

  let generation = 0;
  aroundOperations(stack, CHANGING_OPERATIONS, (operation) => {
    generation += 1;
    return operation();
  });
  const read = (): OutputMap => {
    const run = (...flags: string[]): Record<string, unknown> =>
      JSON.parse(
        execFileSync(
          path.join(options.binDir, "pulumi"),
          ["stack", "output", "--json", ...flags, "--stack", stack.name],
          {
            cwd: options.workDir,
            env: { ...process.env, ...options.env, PULUMI_AUTOMATION_API: "true" },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
          },
        ),
      ) as Record<string, unknown>;
    const masked = run();
    return Object.fromEntries(
      Object.entries(run("--show-secrets")).map(([key, value]) => [
        key,
        { value, secret: masked[key] === "[secret]" },
      ]),
    );
  };
  stack.outputs = async () => {
    const at = generation;
    return lazyOutputs(read, () => at === generation);
  };
  return stack;
}

/**
 * Stack outputs read from the CLI (synchronously) on first access. Access after a later operation on
 * the stack fails rather than return that operation's outputs as this one's.
 */
export function lazyOutputs(read: () => OutputMap, current: () => boolean): OutputMap {
  let outputs: OutputMap | undefined;
  const load = (): OutputMap => {
    if (outputs === undefined) {
      if (!current()) {
        throw new Error(
          "stack outputs read after a later operation on the same stack: read them before it, or call stack.outputs()",
        );
      }
      outputs = read();
    }
    return outputs;
  };
  return new Proxy({} as OutputMap, {
    // `await` looks for `then` on what an async function returns: that is not a read of the outputs.
    get: (_target, key) => (key === "then" ? undefined : Reflect.get(load(), key)),
    has: (_target, key) => Reflect.has(load(), key),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_target, key) => Reflect.getOwnPropertyDescriptor(load(), key),
  });
}
