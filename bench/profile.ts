/**
 * Where the provider process spends its time during a no-op preview and a refresh of 1 environment and
 * N applications, with the standalone and with the embedded emulator: the dynamic-provider process is
 * profiled (`profile-preload.ts`), and its profile is summarised by origin (module loading, zod, undici,
 * gRPC, pulumi-cmf's layers). In embedded mode that process also serves the emulator.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { mergeSummaries, summarizeProfile, type CpuProfile, type ProfileSummary } from "./cpu-profile";
import { forget, openEngineHarness, type ExportedResource } from "./engine-harness";
import { APPLICATIONS_GRAPH } from "./engine-graphs";
import { startStandaloneEmulator } from "./fixtures";
import { ownStatTimes } from "./process-cpu";

export interface ProfileBenchResult {
  applications: number;
  standalone: ModeProfile;
  embedded: ModeProfile;
}

export interface ModeProfile {
  preview: StepProfile;
  refresh: StepProfile;
}

export interface StepProfile {
  /** Wall time of the whole step as the Automation API saw it. */
  stepMs: number;
  /** The provider process(es) of that step, profiles merged. */
  provider: ProfileSummary;
  /** The same step of the floor (no-op dynamic resources, same graph): what the engine's own provider costs. */
  floor: ProfileSummary;
  /** Whole-process CPU of the step (all threads), pulumi-cmf's side; absent without `/proc`. */
  processes?: StepCpu;
  /** The same for the floor. */
  floorProcesses?: StepCpu;
}

export interface StepCpu {
  /** The provider process(es): main thread, garbage collection's and the compiler's threads. */
  providerMs: number;
  /** Everything else the `pulumi` command ran: the engine itself, its other plugins. */
  engineMs: number;
}

interface ProviderRecords {
  profiles: CpuProfile[];
  /** Each provider process's CPU time, all threads (`profile-preload.ts` writes it with the profile). */
  cpuMs: number;
}

/** The provider writes its profile as it exits, which may be just after the CLI returns. */
async function recordsIn(dir: string, waitMs = 10_000): Promise<ProviderRecords> {
  const deadline = Date.now() + waitMs;
  const read = (f: string): unknown => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
  for (;;) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    const profiles = files.filter((f) => f.endsWith(".cpuprofile"));
    const usages = files.filter((f) => f.endsWith(".usage.json"));
    if (profiles.length > 0 && usages.length === profiles.length) {
      return {
        profiles: profiles.map((f) => read(f) as CpuProfile),
        cpuMs: usages.reduce((sum, f) => sum + (read(f) as { cpuMs: number }).cpuMs, 0),
      };
    }
    if (Date.now() > deadline) throw new Error(`no CPU profile was written in ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function benchProfile(options: { applications?: number } = {}): Promise<ProfileBenchResult> {
  const applications = options.applications ?? 50;
  const harness = openEngineHarness("profile");
  const emulator = await startStandaloneEmulator();
  try {
    const floor = { program: harness.floorProgram(APPLICATIONS_GRAPH, applications), name: "floor" };
    const profileMode = async (base: Record<string, string>, mode: string): Promise<ModeProfile> => {
      const cmf = { program: harness.cmfProgram(APPLICATIONS_GRAPH, applications), name: `cmf-${mode}` };
      const deployed = await harness.stack(cmf.program, base, cmf.name);
      await deployed.up();
      const exported = (await deployed.exportStack()).deployment as { resources: ExportedResource[] };
      harness.recordServerFields(exported.resources, APPLICATIONS_GRAPH, applications);
      await (await harness.stack(floor.program, harness.withServerFields(base), floor.name)).up();
      const profiled = async (side: typeof cmf, step: string, run: (s: Stack) => Promise<unknown>) => {
        const dir = path.join(harness.root, `profile-${side.name}-${mode}-${step}`);
        fs.mkdirSync(dir);
        const preload = path.join(__dirname, "profile-preload.js");
        const sideEnv = side === floor ? harness.withServerFields(base) : base;
        const env = { ...sideEnv, NODE_OPTIONS: `--require ${preload}`, PULUMI_CMF_PROFILE_DIR: dir };
        const stack = await harness.stack(side.program, env, side.name);
        // Children's time counts waited-for processes only: the CLI, which waits for its plugins (the
        // standalone emulator, a child still running, is not in it).
        const before = ownStatTimes();
        const started = performance.now();
        await run(stack);
        const stepMs = performance.now() - started;
        const after = ownStatTimes();
        const records = await recordsIn(dir);
        const cpu: StepCpu | undefined =
          before && after
            ? { providerMs: records.cpuMs, engineMs: after.childrenMs - before.childrenMs - records.cpuMs }
            : undefined;
        return { stepMs, cpu, summary: mergeSummaries(records.profiles.map(summarizeProfile)) };
      };
      const step = async (name: string, run: (s: Stack) => Promise<unknown>): Promise<StepProfile> => {
        const ours = await profiled(cmf, name, run);
        const theirs = await profiled(floor, name, run);
        return {
          stepMs: ours.stepMs,
          provider: ours.summary,
          floor: theirs.summary,
          ...(ours.cpu && theirs.cpu ? { processes: ours.cpu, floorProcesses: theirs.cpu } : {}),
        };
      };
      const preview = await step("preview", (s) => s.preview());
      const refresh = await step("refresh", (s) => s.refresh());
      // The standalone emulator keeps cmf-standalone's objects: no later stack makes them again.
      for (const side of [cmf, floor]) await forget(await harness.stack(side.program, base, side.name));
      return { preview, refresh };
    };
    const standalone = await profileMode({ CONFLUENT_CMF_URL: emulator.url }, "standalone");
    const embedded = await profileMode(
      { CMF_EMULATOR: path.join(harness.root, "embedded.json") },
      "embedded",
    );
    return { applications, standalone, embedded };
  } finally {
    await emulator.stop();
    harness.close();
  }
}
