/**
 * The `cmf` package schema, generated from the kind definitions and the connection settings (never
 * written by hand): `pulumi package get-schema cmf` prints it, Pulumi YAML type-checks programs with it,
 * and the Python and Go SDKs are generated from it. Pure.
 */
import { CONNECTION_SETTINGS, CONNECTION_SETTING_NAMES } from "../core/connection-settings";
import type { FieldDescriptor, Fields, KindDefinition } from "../core/schema";
import { KINDS } from "../kinds";

export const PACKAGE = "cmf";

/** Where the generated Go SDK is imported from (its module is `sdk/go` of this repository). */
export const GO_IMPORT_BASE = "github.com/pulumi-cmf/pulumi-cmf/sdk/go/cmf";

/**
 * Fields of the dynamic resources that a real provider serves with an engine feature instead: how long
 * to wait comes from the `customTimeouts` resource option.
 */
export const PLUGIN_OMITTED_FIELDS: Readonly<Record<string, string>> = {
  timeoutSeconds: "customTimeouts",
};

export function resourceToken(kind: string): string {
  return `${PACKAGE}:index:${kind}`;
}

export function functionToken(kind: string): string {
  return `${PACKAGE}:index:get${kind}`;
}

/** The kind a resource or function token names, if the package has it. */
export function kindOfToken(token: string): KindDefinition | undefined {
  for (const definition of Object.values(KINDS) as KindDefinition[]) {
    if (token === resourceToken(definition.kind) || token === functionToken(definition.kind))
      return definition;
  }
  return undefined;
}

type SchemaProperty = Record<string, unknown>;
type ObjectTypes = Map<string, { descriptor: FieldDescriptor; spec: SchemaProperty }>;

const ANY = { $ref: "pulumi.json#/Any" };

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** A field the plugin exposes as an input (programs set it) and an output. */
function isInput(name: string, descriptor: FieldDescriptor): boolean {
  const role = descriptor.role ?? "cmf";
  return (role === "cmf" || role === "setting") && !(name in PLUGIN_OMITTED_FIELDS);
}

function isOutputOnly(descriptor: FieldDescriptor): boolean {
  return descriptor.role === "output";
}

/**
 * An object whose members are all known becomes a named type (`cmf:index:Connection`); an open one (a
 * Flink spec takes any operator field) is a map of anything, which every language accepts as is.
 */
function typeOf(
  owner: string,
  name: string,
  descriptor: FieldDescriptor,
  types: ObjectTypes,
): SchemaProperty {
  switch (descriptor.type) {
    case "string":
    case "number":
    case "integer":
    case "boolean":
      return { type: descriptor.type };
    case "any":
      return { ...ANY };
    case "array":
      return {
        type: "array",
        items: descriptor.items ? typeOf(owner, name, descriptor.items, types) : { ...ANY },
      };
    case "map":
      return {
        type: "object",
        additionalProperties: descriptor.items
          ? typeOf(owner, name, descriptor.items, types)
          : { type: "string" },
      };
    case "object": {
      if (!descriptor.fields || descriptor.open) return { type: "object", additionalProperties: { ...ANY } };
      return { $ref: `#/types/${namedType(owner, name, descriptor, types)}` };
    }
  }
}

/** Whether more than one kind has this very descriptor as a field (the connection settings). */
function sharedByKinds(descriptor: FieldDescriptor): boolean {
  const definitions = Object.values(KINDS) as KindDefinition[];
  return definitions.filter((d) => Object.values(d.fields).includes(descriptor)).length > 1;
}

/**
 * A named object type: a kind's own field is called after the kind (`ComputePoolSpec`), a field every
 * kind shares after itself (`Connection`), a nested one after its field (`SrInstance`) unless another
 * object took that name first, then after its owner too; so kinds added later never rename the types
 * of earlier ones.
 */
function namedType(owner: string, name: string, descriptor: FieldDescriptor, types: ObjectTypes): string {
  const ownField = owner in KINDS && !sharedByKinds(descriptor);
  let token = `${PACKAGE}:index:${ownField ? pascal(owner) : ""}${pascal(name)}`;
  if (types.has(token) && types.get(token)?.descriptor !== descriptor) {
    token = `${PACKAGE}:index:${pascal(owner)}${pascal(name)}`;
  }
  const existing = types.get(token);
  if (existing && existing.descriptor !== descriptor) {
    throw new Error(`schema: two different object fields would both become type ${token}`);
  }
  if (!existing) {
    const fields = descriptor.fields ?? {};
    const spec: SchemaProperty = { type: "object", description: descriptor.description };
    types.set(token, { descriptor, spec });
    spec.properties = properties(token.slice(`${PACKAGE}:index:`.length), fields, () => true, types);
    spec.required = requiredNames(fields, () => true);
  }
  return token;
}

