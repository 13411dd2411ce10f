/**
 * CmfKafkaDatabase's adapter: the calls and shapes of CMF's `/catalogs/kafka/{catalog}/databases`
 * (POST creates, PUT replaces). The id is `<catalog>/<name>`.
 */
import { KAFKA_DATABASE_KIND, type KafkaDatabase, type PostKafkaDatabase } from "../../models";
import { KindController, type KindAdapter } from "../../core/controller";
import { project, type Path } from "../../core/normalize";
import { settingFields } from "../../core/schema";
import { objectBody, objectCalls, objectMarks, objectOutputs } from "../cmf-object";
import { kafkaDatabaseDefinition } from "./definition";

const SETTING_FIELDS = settingFields(kafkaDatabaseDefinition);
const DELETE_TIMEOUT_SECONDS = 60;
const WHOLE_MAPS: readonly Path[] = [["kafkaCluster", "connectionConfig"]];

/** Exported for front ends that build their own controller (e.g. with the engine as `warn`). */
export const kafkaDatabaseAdapter: KindAdapter<KafkaDatabase> = {
  definition: kafkaDatabaseDefinition,
  ...objectCalls(
    (client) => client.kafkaDatabases,
    ({ catalog }) => [catalog],
    (inputs) => objectBody(KAFKA_DATABASE_KIND, inputs, inputs.spec as PostKafkaDatabase["spec"]),
  ),
  marks: objectMarks,
  outputs: ({ catalog }, server, declared, settingsSource) =>
    objectOutputs(
      { catalog },
      server,
      {
        spec: project(server.spec, declared.spec, WHOLE_MAPS) ?? {},
        environmentsWithAccess: server.status?.environmentsWithAccess,
      },
      settingsSource,
      SETTING_FIELDS,
    ),
  hints: ({ catalog }) => ({
    notFoundHint: `CMF Kafka catalog "${catalog}" does not exist. Declare it with a CmfKafkaCatalog and pass that resource (or its \`name\` output) as \`catalog\`, so that Pulumi creates it first.`,
  }),
  deleteTimeoutSeconds: () => DELETE_TIMEOUT_SECONDS,
  describe: () => "still listed by CMF",
};

export const kafkaDatabaseController = new KindController(kafkaDatabaseAdapter);
