/**
 * CmfKafkaCatalog (`/cmf/api/v1/catalogs/kafka`): every field once, with its type, rules, docs and
 * whether a change replaces the catalog.
 */
import { KafkaCatalogSpecSchema } from "../../models";
import { as, defineKind, field, type KindTypes } from "../../core/schema";
import {
  annotationsField,
  kafkaConnectionField,
  labelsField,
  objectOutputFields,
  resourceNameField,
  settingFields,
} from "../common";
import { schemaRule } from "../rules";

export interface KafkaConnection {
  connectionConfig: Record<string, string>;
  connectionSecretId?: string;
}

export interface KafkaCatalogSpecArgs {
  srInstance: KafkaConnection;
  kafkaClusters?: (KafkaConnection & { databaseName: string })[];
}

export const kafkaCatalogDefinition = defineKind({
  kind: "KafkaCatalog",
  label: "CMF Kafka catalog",
  className: "CmfKafkaCatalog",
  description:
    "A Kafka catalog (`/cmf/api/v1/catalogs/kafka`): a Schema Registry whose subjects become the tables of the catalog's Kafka databases, for CMF SQL statements.",
  id: { parts: ["name"] },
  fields: {
    name: resourceNameField(
      "catalog",
      " Statements name it in `sql.current-catalog` and in qualified table names.",
    ),
    spec: field.object(
      {
        description:
          "`srInstance`: the Schema Registry connection; `kafkaClusters`: the databases of a CMF 2.0 catalog (since 2.1, declare `CmfKafkaDatabase`s instead). Changed in place.",
        required: true,
        fields: {
          srInstance: kafkaConnectionField("The Schema Registry connection."),
          kafkaClusters: field.array({
            description: "CMF 2.0 only: the Kafka clusters, each with its `databaseName`.",
          }),
        },
        rules: [schemaRule(KafkaCatalogSpecSchema)],
      },
      as<KafkaCatalogSpecArgs>(),
    ),
    labels: labelsField,
    annotations: annotationsField,
    ...settingFields,
    environmentsWithAccess: field.array(
      {
        role: "output",
        description:
          "CMF's `status.environmentsWithAccess`: the environments that map every `connectionSecretId` the catalog names.",
      },
      as<string>(),
    ),
    ...objectOutputFields,
  },
});

type Types = KindTypes<typeof kafkaCatalogDefinition>;
export type KafkaCatalogArgs = Types["Args"];
export type KafkaCatalogInputs = Types["Inputs"];
export type KafkaCatalogOutputs = Types["Outputs"];
