/**
 * CmfSecretMapping (`/cmf/api/v1/environments/{env}/secret-mappings`): every field once, with its
 * type, rules, docs and whether a change replaces the mapping.
 */
import { defineKind, field, type KindTypes } from "../../core/schema";
import {
  annotationsField,
  environmentField,
  labelsField,
  objectOutputFields,
  resourceNameField,
  settingFields,
} from "../common";

export const secretMappingDefinition = defineKind({
  kind: "SecretMapping",
  label: "CMF secret mapping",
  className: "CmfSecretMapping",
  description:
    "An environment's secret mapping (`/cmf/api/v1/environments/{env}/secret-mappings`): makes a CMF secret available to the environment's statements under a `connectionSecretId`, the name Kafka catalogs and databases refer to.",
  id: { parts: ["environment", "name"] },
  fields: {
    environment: environmentField("mapping"),
    name: resourceNameField(
      "mapping",
      " It is the `connectionSecretId` that Kafka catalogs and databases name in their connections.",
    ),
    secretName: field.string({
      description:
        "The CMF secret mapped: a `CmfSecret` (preferred: Pulumi then creates it first and deletes it last, as CMF requires) or its name. Changed in place.",
      required: true,
      requiredReason: "is required (give `secret` or `secretName`)",
    }),
    labels: labelsField,
    annotations: annotationsField,
    ...settingFields,
    ...objectOutputFields,
  },
});

type Types = KindTypes<typeof secretMappingDefinition>;
export type SecretMappingArgs = Types["Args"];
export type SecretMappingInputs = Types["Inputs"];
export type SecretMappingOutputs = Types["Outputs"];
