/**
 * Runs `pulumi up` of an inline program in a separate Node process, so that a test can kill it
 * (SIGKILL, whole process group: Node, the Pulumi CLI and the provider plugin) in the middle of an
 * update. The program is a plain JS module shared with the test process, so that the killed run and
 * the recovery run declare exactly the same resources.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PulumiTools } from "../../scripts/pulumi-env";
import { killProcessesWithEnv } from "./process-leaks";
import type { PulumiSandbox } from "./pulumi";

export interface InlineUpProcessOptions {
  tools: PulumiTools;
  sandbox: PulumiSandbox;
  /** The project directory holding `node_modules/pulumi-cmf` (the provider's cwd). */
  workDir: string;
  projectName: string;
  stackName: string;
  /** A CommonJS module exporting `program(sdk)`: the function returned is the inline program. */
  programModule: string;
  /** Where to write the runner script. */
  scriptDir: string;
}

const RUNNER = `
const config = JSON.parse(process.argv[2]);
const { LocalWorkspace, PulumiCommand } = require(config.automation);
const sdk = require(config.sdk);
const { program } = require(config.programModule);
(async () => {
  const pulumiCommand = await PulumiCommand.get({ root: config.pulumiRoot });
  const stack = await LocalWorkspace.createOrSelectStack(
    { projectName: config.projectName, stackName: config.stackName, program: program(sdk) },
    {
      workDir: config.workDir,
      pulumiHome: config.envVars.PULUMI_HOME,
      pulumiCommand,
      envVars: config.envVars,
      projectSettings: { name: config.projectName, runtime: "nodejs", backend: { url: config.envVars.PULUMI_BACKEND_URL } },
    },
  );
  process.stdout.write("UP STARTED\\n");
  await stack.up();
  process.stdout.write("UP DONE\\n");
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
`;

/** Starts the runner in its own process group; `child.pid` is also the group id. */
export function startInlineUp(options: InlineUpProcessOptions): { child: ChildProcess; output: string[] } {
  const script = path.join(options.scriptDir, "inline-up-runner.js");
  fs.writeFileSync(script, RUNNER);
  const config = {
    automation: path.join(options.workDir, "node_modules/@pulumi/pulumi/automation"),
    sdk: path.join(options.workDir, "node_modules/pulumi-cmf"),
    programModule: options.programModule,
    pulumiRoot: path.dirname(options.tools.binDir),
    workDir: options.workDir,
    projectName: options.projectName,
    stackName: options.stackName,
    envVars: options.sandbox.env,
  };
  const child = spawn(process.execPath, [script, JSON.stringify(config)], {
    cwd: options.workDir,
    detached: true,
    env: { ...process.env, ...options.sandbox.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  return { child, output };
}

/** Whether any process of the group led by `pgid` is still alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kills a run started by startInlineUp as a crash would (SIGKILL to its whole process group), then ends
 * what the killed engine had started: its plugins (the dynamic provider) run in process groups of their
 * own and would otherwise live on. They are found by the sandbox's PULUMI_HOME, unique to the test.
 */
export async function killInlineUp(child: ChildProcess, sandbox: PulumiSandbox): Promise<void> {
  process.kill(-(child.pid as number), "SIGKILL");
  await killProcessesWithEnv("PULUMI_HOME", sandbox.env.PULUMI_HOME);
}
