import {
  CONNECTION_SETTINGS,
  KINDS,
  cmfFields,
  formatId,
  idPattern,
  inputFields,
  kindDefinition,
  outputFields,
  parseId,
  replaceFields,
  secretPaths,
  settingFields,
  type ArgsOf,
  type FieldDescriptor,
  type InputsOf,
  type OutputsOf,
} from "../../provider/kinds";
import { applicationDefinition } from "../../provider/kinds/application/definition";
import { environmentDefinition } from "../../provider/kinds/environment/definition";

const TYPES = ["string", "number", "integer", "boolean", "map", "array", "object", "any"];

function walk(
  fields: Record<string, FieldDescriptor>,
  visit: (path: string, d: FieldDescriptor) => void,
  prefix = "",
) {
  for (const [name, descriptor] of Object.entries(fields)) {
    visit(`${prefix}${name}`, descriptor);
    if (descriptor.fields) walk(descriptor.fields, visit, `${prefix}${name}.`);
    if (descriptor.items) visit(`${prefix}${name}[]`, descriptor.items);
  }
}

describe("kind definitions", () => {
  it("registers every kind under its name, with a walkable, documented field tree", () => {
    expect(Object.keys(KINDS)).toEqual([
      "Environment",
      "Application",
      "Secret",
      "SecretMapping",
      "KafkaCatalog",
      "KafkaDatabase",
      "ComputePool",
      "Statement",
    ]);
    for (const [name, definition] of Object.entries(KINDS)) {
      expect(definition.kind).toBe(name);
      expect(kindDefinition(name)).toBe(definition);
      walk(definition.fields, (path, descriptor) => {
        expect(TYPES).toContain(descriptor.type);
        // Top-level fields and the connection's members are documented (nested helpers may not be).
        if (!/[.[]/.test(path) || path.startsWith("connection.")) expect(descriptor.description).not.toBe("");
      });
    }
    expect(kindDefinition("toString")).toBeUndefined();
  });

  it("derives the roles, replace-on-change and secret fields", () => {
    expect(cmfFields(environmentDefinition)).toEqual([
      "name",
      "kubernetesNamespace",
      "kubernetesClusterName",
      "flinkApplicationDefaults",
      "computePoolDefaults",
      "statementDefaults",
      "labels",
      "annotations",
    ]);
    expect(replaceFields(environmentDefinition)).toEqual([
      "name",
      "kubernetesNamespace",
      "kubernetesClusterName",
    ]);
    expect(replaceFields(applicationDefinition)).toEqual(["environment", "name"]);
    expect(settingFields(applicationDefinition)).toEqual([
      "connection",
      "adopt",
      "forceDelete",
      "waitFor",
      "timeoutSeconds",
    ]);
    expect(inputFields(applicationDefinition)).toContain("owner");
    expect(outputFields(applicationDefinition)).toEqual(["status", "uid", "createdTime", "updatedTime"]);
    expect(secretPaths(applicationDefinition)).toEqual([
      "connection",
      "connection.token",
      "connection.clientKey",
    ]);
  });

  it("formats and parses ids, for import", () => {
    expect(formatId(applicationDefinition, { environment: "prod", name: "orders" })).toBe("prod/orders");
    expect(parseId(applicationDefinition, "prod/orders")).toEqual({ environment: "prod", name: "orders" });
    expect(parseId(applicationDefinition, "prod")).toBeUndefined();
    expect(parseId(applicationDefinition, "/orders")).toBeUndefined();
    expect(parseId(applicationDefinition, "prod/")).toBeUndefined();
    expect(parseId(environmentDefinition, "prod")).toEqual({ name: "prod" });
    expect(idPattern(applicationDefinition)).toBe("<environment>/<name>");
  });

  it("defines every connection setting once, with its environment fallback", () => {
    expect(CONNECTION_SETTINGS.url.env).toBe("CONFLUENT_CMF_URL");
    expect(CONNECTION_SETTINGS.timeoutSeconds.input).toBe("requestTimeoutSeconds");
    expect("input" in CONNECTION_SETTINGS.emulator).toBe(false);
    const connection = applicationDefinition.fields.connection.fields ?? {};
    expect(Object.keys(connection)).toEqual([
      "url",
      "token",
      "caCertificate",
      "caCertificatePath",
      "clientCertificate",
      "clientCertificatePath",
      "clientKey",
      "clientKeyPath",
      "insecureSkipTlsVerify",
      "requestTimeoutSeconds",
    ]);
  });

  it("derives TypeScript types: required, defaulted and internal fields", () => {
    type EnvFields = typeof environmentDefinition.fields;
    // The program may leave out the name (defaulted) but not the namespace; it never sets the owner.
    const args: ArgsOf<EnvFields> = { kubernetesNamespace: "ns" };
    // @ts-expect-error owner is internal
    const withOwner: ArgsOf<EnvFields> = { kubernetesNamespace: "ns", owner: "x" };
    // @ts-expect-error the provider always receives a name
    const inputs: InputsOf<EnvFields> = { kubernetesNamespace: "ns" };
    const outputs: OutputsOf<typeof applicationDefinition.fields> = {
      environment: "e",
      name: "n",
      spec: {},
      status: { jobState: "RUNNING" },
      uid: "u",
      createdTime: "t",
      updatedTime: "t",
    };
    expect([args, withOwner, inputs, outputs]).toHaveLength(4);
  });
});
