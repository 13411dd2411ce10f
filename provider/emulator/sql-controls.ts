import { z } from "zod";
import { COMPUTE_POOL_PHASES, parseModel, type ComputePool, type ComputePoolPhase } from "../models";
import { forcePoolPhase, poolView, requirePool } from "./compute-pools";
import type { EmulatorCore } from "./core";
import { badRequest, EmulatorOptionsError } from "./errors";
import { jsonReply } from "./responses";
import { route, type Route } from "./router";

/** Test controls of the SQL families (in-process and under `/_emulator`). */
export interface SqlControls {
  /** Forces a compute pool into a phase (e.g. FAILING with a message); returns the pool. */
  setComputePoolPhase(
    environment: string,
    pool: string,
    phase: ComputePoolPhase,
    message?: string,
  ): Promise<ComputePool>;
}

const PoolPhaseSchema = z.strictObject({
  phase: z.enum(COMPUTE_POOL_PHASES),
  message: z.string().min(1).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, toError: (messages: string[]) => Error): T {
  const parsed = parseModel(schema, value);
  if (!parsed.ok) throw toError(parsed.messages);
  return parsed.value;
}

export function createSqlControls(core: EmulatorCore): SqlControls {
  return {
    async setComputePoolPhase(environment, poolName, phase, message) {
      const input = parse(PoolPhaseSchema, { phase, message }, (m) => new EmulatorOptionsError(m));
      const pool = requirePool(core.state, environment, poolName);
      forcePoolPhase(pool, input.phase, input.message, core.now());
      await core.persist();
      return poolView(core.state, environment, pool) as ComputePool;
    },
  };
}

export function sqlControlRoutes(prefix: string, controls: SqlControls): Route[] {
  return [
    route(`${prefix}/environments/{envName}/compute-pools/{computePoolName}/phase`, {
      POST: {
        body: "json",
        run: async (ctx) => {
          const { phase, message } = parse(PoolPhaseSchema, ctx.body, (m) => badRequest(m));
          return jsonReply(
            200,
            await controls.setComputePoolPhase(
              ctx.params.envName,
              ctx.params.computePoolName,
              phase,
              message,
            ),
          );
        },
      },
    }),
  ];
}
