/**
 * The `__provider` text Pulumi stores in every resource: it must be small, identical across runs and
 * machines (else every `pulumi up` shows `~__provider` updates), and free of secrets. Captured from the
 * packed package as a user's program would produce it, in two processes from two directories.
 */
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
    for (const { provider } of first) {
      expect(typeof provider).toBe("string");
      expect(provider.length).toBeLessThan(4096);
      expect(provider).not.toContain(TOKEN);
      expect(provider).not.toContain("serialization-test-key");
      expect(provider).not.toMatch(/\/tmp\/|\/home\/|\/work\/|node_modules/);
      expect(provider).toContain('require("pulumi-cmf/provider")');
      expect(provider).not.toMatch(/require\("(undici|zod|@pulumi\/pulumi)/);
    }
    const [application, environment] = first;
    expect(environment.provider).toContain('kind = "Environment"');
    expect(application.provider).toContain('kind = "Application"');
    expect(application.provider.replace('"Application"', '"Environment"')).toBe(environment.provider);
    console.log(`__provider size: ${environment.provider.length} bytes per kind`);
  });

  it("is what Pulumi's serializeFunction makes of the built shim", async () => {
    const { serializeFunction } = fixture.load<typeof import("@pulumi/pulumi/runtime")>(
      "../@pulumi/pulumi/runtime/index.js",
    );
    const shim = fixture.load<typeof import("../../sdk/provider-shim")>("dist/sdk/provider-shim.js");
    const provider = shim.environmentProvider;
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
