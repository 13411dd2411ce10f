/**
 * The Kubernetes example cannot be deployed here (no cluster, no Kubernetes plugin offline), so its wiring
 * is checked with Pulumi's mocks: what each resource receives, what it depends on, and that the CMF token
 * stays secret. The mock monitor records each registration's dependencies as the engine would get them.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

const PROJECT = "kubernetes-example";
const TOKEN = "cmf-token-that-must-stay-secret";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

interface Registration {
  type: string;
  inputs: Record<string, unknown>;
  dependencies: string[];
}
const registrations = new Map<string, Registration>();
const dependencies = new Map<string, string[]>();

type RegisterResource = (req: unknown, callback: unknown) => Promise<void>;
const registerResource = MockMonitor.prototype.registerResource as RegisterResource;
MockMonitor.prototype.registerResource = function (
  this: MockMonitor,
  req: { getName(): string; getDependenciesList(): string[] },
  callback: unknown,
) {
  dependencies.set(req.getName(), req.getDependenciesList());
  return registerResource.call(this, req, callback);
} as typeof MockMonitor.prototype.registerResource;

pulumi.runtime.setMocks(
  {
    newResource(args) {
      registrations.set(args.name, {
        type: args.type,
        inputs: args.inputs,
        dependencies: dependencies.get(args.name) ?? [],
      });
      const state: Record<string, unknown> = { ...args.inputs };
      // What the real providers add to their outputs.
      if (args.type === "kubernetes:helm.sh/v3:Release") {
        state.status = { name: args.name, namespace: args.inputs.namespace, status: "deployed" };
      }
      if (args.type === "pulumi-nodejs:dynamic/cmf:Application") {
        state.status = { jobState: "RUNNING", lifecycleState: "STABLE" };
      }
      return { id: `${args.name}-id`, state };
    },
    call: (args) => args.inputs,
  },
  PROJECT,
  "test",
  false,
);
pulumi.runtime.setAllConfig({ [`${PROJECT}:cmfToken`]: TOKEN }, [`${PROJECT}:cmfToken`]);

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Where `needle` appears outside any secret wrapper, as dotted paths. */
function plaintextPaths(x: unknown, needle: string, at = "$"): string[] {
  if (typeof x === "string") return x.includes(needle) ? [at] : [];
  if (typeof x !== "object" || x === null || SECRET_SIG in x) return [];
  return Object.entries(x).flatMap(([k, v]) => plaintextPaths(v, needle, `${at}.${k}`));
}

function unwrap(x: unknown): Record<string, unknown> {
  const o = x as Record<string, unknown>;
  return (SECRET_SIG in o ? o.value : o) as Record<string, unknown>;
}

describe("examples/kubernetes (mocked)", () => {
  let example: typeof import("../../examples/kubernetes");

  beforeAll(async () => {
    example = await import("../../examples/kubernetes");
    await value(example.jobState);
  });

  it("puts the environment in the Flink jobs namespace", async () => {
    expect(await value(example.flinkNamespace.metadata.name)).toBe("flink-jobs");
    expect(await value(example.environment.kubernetesNamespace)).toBe("flink-jobs");
    const env = registrations.get("production");
    expect(env?.type).toBe("pulumi-nodejs:dynamic/cmf:Environment");
    expect(env?.inputs.kubernetesNamespace).toBe("flink-jobs");
  });

  it("makes the environment wait for CMF and the application wait for the environment", async () => {
    const envUrn = await value(example.environment.urn);
    const cmfUrn = await value(example.cmf.urn);
    expect(registrations.get("production")?.dependencies).toContain(cmfUrn);
    const app = registrations.get("orders");
    expect(app?.type).toBe("pulumi-nodejs:dynamic/cmf:Application");
    expect(app?.dependencies).toContain(envUrn);
    expect(app?.inputs.environment).toBe("production");
  });

  it("reaches CMF through a port-forward by default and keeps the token secret", async () => {
    for (const name of ["production", "orders"]) {
      const inputs = registrations.get(name)?.inputs ?? {};
      expect(unwrap(inputs.connection).url).toBe("http://127.0.0.1:8080");
      expect(unwrap(inputs.connection).token).toBe(TOKEN);
      expect(plaintextPaths(inputs, TOKEN)).toEqual([]);
    }
    const serialized = JSON.stringify([...registrations.values()].map((r) => r.inputs.__provider ?? ""));
    expect(serialized).not.toContain(TOKEN);
  });
});

describe("examples/kubernetes: how pulumi reaches CMF", () => {
  it("never sends the token over plain http across the network unless told to", async () => {
    const { cmfUrlFor } = await import("../../examples/kubernetes");
    expect(cmfUrlFor("http://127.0.0.1:8080", false)).toBe("http://127.0.0.1:8080");
    expect(cmfUrlFor("https://cmf.example.com", false)).toBe("https://cmf.example.com");
    const inCluster = "http://cmf-service.confluent.svc.cluster.local";
    expect(() => cmfUrlFor(inCluster, false)).toThrow(/plain http across the network: use an https:\/\/ URL/);
    expect(cmfUrlFor(inCluster, true)).toBe(inCluster);
  });

  it("is a project of its own: Pulumi.yaml names the program", () => {
    const project = parse(
      fs.readFileSync(path.join(__dirname, "../../examples/kubernetes/Pulumi.yaml"), "utf8"),
    );
    expect(project).toMatchObject({ runtime: { name: "nodejs" }, main: "index.ts" });
  });
});
