/**
 * The resource classes as Pulumi sees them when a program runs (mocked engine): type tokens, inputs,
 * secrets, output slots and the document helper. Check/diff/create are not run by mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { CmfApplication, CmfDocumentError, CmfEnvironment, parseApplicationDocument } from "../../sdk";
import { withSecretOutputs } from "../../sdk/common";
import { KINDS } from "../../provider/kinds";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const registered: Registered[] = [];
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return {
          id: `${args.name}-id`,
          state: { ...args.inputs, createdTime: "2026-01-01T00:00:00.000Z", status: { jobState: "RUNNING" } },
        };
      },
      call: () => ({}),
    },
    "cmf-project",
    "dev",
  );
});

function find(name: string): Registered {
  const found = registered.find((r) => r.name === name);
  if (!found) throw new Error(`resource ${name} was not registered`);
  return found;
}

function output<T>(value: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => value.apply((v) => resolve(v)));
}

const spec = {
  image: "confluentinc/cp-flink:1.19.3-cp2",
  flinkVersion: "v1_19",
  job: { jarURI: "local:///opt/flink/job.jar", parallelism: 1, state: "running" as const },
};

function isSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.values(value).includes(SECRET_SIG);
}

/** The value with secret wrappers removed (at any depth). */
function unwrap(value: unknown): unknown {
  if (isSecret(value)) return unwrap((value as { value: unknown }).value);
  if (Array.isArray(value)) return value.map(unwrap);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
  }
  return value;
}

/** How many strings outside any secret wrapper contain `needle`. */
function plainOccurrences(value: unknown, needle: string): number {
  if (isSecret(value)) return 0;
  if (typeof value === "string") return value.includes(needle) ? 1 : 0;
  if (typeof value === "object" && value !== null) {
    return Object.values(value).reduce((sum: number, v) => sum + plainOccurrences(v, needle), 0);
  }
  return 0;
}

