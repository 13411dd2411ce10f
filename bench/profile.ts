/**
 * Where the provider process spends its time during a no-op preview and a refresh of 1 environment and
 * N applications (standalone emulator): the dynamic-provider process runs under `node --cpu-prof`, and
 * its profile is summarised by origin (module loading, zod, undici, gRPC, pulumi-cmf's layers).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { summarizeProfile, type CpuProfile, type ProfileSummary } from "./cpu-profile";
import { openEngineHarness, teardown } from "./engine-harness";
import { startStandaloneEmulator } from "./fixtures";
import { timeMs } from "./stats";

export interface ProfileBenchResult {
  applications: number;
  preview: StepProfile;
  refresh: StepProfile;
}

export interface StepProfile {
  /** Wall time of the whole step as the Automation API saw it. */
  stepMs: number;
  /** The provider process(es) of that step, profiles merged. */
  provider: ProfileSummary;
}

/** node writes its profile as the process exits, which may be just after the CLI returns. */
async function profilesIn(dir: string, waitMs = 10_000): Promise<CpuProfile[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")) : [];
    if (files.length > 0) {
      return files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as CpuProfile);
    }
    if (Date.now() > deadline) throw new Error(`no CPU profile was written in ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function merge(summaries: ProfileSummary[]): ProfileSummary {
  const byOrigin = new Map<string, number>();
  for (const s of summaries)
    for (const o of s.byOrigin) byOrigin.set(o.origin, (byOrigin.get(o.origin) ?? 0) + o.ms);
  return {
    activeMs: summaries.reduce((sum, s) => sum + s.activeMs, 0),
    moduleLoadingMs: summaries.reduce((sum, s) => sum + s.moduleLoadingMs, 0),
    byOrigin: [...byOrigin.entries()].map(([origin, ms]) => ({ origin, ms })).sort((a, b) => b.ms - a.ms),
  };
}

export async function benchProfile(options: { applications?: number } = {}): Promise<ProfileBenchResult> {
  const applications = options.applications ?? 50;
  const harness = openEngineHarness("profile");
  const emulator = await startStandaloneEmulator();
  try {
    const program = harness.cmfProgram(applications);
    const base = { CONFLUENT_CMF_URL: emulator.url };
    const stack = await harness.stack(program, base, "profiled");
    await stack.up();
    const profiled = async (step: string, run: (s: Stack) => Promise<unknown>): Promise<StepProfile> => {
      const dir = path.join(harness.root, `profile-${step}`);
      const env = { ...base, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` };
      const s = await harness.stack(program, env, "profiled");
      const stepMs = await timeMs(() => run(s));
      return { stepMs, provider: merge((await profilesIn(dir)).map(summarizeProfile)) };
    };
    const preview = await profiled("preview", (s) => s.preview());
    const refresh = await profiled("refresh", (s) => s.refresh());
    await teardown(stack);
    return { applications, preview, refresh };
  } finally {
    await emulator.stop();
    harness.close();
  }
}
