import { z } from "zod";
import { parseModel, type FlinkApplication } from "../models";
import { forceFailure, requireApplication } from "./applications";
import { MAX_CLOCK_OFFSET_MS } from "./clock";
import type { EmulatorCore } from "./core";
import { requireEnvironment } from "./environments";
import { badRequest, EmulatorOptionsError } from "./errors";
import { parseFaultConfig, type FaultConfig } from "./faults";
import { DEFAULT_FAILURE_MESSAGE } from "./lifecycle";
import { createRestFamilyControls, restFamilyControlRoutes, type RestFamilyControls } from "./rest-controls";
import { emptyReply, jsonReply } from "./responses";
import { createSqlControls, sqlControlRoutes, type SqlControls } from "./sql-controls";
import { route, type Route } from "./router";
import type { EmulatorStats } from "./stats";
import { applicationView } from "./views";

export const CONTROL_PREFIX = "/_emulator";

/** In-process equivalents of the `/_emulator/...` routes. */
export interface EmulatorControls extends RestFamilyControls, SqlControls {
  /** Empties all state, clears faults, resets counters and the clock. */
  reset(): Promise<void>;
  /** Replaces the fault configuration (see `PUT /_emulator/faults`); throws EmulatorOptionsError when invalid. */
  setFaults(config: FaultConfig): void;
  clearFaults(): void;
  /** The active fault configuration, with `count` showing what is left. */
  faults(): FaultConfig | undefined;
  /** Moves the clock by `ms` and every rollout by `steps` phases (default: 1 step when both are omitted). */
  advanceClock(options?: { ms?: number; steps?: number }): Promise<void>;
  /** Forces an application into FAILED with an exception event; returns the application. */
  failApplication(environment: string, application: string, message?: string): Promise<FlinkApplication>;
  stats(): EmulatorStats;
}

const AdvanceSchema = z.strictObject({
  ms: z.number().int().min(0).max(MAX_CLOCK_OFFSET_MS).optional(),
  steps: z.number().int().min(0).max(1000).optional(),
});
const FailSchema = z.strictObject({ message: z.string().min(1).optional() });

export function createControls(core: EmulatorCore): EmulatorControls {
  return {
    ...createRestFamilyControls(core),
    ...createSqlControls(core),
    reset: () => core.reset(),
    setFaults(config) {
      const parsed = parseFaultConfig(config);
      if (!parsed.ok) throw new EmulatorOptionsError(parsed.messages);
      core.faults.configure(parsed.value);
    },
    clearFaults: () => core.faults.clear(),
    faults: () => core.faults.current,
    async advanceClock(options = {}) {
      const parsed = parseModel(AdvanceSchema, options);
      if (!parsed.ok) throw new EmulatorOptionsError(parsed.messages);
      const { ms, steps } = parsed.value;
      if (ms !== undefined && ms > core.clock.remainingMs) {
        throw new EmulatorOptionsError([
          `ms: must be at most ${core.clock.remainingMs} (the clock may move at most ${MAX_CLOCK_OFFSET_MS} ms, 100 years, ahead in total)`,
        ]);
      }
      await core.advance(ms ?? 0, steps ?? (ms === undefined ? 1 : 0));
    },
    async failApplication(environment, application, message) {
      const app = requireApplication(requireEnvironment(core.state, environment), application);
      forceFailure(app, message ?? DEFAULT_FAILURE_MESSAGE, core.now());
      await core.persist();
      return applicationView(app) as FlinkApplication;
    },
    stats: () => {
      const stats = core.stats.snapshot(core.faults.injected, core.persistedWrites);
      return core.backgroundSaveError ? { ...stats, backgroundSaveError: core.backgroundSaveError } : stats;
    },
  };
}

/** The test-control routes; behind the same authentication as the API, never faulted, not counted in stats. */
export function controlRoutes(core: EmulatorCore, controls: EmulatorControls): Route[] {
  const body = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const parsed = parseModel(schema, value);
    if (!parsed.ok) throw badRequest(parsed.messages);
    return parsed.value;
  };
  return [
    route(`${CONTROL_PREFIX}/reset`, {
      POST: {
        run: async () => {
          await controls.reset();
          return emptyReply(204);
        },
      },
    }),
    route(`${CONTROL_PREFIX}/faults`, {
      GET: { run: () => jsonReply(200, controls.faults() ?? {}) },
      PUT: {
        body: "json",
        run: (ctx) => {
          const parsed = parseFaultConfig(ctx.body);
          if (!parsed.ok) throw badRequest(parsed.messages);
          core.faults.configure(parsed.value);
          return emptyReply(204);
        },
      },
      DELETE: {
        run: () => {
          controls.clearFaults();
          return emptyReply(204);
        },
      },
    }),
    route(`${CONTROL_PREFIX}/clock/advance`, {
      POST: {
        body: "optional-json",
        run: async (ctx) => {
          await controls.advanceClock(body(AdvanceSchema, ctx.body));
          return emptyReply(204);
        },
      },
    }),
    route(`${CONTROL_PREFIX}/environments/{envName}/applications/{appName}/fail`, {
      POST: {
        body: "optional-json",
        run: async (ctx) => {
          const { message } = body(FailSchema, ctx.body);
          return jsonReply(
            200,
            await controls.failApplication(ctx.params.envName, ctx.params.appName, message),
          );
        },
      },
    }),
    route(`${CONTROL_PREFIX}/stats`, { GET: { run: () => jsonReply(200, controls.stats()) } }),
    ...restFamilyControlRoutes(CONTROL_PREFIX, controls),
    ...sqlControlRoutes(CONTROL_PREFIX, controls),
  ];
}
