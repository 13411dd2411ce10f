/**
 * CmfEnvironment: check, diff and the CRUD operations against CMF's `/environments` (an upsert keyed
 * by name). The id is the environment name.
 */
import type { Environment, PostEnvironment } from "../models";
import { checkInputs } from "../core/check";
import { cmfFields, inputFields, replaceFields, settingFields } from "../core/schema";
import { environmentDefinition } from "../kinds/environment/definition";
import { annotationsWithOwner, assertMayTakeOver } from "./adoption";
import { asObject, finalOutputs, settingsOf, withNewSettings, type OperationContext } from "./context";
import { diffInputs, type DiffOutcome, type DiffRules } from "./diff";
import { CmfProviderError, describeFailure } from "./errors";
import { pick, project, prune, without, type JsonObject, type Path } from "./normalize";
import { OWNER_ANNOTATION, DEFAULT_DELETE_TIMEOUT_SECONDS } from "./types";
import type { CheckFailure } from "../core/schema";
import { isUnknown } from "../core/unknown";
import { poll } from "./wait";

const CMF_FIELDS = cmfFields(environmentDefinition);
const SETTING_FIELDS = settingFields(environmentDefinition);
const INPUT_FIELDS = [...inputFields(environmentDefinition), "__provider"];

export const ENVIRONMENT_RULES: DiffRules = {
  cmfFields: CMF_FIELDS,
  replaceFields: replaceFields(environmentDefinition),
  settingFields: SETTING_FIELDS,
  identity: (inputs) =>
    typeof inputs.name === "string" && !isUnknown(inputs.name) ? inputs.name : undefined,
};

const FLINK_CONFIGURATION_PATHS: readonly Path[] = [
  ["flinkApplicationDefaults", "spec", "flinkConfiguration"],
  ["statementDefaults", "detached", "flinkConfiguration"],
  ["statementDefaults", "interactive", "flinkConfiguration"],
  ["computePoolDefaults", "clusterSpec", "flinkConfiguration"],
];

/** Maps whose keys are data: compared and refreshed whole. */
const WHOLE_MAPS: readonly Path[] = [
  ...FLINK_CONFIGURATION_PATHS,
  ["flinkApplicationDefaults", "metadata", "labels"],
  ["flinkApplicationDefaults", "metadata", "annotations"],
];

export function checkEnvironment(news: JsonObject): { inputs: JsonObject; failures: CheckFailure[] } {
  return checkInputs(environmentDefinition, news);
}

export function diffEnvironment(olds: JsonObject, news: JsonObject): DiffOutcome {
  return diffInputs(ENVIRONMENT_RULES, olds, news);
}

/**
 * The complete desired environment. CMF's POST replaces the defaults with what the body holds, so the
 * defaults the user did not declare are sent as `null` (cleared), and `metadata` always carries the
 * full labels and annotations (an omitted `metadata` would keep stale ones).
 */
export function environmentBody(inputs: JsonObject): PostEnvironment {
  const name = inputs.name as string;
  const body: PostEnvironment = {
    name,
    metadata: {
      name,
      labels: (inputs.labels as Record<string, string> | undefined) ?? {},
      annotations: annotationsWithOwner(inputs.annotations, inputs.owner),
    },
    kubernetesNamespace: inputs.kubernetesNamespace as string,
    flinkApplicationDefaults: (inputs.flinkApplicationDefaults as JsonObject | undefined) ?? null,
    computePoolDefaults: (inputs.computePoolDefaults as JsonObject | undefined) ?? null,
    statementDefaults: (inputs.statementDefaults as PostEnvironment["statementDefaults"]) ?? null,
  };
  if (typeof inputs.kubernetesClusterName === "string")
    body.kubernetesClusterName = inputs.kubernetesClusterName;
  return body;
}

function ownedValue(server: unknown, declared: unknown, path: Path): unknown {
  const maps = WHOLE_MAPS.filter((p) => p[0] === path[0]).map((p) => p.slice(1));
  return declared === undefined ? prune(server) : project(server, declared, maps);
}

/**
 * The outputs: every user-owned field as CMF holds it (fields CMF adds inside declared objects are
 * left out; the defaults, labels and annotations are owned whole, since the upsert replaces them),
 * the settings from `settingsSource`, and the server-set fields.
 */
