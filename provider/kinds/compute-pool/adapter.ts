/**
 * CmfComputePool's adapter: the calls and shapes of CMF's `/environments/{env}/compute-pools` (POST
 * creates, PUT replaces), and the wait for a SHARED pool's phase. The id is `<environment>/<name>`.
 */
import { COMPUTE_POOL_KIND, type ComputePool, type PostComputePool } from "../../models";
import type { CmfClient } from "../../client";
import type { OperationContext } from "../../core/context";
import { KindController, type KindAdapter } from "../../core/controller";
import { ResourceInitError } from "../../core/errors";
import { project, type JsonObject, type Path } from "../../core/normalize";
import { poll } from "../../core/poll";
import { settingFields } from "../../core/schema";
import { objectBody, objectCalls, objectMarks, objectOutputs } from "../cmf-object";
import { environmentNotFoundHint, timeoutOf } from "../common";
import { assessPool, describePool, poolTarget } from "./await";
import { computePoolDefinition } from "./definition";

const SETTING_FIELDS = settingFields(computePoolDefinition);
const WHOLE_MAPS: readonly Path[] = [["clusterSpec", "flinkConfiguration"]];

export function computePoolOutputs(
  environment: string,
  server: ComputePool,
  declared: JsonObject,
  settingsSource: JsonObject,
): JsonObject {
  return objectOutputs(
    { environment },
    server,
    {
      spec: project(server.spec, declared.spec, WHOLE_MAPS) ?? {},
      phase: server.status?.phase,
      message: server.status?.message,
    },
    settingsSource,
    SETTING_FIELDS,
  );
}

async function settle(
  ctx: OperationContext,
  client: CmfClient,
  server: ComputePool,
  inputs: JsonObject,
): Promise<JsonObject> {
  const environment = inputs.environment as string;
  const name = inputs.name as string;
  const id = `${environment}/${name}`;
  let latest: ComputePool = server;
  let failure: string | undefined;
  if (assessPool(server, inputs.spec).state !== "ready") {
    const timeoutSeconds = timeoutOf(inputs);
    const result = await poll(
      async () => {
        const pool = await client.computePools.get(environment, name);
        if (!pool) return { failed: true as const, value: undefined, detail: "it disappeared from CMF" };
        const assessment = assessPool(pool, inputs.spec);
        if (assessment.state === "ready") return { done: true as const, value: pool };
        if (assessment.state === "failed")
          return { failed: true as const, value: pool, detail: assessment.detail };
        return { done: false as const, value: pool, detail: assessment.detail };
      },
      { timeoutMs: timeoutSeconds * 1000, ...ctx.poll },
    );
    if (result.outcome === "done") latest = result.value ?? latest;
    else if (result.outcome === "failed") {
      latest = result.value ?? latest;
      failure = `CMF compute pool "${id}" failed while pulumi-cmf waited for it to be ${poolTarget(inputs.spec)}: ${result.detail}. It is recorded in the state; fix its spec and run \`pulumi up\` again.`;
    } else {
      latest = result.last ?? latest;
      failure = `CMF compute pool "${id}" did not become ${poolTarget(inputs.spec)} within ${timeoutSeconds} s (timeoutSeconds); last status: ${describePool(result.last)}. It is recorded in the state, and the next \`pulumi up\` waits again.`;
    }
  }
  const outs = computePoolOutputs(environment, latest, inputs, inputs);
  if (failure) throw new ResourceInitError(failure, id, { ...outs, __provider: inputs.__provider });
  return outs;
}

/** Exported for front ends that build their own controller (e.g. with the engine as `warn`). */
export const computePoolAdapter: KindAdapter<ComputePool> = {
  definition: computePoolDefinition,
  ...objectCalls(
    (client) => client.computePools,
    ({ environment }) => [environment],
    (inputs) => objectBody(COMPUTE_POOL_KIND, inputs, inputs.spec as PostComputePool["spec"]),
  ),
  marks: objectMarks,
  outputs: ({ environment }, server, declared, settingsSource) =>
    computePoolOutputs(environment, server, declared, settingsSource),
  hints: ({ environment }) => ({
    notFoundHint: environmentNotFoundHint(environment, "compute pools"),
    conflictHint:
      "CMF refuses to delete a compute pool that statements still use, and to change its spec while statements run on it. Declare each CmfStatement with `computePool: <the CmfComputePool>` so that Pulumi deletes the statements first; stop them (`stopped: true`) before changing the pool.",
  }),
  settle: (ctx, client, server, inputs) => settle(ctx, client, server, inputs),
  lastSeenReady: (olds, news) => olds.phase === poolTarget(news.spec),
  deleteTimeoutSeconds: timeoutOf,
  describe: describePool,
};

export const computePoolController = new KindController(computePoolAdapter);
