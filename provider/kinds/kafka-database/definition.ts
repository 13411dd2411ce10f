/**
 * CmfKafkaDatabase (`/cmf/api/v1/catalogs/kafka/{catalog}/databases`): every field once, with its
 * type, rules, docs and whether a change replaces the database.
 */
import { KafkaDatabaseSpecSchema, RESOURCE_NAME } from "../../models";
import { as, defineKind, field, type KindTypes } from "../../core/schema";
import {
  annotationsField,
  kafkaConnectionField,
  labelsField,
  objectOutputFields,
  RESOURCE_NAME_RULE_TEXT,
  resourceNameField,
  settingFields,
} from "../common";
import type { KafkaConnection } from "../kafka-catalog/definition";
import { nameRule, schemaRule } from "../rules";

export interface KafkaDatabaseSpecArgs {
  kafkaCluster: KafkaConnection;
  ddlEnvironments?: string[];
}

export const kafkaDatabaseDefinition = defineKind({
  kind: "KafkaDatabase",
  label: "CMF Kafka database",
  className: "CmfKafkaDatabase",
  description:
    "A Kafka database of a Kafka catalog (`/cmf/api/v1/catalogs/kafka/{catalog}/databases`): a Kafka cluster whose topics are the database's tables.",
  id: { parts: ["catalog", "name"] },
  fields: {
    catalog: field.string({
      description:
        "The catalog: a `CmfKafkaCatalog` (preferred: Pulumi then creates it first and deletes it last, as CMF requires) or its name. Changing it replaces the database.",
      required: true,
      replaces: true,
      rules: [nameRule(RESOURCE_NAME, RESOURCE_NAME_RULE_TEXT)],
    }),
    name: resourceNameField(
      "database",
      " Statements name it in `sql.current-database` and in qualified table names.",
    ),
    spec: field.object(
      {
        description:
          "`kafkaCluster`: the Kafka connection; `ddlEnvironments`: the environments allowed to run DDL (CREATE/DROP TABLE) in it (omitted: every environment with access). Changed in place.",
        required: true,
        fields: {
          kafkaCluster: kafkaConnectionField("The Kafka cluster connection."),
          ddlEnvironments: field.array({
            description: "Environments allowed to run DDL in this database.",
            items: field.string({ description: "" }),
          }),
        },
        rules: [schemaRule(KafkaDatabaseSpecSchema)],
      },
      as<KafkaDatabaseSpecArgs>(),
    ),
    labels: labelsField,
    annotations: annotationsField,
    ...settingFields,
    environmentsWithAccess: field.array(
      {
        role: "output",
        description:
          "CMF's `status.environmentsWithAccess`: the environments that map every `connectionSecretId` the database and its catalog name.",
      },
      as<string>(),
    ),
    ...objectOutputFields,
  },
});

type Types = KindTypes<typeof kafkaDatabaseDefinition>;
export type KafkaDatabaseArgs = Types["Args"];
export type KafkaDatabaseInputs = Types["Inputs"];
export type KafkaDatabaseOutputs = Types["Outputs"];
