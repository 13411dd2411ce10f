/**
 * Fields every kind shares: the object's metadata, how to reach CMF, and how to treat objects that
 * already exist or must be deleted.
 */
import { CONNECTION_FIELD, type ConnectionInput } from "../core/connection-settings";
import { OWNER_ANNOTATION } from "../core/ownership";
import { field, type CheckFailure } from "../core/schema";

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
  connection: { ...CONNECTION_FIELD } as typeof CONNECTION_FIELD & { __type?: ConnectionInput },
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