function property(
  owner: string,
  name: string,
  descriptor: FieldDescriptor,
  types: ObjectTypes,
): SchemaProperty {
  return {
    ...typeOf(owner, name, descriptor, types),
    ...(descriptor.description ? { description: descriptor.description } : {}),
    ...(descriptor.enum
      ? { description: `${descriptor.description} One of: ${descriptor.enum.join(", ")}.` }
      : {}),
    ...(descriptor.secret ? { secret: true } : {}),
  };
}

function properties(
  owner: string,
  fields: Fields,
  keep: (name: string, descriptor: FieldDescriptor) => boolean,
  types: ObjectTypes,
): Record<string, SchemaProperty> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([name, descriptor]) => keep(name, descriptor))
      .map(([name, descriptor]) => [name, property(owner, name, descriptor, types)]),
  );
}

function requiredNames(
  fields: Fields,
  keep: (name: string, descriptor: FieldDescriptor) => boolean,
  inputs = false,
): string[] {
  return Object.entries(fields)
    .filter(([name, descriptor]) => keep(name, descriptor) && descriptor.required === true)
    .filter(([, descriptor]) => !(inputs && descriptor.default !== undefined))
    .map(([name]) => name);
}

function resourceSpec(definition: KindDefinition, types: ObjectTypes): SchemaProperty {
  const exposed = (name: string, d: FieldDescriptor) => isInput(name, d) || isOutputOnly(d);
  return {
    description: definition.description,
    inputProperties: properties(definition.kind, definition.fields, isInput, types),
    requiredInputs: requiredNames(definition.fields, isInput, true),
    properties: properties(definition.kind, definition.fields, exposed, types),
    required: requiredNames(definition.fields, exposed),
  };
}

/** `get<Kind>`: looks an existing object up by the names its id is made of, through the provider. */
function functionSpec(definition: KindDefinition, types: ObjectTypes): SchemaProperty {
  const isName = (name: string) => definition.id.parts.includes(name);
  const described = (name: string, d: FieldDescriptor) =>
    (d.role ?? "cmf") === "cmf" || isOutputOnly(d) || isName(name);
  return {
    description: `Look up an existing ${definition.label} by ${definition.id.parts.join(" and ")}.`,
    inputs: {
      properties: properties(definition.kind, definition.fields, isName, types),
      required: [...definition.id.parts],
    },
    outputs: {
      properties: properties(definition.kind, definition.fields, described, types),
      required: requiredNames(definition.fields, described),
    },
  };
}

function configVariables(): Record<string, SchemaProperty> {
  return Object.fromEntries(
    CONNECTION_SETTING_NAMES.map((name) => {
      const setting = CONNECTION_SETTINGS[name] as {
        type: string;
        description: string;
        secret?: boolean;
        env?: string;
      };
      const env = setting.env ? ` Falls back to the environment variable \`${setting.env}\`.` : "";
      return [
        name,
        {
          type: setting.type,
          description: `${setting.description}${env}`,
          ...(setting.secret ? { secret: true } : {}),
        },
      ];
    }),
  );
}

export function packageSchema(version: string): Record<string, unknown> {
  const types: ObjectTypes = new Map();
  const definitions = Object.values(KINDS) as KindDefinition[];
  const resources = Object.fromEntries(
    definitions.map((definition) => [resourceToken(definition.kind), resourceSpec(definition, types)]),
  );
  const functions = Object.fromEntries(
    definitions.map((definition) => [functionToken(definition.kind), functionSpec(definition, types)]),
  );
  const variables = configVariables();
  return {
    name: PACKAGE,
    displayName: "Confluent Manager for Apache Flink",
    version,
    description:
      "Manage Confluent Manager for Apache Flink (CMF) environments and Flink applications as code, from any Pulumi language.",
    keywords: ["pulumi", "cmf", "confluent", "flink", "kind/native"],
    license: "Apache-2.0",
    config: { variables },
    provider: {
      description:
        "The cmf provider: where CMF is and how to authenticate. Each setting left unset falls back to its environment variable when it has one.",
      inputProperties: variables,
    },
    resources,
    functions,
    types: Object.fromEntries([...types].map(([token, { spec }]) => [token, spec])),
    language: {
      python: {
        packageName: "pulumi_cmf",
        requires: { pulumi: ">=3.0.0,<4.0.0" },
        pyproject: { enabled: true },
        respectSchemaVersion: true,
      },
      go: {
        importBasePath: GO_IMPORT_BASE,
        generateResourceContainerTypes: true,
        respectSchemaVersion: true,
      },
    },
  };
}