export function environmentOutputs(
  server: Environment,
  declared: JsonObject,
  settingsSource: JsonObject,
): JsonObject {
  const metadata = server.metadata;
  // Servers before CMF 2.3 do not echo metadata; then the declared labels are all there is to know.
  const labels = metadata ? metadata.labels : declared.labels;
  const annotations = metadata ? without(metadata.annotations, OWNER_ANNOTATION) : declared.annotations;
  return finalOutputs({
    name: server.name,
    kubernetesNamespace: server.kubernetesNamespace,
    kubernetesClusterName:
      declared.kubernetesClusterName === undefined ? undefined : server.kubernetesClusterName,
    flinkApplicationDefaults: ownedValue(server.flinkApplicationDefaults, declared.flinkApplicationDefaults, [
      "flinkApplicationDefaults",
    ]),
    computePoolDefaults: ownedValue(server.computePoolDefaults, declared.computePoolDefaults, [
      "computePoolDefaults",
    ]),
    statementDefaults: ownedValue(server.statementDefaults, declared.statementDefaults, [
      "statementDefaults",
    ]),
    labels: prune(labels),
    annotations: prune(annotations),
    ...settingsOf(settingsSource, SETTING_FIELDS),
    createdTime: server.created_time ?? metadata?.creationTimestamp,
    updatedTime: server.updated_time ?? metadata?.updateTimestamp,
    secrets: server.secrets,
    status: server.status,
  });
}

const ENV_HINTS = {
  notFoundHint: undefined,
  conflictHint:
    "CMF refuses to delete an environment that still has applications. Declare each CmfApplication with `environment: <the CmfEnvironment>` (or its `name` output) so that Pulumi deletes the applications first.",
};

export async function createEnvironment(
  ctx: OperationContext,
  inputs: JsonObject,
): Promise<{ id: string; outs: JsonObject }> {
  const name = inputs.name as string;
  const action = `create CMF environment "${name}"`;
  try {
    const client = await ctx.client();
    const existing = await client.environments.get(name);
    if (existing) assertMayTakeOver(`CMF environment "${name}"`, existing.metadata?.annotations, inputs);
    const server = await client.environments.upsert(environmentBody(inputs));
    return { id: name, outs: environmentOutputs(server, inputs, inputs) };
  } catch (error) {
    throw describeFailure(error, { action, ...ENV_HINTS });
  }
}

export async function readEnvironment(
  ctx: OperationContext,
  id: string,
  props: JsonObject,
): Promise<{ id: string; props?: JsonObject; inputs?: JsonObject }> {
  try {
    const client = await ctx.client();
    const server = await client.environments.get(id);
    if (!server) return { id: "" };
    const outs = environmentOutputs(server, props, props);
    return { id, props: outs, inputs: pick(outs, INPUT_FIELDS) };
  } catch (error) {
    throw describeFailure(error, { action: `read CMF environment "${id}"`, ...ENV_HINTS });
  }
}

export async function updateEnvironment(
  ctx: OperationContext,
  id: string,
  olds: JsonObject,
  news: JsonObject,
): Promise<{ outs: JsonObject }> {
  const outcome = diffEnvironment(olds, news);
  const action = `update CMF environment "${id}"`;
  try {
    if (outcome.changedCmfFields.length === 0) {
      if (!outcome.changedSettings.includes("connection"))
        return { outs: withNewSettings(olds, news, SETTING_FIELDS) };
      // A new endpoint or credentials: prove they reach this environment before recording them.
      const server = await (await ctx.client()).environments.get(id);
      if (!server) {
        throw new CmfProviderError(
          `Cannot switch CMF environment "${id}" to the new connection: the environment does not exist there. If it moved to another CMF, recreate it there or run \`pulumi refresh\`.`,
        );
      }
      return { outs: environmentOutputs(server, news, news) };
    }
    const server = await (await ctx.client()).environments.upsert(environmentBody(news));
    return { outs: environmentOutputs(server, news, news) };
  } catch (error) {
    throw describeFailure(error, { action, ...ENV_HINTS });
  }
}

export async function deleteEnvironment(ctx: OperationContext, id: string, props: JsonObject): Promise<void> {
  const action = `delete CMF environment "${id}"`;
  try {
    const client = await ctx.client();
    await client.environments.delete(id, { force: props.forceDelete === true, ignoreNotFound: true });
    const gone = await poll(
      async () => {
        const env = await client.environments.get(id);
        return env
          ? { done: false as const, value: env, detail: "still listed by CMF" }
          : { done: true as const, value: undefined };
      },
      { timeoutMs: DEFAULT_DELETE_TIMEOUT_SECONDS * 1000, ...ctx.poll },
    );
    if (gone.outcome !== "done") {
      throw new CmfProviderError(
        `CMF accepted the deletion of environment "${id}" but still lists it after ${DEFAULT_DELETE_TIMEOUT_SECONDS} s.`,
      );
    }
  } catch (error) {
    throw describeFailure(error, { action, ...ENV_HINTS });
  }
}

export const environmentKind = {
  check: (_olds: JsonObject, news: JsonObject) => checkEnvironment(asObject(news)),
  diff: diffEnvironment,
  create: createEnvironment,
  read: readEnvironment,
  update: updateEnvironment,
  delete: deleteEnvironment,
};
