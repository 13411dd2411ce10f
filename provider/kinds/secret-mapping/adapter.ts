/**
 * CmfSecretMapping's adapter: the calls and shapes of CMF's `/environments/{env}/secret-mappings`
 * (POST creates, PUT replaces). The id is `<environment>/<name>`.
 */
import { ENVIRONMENT_SECRET_MAPPING_KIND, type EnvironmentSecretMapping } from "../../models";
import { KindController, type KindAdapter } from "../../core/controller";
import { settingFields } from "../../core/schema";
import { objectBody, objectCalls, objectMarks, objectOutputs } from "../cmf-object";
import { environmentNotFoundHint } from "../common";
import { secretMappingDefinition } from "./definition";

const SETTING_FIELDS = settingFields(secretMappingDefinition);
const DELETE_TIMEOUT_SECONDS = 60;

/** Exported for front ends that build their own controller (e.g. with the engine as `warn`). */
export const secretMappingAdapter: KindAdapter<EnvironmentSecretMapping> = {
  definition: secretMappingDefinition,
  ...objectCalls(
    (client) => client.secretMappings,
    ({ environment }) => [environment],
    (inputs) =>
      objectBody(ENVIRONMENT_SECRET_MAPPING_KIND, inputs, { secretName: inputs.secretName as string }),
  ),
  marks: objectMarks,
  outputs: ({ environment }, server, _declared, settingsSource) =>
    objectOutputs(
      { environment },
      server,
      { secretName: server.spec?.secretName },
      settingsSource,
      SETTING_FIELDS,
    ),
  hints: ({ environment }) => ({ notFoundHint: environmentNotFoundHint(environment, "secret mappings") }),
  deleteTimeoutSeconds: () => DELETE_TIMEOUT_SECONDS,
  describe: () => "still listed by CMF",
};

export const secretMappingController = new KindController(secretMappingAdapter);
