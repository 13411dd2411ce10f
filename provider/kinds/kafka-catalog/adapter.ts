/**
 * CmfKafkaCatalog's adapter: the calls and shapes of CMF's `/catalogs/kafka` (POST creates, PUT
 * replaces). CMF refuses to delete a catalog that still has databases, so the delete waits for them to
 * go first. The id is the catalog name.
 */
import { KAFKA_CATALOG_KIND, type KafkaCatalog, type PostKafkaCatalog } from "../../models";
import { KindController, type KindAdapter } from "../../core/controller";
import { project, type Path } from "../../core/normalize";
import { settingFields } from "../../core/schema";
import { objectBody, objectCalls, objectMarks, objectOutputs } from "../cmf-object";
import { kafkaCatalogDefinition } from "./definition";

const SETTING_FIELDS = settingFields(kafkaCatalogDefinition);
const DELETE_TIMEOUT_SECONDS = 300;
const WHOLE_MAPS: readonly Path[] = [["srInstance", "connectionConfig"]];

/** Exported for front ends that build their own controller (e.g. with the engine as `warn`). */
export const kafkaCatalogAdapter: KindAdapter<KafkaCatalog> = {
  definition: kafkaCatalogDefinition,
  ...objectCalls(
    (client) => client.kafkaCatalogs,
    () => [],
    (inputs) => objectBody(KAFKA_CATALOG_KIND, inputs, inputs.spec as PostKafkaCatalog["spec"]),
  ),
  marks: objectMarks,
  outputs: (_names, server, declared, settingsSource) =>
    objectOutputs(
      {},
      server,
      {
        spec: project(server.spec, declared.spec, WHOLE_MAPS) ?? {},
        environmentsWithAccess: server.status?.environmentsWithAccess,
      },
      settingsSource,
      SETTING_FIELDS,
    ),
  hints: () => ({
    conflictHint:
      "CMF refuses to delete a Kafka catalog that still has databases. Declare each CmfKafkaDatabase with `catalog: <the CmfKafkaCatalog>` so that Pulumi deletes the databases first.",
  }),
  blockedBy: async (client, { name }) => {
    const page = await client.kafkaDatabases.list(name, { size: 5 });
    if (page.items.length === 0) return undefined;
    const total = page.metadata?.size ?? page.items.length;
    const names = page.items.map((database) => database.metadata.name).join(", ");
    return `it still has ${total} database(s) (${names}${total > page.items.length ? ", ..." : ""})`;
  },
  deleteTimeoutSeconds: () => DELETE_TIMEOUT_SECONDS,
  describe: () => "still listed by CMF",
};

export const kafkaCatalogController = new KindController(kafkaCatalogAdapter);
