/**
 * CmfEnvironment (`/cmf/api/v1/environments`): every field once, with its type, rules, docs and
 * whether a change replaces the environment.
 */
import {
  ENVIRONMENT_NAME,
  FlinkApplicationDefaultsSchema,
  KUBERNETES_NAME,
  StatementDefaultsSchema,
} from "../../models";
import type { FlinkApplicationDefaults, StatementDefaults } from "../public-types";
import { as, defineKind, field, type KindTypes } from "../../core/schema";
import { annotationsField, labelsField, settingFields } from "../common";
import { nameRule, schemaRule } from "../rules";

const KUBERNETES_RULE_TEXT =
  "a Kubernetes name: at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";

const flinkConfiguration = field.map({
  description: "Flink configuration; numbers and booleans are sent as strings.",
  items: field.string({ description: "" }),
  stringifyScalars: true,
  wholeMap: true,
});

export const environmentDefinition = defineKind({
  kind: "Environment",
  label: "CMF environment",
  className: "CmfEnvironment",
  description:
    "A CMF environment (`/cmf/api/v1/environments`): a Kubernetes namespace and the defaults applied to the Flink applications, statements and compute pools deployed into it.",
  id: { parts: ["name"] },
  fields: {
    name: field.string({
      description:
        "The environment's name in CMF; defaults to the resource's logical name. An RFC 1123 subdomain of at least 4 characters. Changing it replaces the environment (its applications are replaced too).",
      required: true,
      default: { resourceName: true },
      replaces: true,
      rules: [
        nameRule(
          ENVIRONMENT_NAME,
          "CMF environment names are RFC 1123 subdomains of at least 4 characters: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
        ),
      ],
    }),
    kubernetesNamespace: field.string({
      description:
        "The Kubernetes namespace CMF deploys this environment's Flink clusters into. It must already exist. Changing it replaces the environment.",
      required: true,
      replaces: true,
      rules: [nameRule(KUBERNETES_NAME, KUBERNETES_RULE_TEXT)],
    }),
    kubernetesClusterName: field.string({
      description:
        "The Kubernetes cluster registered in CMF (CMF 2.3+); omitted means the cluster CMF runs in. Changing it replaces the environment.",
      replaces: true,
      rules: [nameRule(KUBERNETES_NAME, KUBERNETES_RULE_TEXT)],
    }),
    flinkApplicationDefaults: field.object(
      {
        description:
          "Defaults merged into every application of the environment when an instance is deployed, in the shape of a partial FlinkApplication (`{ metadata?, spec? }`). The environment's `spec.flinkConfiguration` wins over the application's. Omitted means none (CMF's upsert clears them).",
        open: true,
        fields: {
          spec: field.object({
            description: "",
            open: true,
            fields: { flinkConfiguration },
          }),
        },
        rules: [schemaRule(FlinkApplicationDefaultsSchema)],
      },
      as<FlinkApplicationDefaults>(),
    ),
    computePoolDefaults: field.object({
      description:
        "Defaults for compute pools (e.g. `{ clusterSpec: { flinkVersion, image, flinkConfiguration } }`).",
      open: true,
      fields: {
        clusterSpec: field.object({ description: "", open: true, fields: { flinkConfiguration } }),
      },
    }),
    statementDefaults: field.object(
      {
        description:
          "Flink configuration for statements: `{ detached?: { flinkConfiguration }, interactive?: {...} }`.",
        open: true,
        fields: {
          detached: field.object({ description: "", open: true, fields: { flinkConfiguration } }),
          interactive: field.object({ description: "", open: true, fields: { flinkConfiguration } }),
        },
        rules: [schemaRule(StatementDefaultsSchema)],
      },
      as<StatementDefaults>(),
    ),
    labels: labelsField,
    annotations: annotationsField,
    ...settingFields,
    createdTime: field.string({
      role: "output",
      required: true,
      description: "CMF's `created_time` (RFC 3339).",
    }),
    updatedTime: field.string({
      role: "output",
      required: true,
      description: "CMF's `updated_time` (RFC 3339).",
    }),
    secrets: field.map({
      role: "output",
      description: "Connection secret id → CMF secret name, from the environment's secret mappings.",
    }),
    status: field.object({
      role: "output",
      description: "Server-reported summary of the environment (present when CMF includes it).",
    }),
  },
});

type Types = KindTypes<typeof environmentDefinition>;
export type EnvironmentArgs = Types["Args"];
export type EnvironmentInputs = Types["Inputs"];
export type EnvironmentOutputs = Types["Outputs"];
