/**
 * Fields every kind shares: the object's metadata, how to reach CMF, and how to treat objects that
 * already exist or must be deleted.
 */
import { CONNECTION_FIELD, type ConnectionInput } from "../core/connection-settings";
import { OWNER_ANNOTATION } from "../core/ownership";
import type { JsonObject } from "../core/normalize";
import { field, type CheckFailure } from "../core/schema";
import { ENVIRONMENT_NAME, RESOURCE_NAME } from "../models";
import { nameRule } from "./rules";

export { CFK_MANAGED_BY, OWNER_ANNOTATION } from "../core/ownership";

const reservedAnnotations = (value: unknown, property: string): CheckFailure[] =>
  Object.prototype.hasOwnProperty.call(value, OWNER_ANNOTATION)
    ? [
        {
          property: `${property}[${OWNER_ANNOTATION}]`,
          reason: "is reserved: pulumi-cmf writes it to recognise the objects it created",
        },
      ]
    : [];

const stringValue = field.string({ description: "" });

export const labelsField = field.map({
  description: "Labels (`metadata.labels`). Omitted means none: CMF's upsert replaces them whole.",
  items: stringValue,
  wholeMap: true,
});

export const annotationsField = field.map({
  description: "Annotations (`metadata.annotations`). The key `pulumi-cmf/owner` is reserved.",
  items: stringValue,
  wholeMap: true,
  rules: [reservedAnnotations],
});

/** The settings every kind takes besides its CMF fields, in the order they are documented. */
export const settingFields = {
  connection: { ...CONNECTION_FIELD } as typeof CONNECTION_FIELD & {
    __type?: ConnectionInput;
    role: "setting";
  },
  adopt: field.boolean({
    role: "setting",
    description:
      "Take over an object that already exists in CMF (updating it to match the program), instead of failing. Changing it never touches CMF.",
  }),
  forceDelete: field.boolean({
    role: "setting",
    description:
      "Delete with CMF's `force=true`, which drops CMF's record without cleaning up Kubernetes. Changing it never touches CMF.",
  }),
  owner: field.string({
    role: "internal",
    description:
      "`<project>/<stack>/<logical name>`, set by the SDK and written as the `pulumi-cmf/owner` annotation.",
  }),
} as const;

/** The metadata CMF sets on every typed object (secrets, mappings, catalogs, pools, statements). */
export const objectOutputFields = {
  uid: field.string({ role: "output", description: "CMF's `metadata.uid`." }),
  createdTime: field.string({
    role: "output",
    description: "CMF's `metadata.creationTimestamp` (RFC 3339).",
  }),
  updatedTime: field.string({
    role: "output",
    description: "CMF's `metadata.updateTimestamp` (RFC 3339).",
  }),
} as const;

/** `environment` of an object that lives in one: `what` is "mapping", "compute pool", ... */
export function environmentField(what: string) {
  return field.string({
    description: `The environment: a \`CmfEnvironment\` (preferred: Pulumi then creates it first and deletes it last) or its name. Changing it replaces the ${what}.`,
    required: true,
    replaces: true,
    rules: [
      nameRule(
        ENVIRONMENT_NAME,
        "the name of a CMF environment: an RFC 1123 subdomain of at least 4 characters",
      ),
    ],
  });
}

export const RESOURCE_NAME_RULE_TEXT =
  "an RFC 1123 subdomain of at least 4 characters: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";

/** `name` of an object under CMF's common name rule; `what` is "secret", "catalog", ... */
export function resourceNameField(what: string, extra = "") {
  return field.string({
    description: `The ${what}'s name in CMF; defaults to the resource's logical name.${extra} Changing it replaces the ${what}.`,
    required: true,
    default: { resourceName: true },
    replaces: true,
    rules: [nameRule(RESOURCE_NAME, RESOURCE_NAME_RULE_TEXT)],
  });
}

/** What to add to CMF's 404 for an object in an environment (`what`: "secret mappings", ...). */
export function environmentNotFoundHint(environment: string, what: string): string {
  return `CMF environment "${environment}" does not exist (or the object it names does not). If this program declares the environment with a CmfEnvironment, it was deleted outside Pulumi: run \`pulumi refresh\`, then \`pulumi up\` recreates it before its ${what}. Otherwise pass the CmfEnvironment resource (or its \`name\` output) as \`environment\`, so that Pulumi creates it first.`;
}

/** A Kafka or Schema Registry connection of a catalog or database (`connectionConfig` + secret id). */
export function kafkaConnectionField(description: string) {
  return field.object({
    description,
    required: true,
    fields: {
      connectionConfig: field.map({
        description:
          "Client properties (e.g. `bootstrap.servers`, `schema.registry.url`); credentials belong in a secret named by `connectionSecretId`.",
        required: true,
        items: field.string({ description: "" }),
        wholeMap: true,
      }),
      connectionSecretId: field.string({
        description:
          "The `connectionSecretId` (a `CmfSecretMapping`'s name) whose secret completes the connection; the object is visible only in environments that map it.",
      }),
    },
  });
}

export const DEFAULT_WAIT_TIMEOUT_SECONDS = 600;

/** The `timeoutSeconds` setting of a kind's props, defaulted. */
export function timeoutOf(props: JsonObject): number {
  return (props.timeoutSeconds as number | undefined) ?? DEFAULT_WAIT_TIMEOUT_SECONDS;
}

/** `timeoutSeconds` of a kind that waits after its writes (`what`: "the pool", ...). */
export function timeoutSecondsField(what: string) {
  return field.integer({
    role: "setting",
    description: `How long create, update and delete wait for ${what}, in seconds (default ${DEFAULT_WAIT_TIMEOUT_SECONDS}). Pulumi's \`customTimeouts\` option does not reach dynamic providers, hence this. Changing it never touches CMF.`,
    minimum: 1,
    maximum: 7 * 24 * 3600,
    default: { value: DEFAULT_WAIT_TIMEOUT_SECONDS },
  });
}
