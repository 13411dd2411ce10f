/**
 * The `__provider` text Pulumi stores in every resource: it must be small, identical across runs and
 * machines (else every `pulumi up` shows `~__provider` updates), and free of secrets. Captured from the
 * packed package as a user's program would produce it, in two processes from two directories: there
 * the provider is a whole module of the installed package, stored as a `require` of its subpath. From
 * this repository's sources (no node_modules) the shim is stored by value, and must work as well.
 */
import * as pulumi from "@pulumi/pulumi";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createFixtureProject, type FixtureProject } from "../support/fixture-project";

const TOKEN = "serialization-test-token-5f2c";
const CLIENT_KEY = "-----BEGIN PRIVATE KEY-----\nserialization-test-key-91ab\n-----END PRIVATE KEY-----";

/** Runs a program under Pulumi's mocks and prints each resource's type and `__provider`. */
const CAPTURE_SCRIPT = `
const pulumi = require("@pulumi/pulumi");
const seen = [];
pulumi.runtime.setMocks({
  newResource(args) {
    seen.push({ type: args.type, provider: args.inputs.__provider });
    return { id: args.name + "-id", state: args.inputs };
  },
  call() { return {}; },
}, "serialization", "dev");
const { CmfEnvironment, CmfApplication } = require("pulumi-cmf");
const connection = { url: "https://cmf:8443", token: process.env.CAPTURE_TOKEN, clientKey: process.env.CAPTURE_KEY, clientCertificatePath: "/c.pem" };
const env = new CmfEnvironment("env", { kubernetesNamespace: "ns", connection });
new CmfApplication("app", { environment: env, connection, spec: { image: "i", job: { jarURI: "local:///x.jar", state: "running" } } });
setTimeout(() => process.stdout.write(JSON.stringify(seen)), 500);
`;

interface Captured {
  type: string;
  provider: string;
}

function capture(dir: string): Captured[] {
  const script = path.join(dir, "capture.js");
  fs.writeFileSync(script, CAPTURE_SCRIPT);
  const out = execFileSync(process.execPath, [script], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CAPTURE_TOKEN: TOKEN, CAPTURE_KEY: CLIENT_KEY },
  });
  return (JSON.parse(out) as Captured[]).sort((a, b) => a.type.localeCompare(b.type));
}

let fixture: FixtureProject;
let copy: string;

beforeAll(() => {
  fixture = createFixtureProject("serialization");
  copy = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-serialization-copy-"));
  fs.cpSync(path.join(fixture.dir, "node_modules"), path.join(copy, "node_modules"), {
    recursive: true,
    verbatimSymlinks: true,
  });
}, 120_000);

afterAll(() => {
  fixture?.remove();
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

describe("serialized provider shim", () => {
  it("is byte-identical across processes and directories, small, and holds no secret", () => {
    const first = capture(fixture.dir);
    const second = capture(copy);
    expect(first.map((c) => c.type)).toEqual([
      "pulumi-nodejs:dynamic/cmf:Application",
      "pulumi-nodejs:dynamic/cmf:Environment",
    ]);
    expect(second).toEqual(first);
    for (const { provider, type } of first) {
      const kind = type.endsWith(":Environment") ? "environment" : "application";
      expect(typeof provider).toBe("string");
      expect(provider.length).toBeLessThan(512);
      expect(provider).toContain(`require("pulumi-cmf/dist/sdk/${kind}-provider.js")`);
      expect(provider).not.toContain(TOKEN);
      expect(provider).not.toContain("serialization-test-key");
      expect(provider).not.toMatch(/\/tmp\/|\/home\/|\/work\/|node_modules/);
    }
    expect(first[0].provider.replace("application-provider", "environment-provider")).toBe(first[1].provider);
    console.log(`__provider size from an installed package: ${first[0].provider.length} bytes`);
  });

  it("from this repository's sources is the shim by value: small, secret-free, loading the runtime by name", async () => {
    const { default: environmentProvider } = await import("../../sdk/environment-provider");
    const serialized = await pulumi.runtime.serializeFunction(() => environmentProvider, {
      allowSecrets: true,
    });
    expect(serialized.containsSecrets).toBe(false);
    expect(serialized.text.length).toBeLessThan(4096);
    expect(serialized.text).toContain('require("pulumi-cmf/provider")');
    expect(serialized.text).toContain('kind = "Environment"');
    expect(serialized.text).not.toMatch(/require\("(undici|zod|@pulumi\/pulumi)/);
    console.log(`__provider size by value: ${serialized.text.length} bytes`);
  });

  it("is what Pulumi's serializeFunction makes of the built shim", async () => {
    const { serializeFunction } = fixture.load<typeof import("@pulumi/pulumi/runtime")>(
      "../@pulumi/pulumi/runtime/index.js",
    );
    const provider = fixture.load<object>("dist/sdk/environment-provider.js");
    const serialized = await serializeFunction(() => provider, { allowSecrets: true });
    expect(serialized.containsSecrets).toBe(false);
    const captured = capture(fixture.dir).find((c) => c.type.endsWith(":Environment"));
    expect(serialized.text).toBe(captured?.provider);
  });

  it("loads in a fresh process from the project directory and delegates to pulumi-cmf/provider", () => {
    const [{ provider }] = capture(fixture.dir).filter((c) => c.type.endsWith(":Environment"));
    const script = path.join(fixture.dir, "load.js");
    fs.writeFileSync(path.join(fixture.dir, "shim.js"), provider);
    fs.writeFileSync(
      script,
      `const shim = require("./shim.js").handler();
shim.check({}, { name: "Bad_Name", kubernetesNamespace: "ns" }).then((r) => process.stdout.write(JSON.stringify(r.failures)));`,
    );
    const out = execFileSync(process.execPath, [script], { cwd: fixture.dir, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual([{ property: "name", reason: expect.stringMatching(/RFC 1123/) }]);
  });
});
