/**
 * CmfEnvironment's adapter: the calls and shapes of CMF's `/environments` (an upsert keyed by name).
 * The id is the environment name. Everything else is the generic controller's.
 */
import type { Environment, PostEnvironment } from "../../models";
import { finalOutputs, settingsOf } from "../../core/context";
import { KindController, type KindAdapter } from "../../core/controller";
import { project, prune, without, type JsonObject, type Path } from "../../core/normalize";
import { annotationsWithOwner, OWNER_ANNOTATION } from "../../core/ownership";
import { settingFields } from "../../core/schema";
import { environmentDefinition } from "./definition";

const SETTING_FIELDS = settingFields(environmentDefinition);
export const DEFAULT_DELETE_TIMEOUT_SECONDS = 600;

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

const adapter: KindAdapter<Environment> = {
  definition: environmentDefinition,
  get: (client, { name }) => client.environments.get(name),
  upsert: (client, _names, inputs) => client.environments.upsert(environmentBody(inputs)),
  remove: (client, { name }, { force }) => client.environments.delete(name, { force, ignoreNotFound: true }),
  marks: (server) => ({ annotations: server.metadata?.annotations, labels: server.metadata?.labels }),
  outputs: (_names, server, declared, settingsSource) => environmentOutputs(server, declared, settingsSource),
  hints: () => ({
    conflictHint:
      "CMF refuses to delete an environment that still has applications. Declare each CmfApplication with `environment: <the CmfEnvironment>` (or its `name` output) so that Pulumi deletes the applications first.",
  }),
  deleteTimeoutSeconds: () => DEFAULT_DELETE_TIMEOUT_SECONDS,
  describe: () => "still listed by CMF",
};

export const environmentController = new KindController(adapter);
