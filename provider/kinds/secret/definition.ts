/**
 * CmfSecret (`/cmf/api/v1/secrets`): every field once, with its type, rules, docs and whether a change
 * replaces the secret.
 */
import { as, defineKind, field, type KindTypes } from "../../core/schema";
import {
  annotationsField,
  labelsField,
  objectOutputFields,
  resourceNameField,
  settingFields,
} from "../common";

export const secretDefinition = defineKind({
  kind: "Secret",
  label: "CMF secret",
  className: "CmfSecret",
  description:
    "A CMF secret (`/cmf/api/v1/secrets`): connection credentials that Kafka catalogs and databases use through an environment's secret mapping. Its values are kept in Pulumi state as secrets only; CMF never returns them, so a change made outside Pulumi is detected from CMF's `status.version`.",
  id: { parts: ["name"] },
  fields: {
    name: resourceNameField("secret"),
    data: field.map({
      description:
        "The secret's values by key (e.g. `sasl.jaas.config`). Always a Pulumi secret in the inputs; the outputs (and so the state's outputs and the engine's debug output) hold an HMAC-SHA256 digest of each value, keyed by the secret's uid, never the value. Changed in place.",
      required: true,
      secret: true,
      items: field.string({ description: "" }),
      wholeMap: true,
    }),
    labels: labelsField,
    annotations: annotationsField,
    ...settingFields,
    version: field.string({
      role: "output",
      description:
        "CMF's `status.version`: it goes up with every change of the secret. A refresh that finds another version than the one pulumi-cmf wrote shows `data` as changed, and the next `up` writes the declared values again.",
    }),
    environments: field.array(
      {
        role: "output",
        description: "CMF's `status.environments`: the environments that map this secret.",
      },
      as<string>(),
    ),
    ...objectOutputFields,
  },
});

type Types = KindTypes<typeof secretDefinition>;
export type SecretArgs = Types["Args"];
export type SecretInputs = Types["Inputs"];
export type SecretOutputs = Types["Outputs"];