describe("CmfEnvironment", () => {
  it("registers the cmf:Environment type with the logical name as default name and an owner", async () => {
    const env = new CmfEnvironment("prod-env", {
      kubernetesNamespace: "flink-prod",
      connection: {
        url: "https://cmf:8443",
        token: "tok-123",
        clientKey: "key-456",
        clientCertificatePath: "/c.pem",
      },
    });
    expect(await output(env.urn)).toContain("pulumi-nodejs:dynamic/cmf:Environment::prod-env");
    const { type, inputs } = find("prod-env");
    expect(type).toBe("pulumi-nodejs:dynamic/cmf:Environment");
    expect(inputs).toMatchObject({
      name: "prod-env",
      kubernetesNamespace: "flink-prod",
      owner: "cmf-project/dev/prod-env",
    });
    // The mock monitor reports a nested secret by marking its enclosing object; the real engine keeps
    // the marker on the member (asserted on the exported state in the engine tests).
    expect(unwrap(inputs.connection)).toEqual({
      url: "https://cmf:8443",
      token: "tok-123",
      clientKey: "key-456",
      clientCertificatePath: "/c.pem",
    });
    expect(plainOccurrences(inputs, "tok-123")).toBe(0);
    expect(plainOccurrences(inputs, "key-456")).toBe(0);
    expect(typeof inputs.__provider).toBe("string");
    expect(inputs.__provider as string).not.toContain("tok-123");
    expect(inputs.__provider as string).not.toContain("key-456");
  });

  it("declares its outputs so they resolve instead of being undefined", async () => {
    const env = new CmfEnvironment("outputs-env", { name: "explicit-name", kubernetesNamespace: "ns1" });
    expect(await output(env.name)).toBe("explicit-name");
    expect(await output(env.createdTime)).toBe("2026-01-01T00:00:00.000Z");
    expect(env.status).toBeDefined();
    expect(find("outputs-env").inputs.owner).toBe("cmf-project/dev/outputs-env");
  });

  it("makes a connection given as one Output secret as a whole", async () => {
    new CmfEnvironment("whole-env", {
      kubernetesNamespace: "ns1",
      connection: pulumi.output({ url: "https://cmf", token: "x" }),
    });
    await output(pulumi.output(1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(isSecret(find("whole-env").inputs.connection)).toBe(true);
  });
});

describe("CmfApplication", () => {
  it("takes the environment resource's name output and registers cmf:Application", async () => {
    const env = new CmfEnvironment("app-env", { kubernetesNamespace: "flink-prod" });
    const app = new CmfApplication("orders", { environment: env, spec, waitFor: "none", timeoutSeconds: 60 });
    expect(await output(app.name)).toBe("orders");
    const { type, inputs } = find("orders");
    expect(type).toBe("pulumi-nodejs:dynamic/cmf:Application");
    expect(inputs).toMatchObject({
      environment: "app-env",
      name: "orders",
      spec,
      waitFor: "none",
      timeoutSeconds: 60,
      owner: "cmf-project/dev/orders",
    });
    expect(await output(app.status)).toEqual({ jobState: "RUNNING" });
  });

  it("accepts the environment by name and nested Outputs inside the spec", async () => {
    const image = pulumi.output("confluentinc/cp-flink:1.20.0-cp1");
    const app = new CmfApplication("by-name", {
      environment: "prod-env",
      name: "orders-v2",
      spec: { ...spec, image },
    });
    expect(await output(app.name)).toBe("orders-v2");
    expect(find("by-name").inputs).toMatchObject({
      environment: "prod-env",
      spec: { image: "confluentinc/cp-flink:1.20.0-cp1" },
    });
  });

  it("builds from a FlinkApplication document in YAML, as users feed to `confluent flink application create`", async () => {
    const document = [
      "apiVersion: cmf.confluent.io/v1",
      "kind: FlinkApplication",
      "metadata:",
      "  name: from-yaml",
      "  annotations:",
      "    owner: data-platform",
      "spec:",
      "  image: confluentinc/cp-flink:1.19.3-cp2",
      "  flinkVersion: v1_19",
      "  flinkConfiguration:",
      '    taskmanager.numberOfTaskSlots: "2"',
      "  job:",
      "    jarURI: local:///opt/flink/examples/streaming/StateMachineExample.jar",
      "    parallelism: 3",
      "    state: running",
      "    upgradeMode: stateless",
      "",
    ].join("\n");
    const app = CmfApplication.fromDocument("yaml-app", { environment: "prod-env", document });
    expect(await output(app.name)).toBe("from-yaml");
    expect(find("yaml-app").inputs).toMatchObject({
      name: "from-yaml",
      annotations: { owner: "data-platform" },
      spec: {
        flinkConfiguration: { "taskmanager.numberOfTaskSlots": "2" },
        job: { parallelism: 3, state: "running" },
      },
    });
  });

  it("builds from a FlinkApplication document, JSON text or object", async () => {
    const document = JSON.stringify({
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      metadata: { name: "from-doc", labels: { team: "data" } },
      spec,
      status: { jobStatus: { state: "RUNNING" } },
    });
    const app = CmfApplication.fromDocument("doc-app", {
      environment: "prod-env",
      document,
      forceDelete: true,
    });
    expect(await output(app.name)).toBe("from-doc");
    const inputs = find("doc-app").inputs;
    expect(inputs).toMatchObject({ name: "from-doc", spec, labels: { team: "data" }, forceDelete: true });
    expect(inputs.status).toBeUndefined();

    CmfApplication.fromDocument("doc-object", {
      environment: "prod-env",
      name: "renamed",
      document: { spec },
    });
    await output(pulumi.output(1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(find("doc-object").inputs).toMatchObject({ name: "renamed", spec });
  });
});

describe("parseApplicationDocument", () => {
  it("names the bad field", () => {
    const cases: [unknown, string, RegExp][] = [
      ["apiVersion: cmf.confluent.io/v1\nkind: FlinkApplication\n", "spec", /is required/],
      ["{ not json", "document", /not valid YAML or JSON at line 1/],
      ["spec:\n  image: a\n  image: b\n", "document", /not valid YAML or JSON at line 3/],
      ["- a list\n", "document", /must be an object/],
      ["   ", "document", /is empty/],
      [{ kind: "Statement", spec: {} }, "kind", /must be FlinkApplication \(got "Statement"\)/],
      [{ metadata: { name: 3 }, spec: {} }, "metadata.name", /must be a string/],
      [{ metadata: { name: "a" } }, "spec", /is required/],
      [{ spec: [] }, "spec", /must be an object/],
      [{ metadata: { labels: { a: 1 } }, spec: {} }, "metadata.labels.a", /must be a string/],
    ];
    for (const [document, field, message] of cases) {
      let error: unknown;
      try {
        parseApplicationDocument(document as string);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CmfDocumentError);
      expect((error as CmfDocumentError).field).toBe(field);
      expect((error as Error).message).toMatch(message);
    }
  });

  it("keeps name, spec, labels and annotations and drops status", () => {
    expect(
      parseApplicationDocument({
        metadata: { name: "x", annotations: { a: "b" } },
        spec: { image: "i" },
        status: {},
      }),
    ).toEqual({ name: "x", spec: { image: "i" }, annotations: { a: "b" } });
  });
});

describe("secret outputs", () => {
  it.each(Object.entries(KINDS))("%s: its connection is a secret output, listed once", (_, definition) => {
    const secret = withSecretOutputs(undefined, definition).additionalSecretOutputs ?? [];
    expect(secret).toContain("connection");
    expect(new Set(secret).size).toBe(secret.length);
  });

  it("a CmfSecret's data besides the connection, and the user's own additions kept", () => {
    expect(
      withSecretOutputs({ additionalSecretOutputs: ["uid"] }, KINDS.Secret).additionalSecretOutputs,
    ).toEqual(["uid", "data", "connection"]);
  });
});

describe("registration cost", () => {
  /** The frame counts of the stack traces formatted while `declare` runs. */
  function tracesWhile(declare: () => void): number[] {
    const frames: number[] = [];
    const original = Error.prepareStackTrace;
    Error.prepareStackTrace = (error, callSites) => {
      frames.push(callSites.length);
      return original
        ? original(error, callSites)
        : `${error}\n${callSites.map((s) => `    at ${s}`).join("\n")}`;
    };
    try {
      declare();
    } finally {
      Error.prepareStackTrace = original;
    }
    return frames;
  }

  it("skips Pulumi's promise-leak stack traces while registering, and restores the limit", async () => {
    const before = Error.stackTraceLimit;
    let env: CmfEnvironment | undefined;
    const frames = tracesWhile(() => (env = new CmfEnvironment("traces-env", { kubernetesNamespace: "ns" })));
    expect(Error.stackTraceLimit).toBe(before);
    // Pulumi formats one trace per promise (dozens); only its source-position capture has frames.
    expect(frames.filter((n) => n === 0).length).toBeGreaterThan(20);
    expect(frames.filter((n) => n > 0).length).toBeLessThanOrEqual(2);
    expect(await output(env!.kubernetesNamespace)).toBe("ns");
    const registeredEnv = find("traces-env");
    expect(registeredEnv.inputs.kubernetesNamespace).toBe("ns");
  });

  it("keeps them when PULUMI_DEBUG_PROMISE_LEAKS asks for them", () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    try {
      const frames = tracesWhile(() => new CmfEnvironment("traces-env-debug", { kubernetesNamespace: "ns" }));
      expect(frames.filter((n) => n > 0).length).toBeGreaterThan(20);
    } finally {
      delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    }
  });

  it("an error thrown while registering still says where the resource was declared", () => {
    let error: unknown;
    try {
      new CmfEnvironment(
        "traces-bad-parent",
        { kubernetesNamespace: "ns" },
        { parent: {} as pulumi.Resource },
      );
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toMatch(/parent is not a valid Resource/);
    expect((error as Error).stack).toContain("resources.test.ts");
  });
});
