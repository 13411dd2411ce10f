/** Jest helpers for tests that drive the real Pulumi engine. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import {
  findPulumiTools,
  inlineStack as inlineStackIn,
  offlinePulumiEnv,
  type PulumiTools,
} from "../../scripts/pulumi-env";

const execFileAsync = promisify(execFile);

/**
 * Resolves the CLI once per test file. Where a piece is missing the suite is skipped with a message
 * naming it; under CI a missing CLI fails instead, so a green CI run always means the engine ran.
 */
export function requirePulumi(): PulumiTools | undefined {
  const found = findPulumiTools();
  if ("missing" in found) {
    if (process.env.CI) {
      throw new Error(`Pulumi end-to-end tests cannot run under CI: ${found.missing}`);
    }
    console.warn(`SKIPPED Pulumi end-to-end tests: ${found.missing}`);
    return undefined;
  }
  return found;
}

/** `describe` that runs only when the Pulumi CLI is available (see requirePulumi). */
export function describeWithPulumi(name: string, body: (tools: PulumiTools) => void): void {
  const tools = requirePulumi();
  if (!tools) {
    describe.skip(name, () => {
      it("needs the Pulumi CLI", () => undefined);
    });
    return;
  }
  describe(name, () => body(tools));
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-cmf-${prefix}-`));
}

export interface PulumiSandbox {
  root: string;
  env: Record<string, string>;
}

/** A private PULUMI_HOME and file backend under one temp folder. */
export function makePulumiSandbox(tools: PulumiTools, prefix: string): PulumiSandbox {
  const root = makeTempDir(prefix);
  const env = offlinePulumiEnv({
    pulumiHome: path.join(root, "home"),
    backendDir: path.join(root, "state"),
    binDir: tools.binDir,
  });
  return { root, env };
}

export interface SandboxStackOptions {
  tools: PulumiTools;
  sandbox: PulumiSandbox;
  projectName: string;
  stackName: string;
  program: PulumiFn;
  /** Where the dynamic-provider process runs: must see node_modules with @pulumi/pulumi (and pulumi-cmf). */
  workDir: string;
  envVars?: Record<string, string>;
}

/** An Automation API inline stack in the sandbox. */
export function inlineStack(options: SandboxStackOptions): Promise<Stack> {
  return inlineStackIn({ ...options, env: { ...options.sandbox.env, ...options.envVars } });
}

export interface CliResult {
  stdout: string;
  stderr: string;
}

/** Runs the `pulumi` binary in a project directory with the sandbox's environment. */
export async function runPulumi(
  sandbox: PulumiSandbox,
  cwd: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await execFileAsync(
      "pulumi",
      [...args, "--non-interactive", "--color", "never"],
      {
        cwd,
        env: { ...process.env, ...sandbox.env, ...extraEnv },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 10 * 60 * 1000,
      },
    );
    return { stdout, stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`pulumi ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`, {
      cause: error,
    });
  }
}
