/**
 * Credentials and secret data never in plain text, even with every debug output on: the CMF bearer
 * token given in each way a user can give it (secret stack configuration, `connection.token` as a
 * `pulumi.secret`, as a plain string, a whole connection `Output`) and a CmfSecret's values, through
 * `up`, `preview`, `refresh` and `destroy` with `--debug`, the engine's and the plugins' logs at
 * verbosity 9 on stderr (`--logtostderr --logflow -v=9`: the Node SDK and the engine log the RPCs
 * there) and the provider's request trace (`PULUMI_CMF_DEBUG=1`); then `pulumi stack export` and the
 * state files on disk.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import { createFixtureProject, type FixtureProject } from "../support/fixture-project";
import { describeWithPulumi, inlineStack, makePulumiSandbox, type PulumiSandbox } from "../support/pulumi";
import {
  filesContaining,
  isSecretValue,
  plainPaths,
  resourcesOfType,
  type DeploymentState,
} from "../support/state";

type Sdk = typeof import("../../sdk");

/** How a resource is given its token; each way has its own CMF (and token) so a leak names its way. */
const WAYS = ["config", "secret", "plain", "output"] as const;
type Way = (typeof WAYS)[number];

const tokenOf = (way: Way) => `tok-${way}-7f3a9c2e41b8d605`;
const valueOf = (way: Way, round: number) => `pw-${way}-${round}-c0ffee5ecret`;

const needles = () => WAYS.flatMap((way) => [tokenOf(way), valueOf(way, 1), valueOf(way, 2)]);

/**
 * One message of any log: the Node SDK's `debug:` lines on stdout, one JSON record per engine or
 * plugin log entry on stderr, one line of the provider's trace.
 */
const MESSAGE_START = /(?=debug: |\{"time":|\[pulumi-cmf\] )/;

/**
 * The one place a token given as a resource argument shows (Pulumi 3.276): the Node SDK
 * (`@pulumi/pulumi`, `runtime/resource.js`) logs at debug level the whole RegisterResource response,
 * the values of secret outputs included (on stderr with `--debug`), and a dynamic provider must keep
 * the connection among its outputs: delete and refresh get nothing else. Tolerated, not required (a
 * fixed SDK passes too); every other message, the token given as secret stack configuration, and the
 * secret's data (whose outputs hold only digests) must never show.
 */
const KNOWN_NODE_SDK_ECHO = ["secret", "plain", "output"]
  .map((way) => `tok-${way}-7f3a9c2e41b8d605 in the Node SDK's RegisterResource response of creds-${way}`)
  .sort();

/** Which needle shows in which message of `text`, the Node SDK's echo named as such. */
function printed(text: string, where: string): string[] {
  const found = new Set<string>();
  for (const message of text.split(MESSAGE_START)) {
    for (const needle of needles()) {
      if (!message.includes(needle)) continue;
      const echo = /RegisterResource RPC finished: resource:(creds-\w+)\[/.exec(message);
      found.add(
        echo && needle.startsWith("tok-") && echo[1] === `creds-${needle.split("-")[1]}`
          ? `${needle} in the Node SDK's RegisterResource response of ${echo[1]}`
          : `${where}: ${needle} in ${message.slice(0, 200)}`,
      );
    }
  }
  return [...found].sort();
}

describeWithPulumi("no credential or secret value in plain text with debug output on", (tools) => {
  jest.setTimeout(5 * 60 * 1000);

  let fixture: FixtureProject;
  let sdk: Sdk;
  let sandbox: PulumiSandbox;
  const emulators = new Map<Way, CmfEmulator>();
  const clients: CmfClient[] = [];

  beforeAll(async () => {
    fixture = createFixtureProject("engine-secrets-debug");
    sdk = fixture.load<Sdk>("dist/sdk/index.js");
    sandbox = makePulumiSandbox(tools, "engine-secrets-debug");
    for (const way of WAYS) emulators.set(way, await CmfEmulator.start({ token: tokenOf(way) }));
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) await client.close();
    for (const emulator of emulators.values()) await emulator.close();
    fixture?.remove();
    if (sandbox) fs.rmSync(sandbox.root, { recursive: true, force: true });
  });

  function url(way: Way): string {
    return emulators.get(way)!.url;
  }

  function program(round: { n: number }) {
    return async () => {
      const connections: Record<Way, unknown> = {
        config: undefined,
        secret: { url: url("secret"), token: pulumi.secret(tokenOf("secret")) },
        plain: { url: url("plain"), token: tokenOf("plain") },
        output: pulumi.output({ url: url("output"), token: tokenOf("output") }),
      };
      const out: Record<string, unknown> = {};
      for (const way of WAYS) {
        const secret = new sdk.CmfSecret(`creds-${way}`, {
          data: { password: valueOf(way, round.n) },
          ...(connections[way] === undefined ? {} : { connection: connections[way] as never }),
        });
        out[way] = secret.version;
      }
      return out;
    };
  }

  it("keeps the token and the secret data out of every output, log, export and state file", async () => {
    const round = { n: 1 };
    const stack: Stack = await inlineStack({
      tools,
      sandbox,
      projectName: "cmf-secrets-debug",
      stackName: "dev",
      program: program(round),
      workDir: fixture.dir,
      envVars: { PULUMI_CMF_DEBUG: "1" },
    });
    await stack.setAllConfig({
      "cmf:url": { value: url("config") },
      "cmf:token": { value: tokenOf("config"), secret: true },
    });

    let out = "";
    let err = "";
    const capture = {
      onOutput: (text: string) => (out += text),
      onError: (text: string) => (err += text),
    };
    // What a user runs to debug (`pulumi up --debug`), then everything on: the engine's and the
    // plugins' logs at verbosity 9 on stderr.
    const debug = { ...capture, debug: true, diff: true };
    const everything = { ...debug, logToStdErr: true, logFlow: true, logVerbosity: 9 };

    const up = await stack.up(debug);
    expect(up.summary.resourceChanges).toEqual({ create: WAYS.length + 1 });
    round.n = 2;
    const updated = await stack.up(everything);
    expect(updated.summary.resourceChanges).toEqual({ same: 1, update: WAYS.length });
    for (const way of WAYS) expect(updated.outputs[way].value).toBe("2");
    expect((await stack.preview(everything)).changeSummary).toEqual({ same: WAYS.length + 1 });
    await stack.refresh(everything);
    const exported = (await stack.exportStack()).deployment as DeploymentState;
    const stateDir = sandbox.env.PULUMI_BACKEND_URL.replace("file://", "");
    expect(filesContaining(stateDir, "creds-plain").length).toBeGreaterThan(0);

    // Each CMF was reached with its own token (so the token travelled that way).
    for (const way of WAYS) {
      const client = new CmfClient({ url: url(way), token: tokenOf(way) });
      clients.push(client);
      expect((await client.secrets.get(`creds-${way}`))?.status?.version).toBe("2");
    }
    const stored: string[] = [];
    for (const needle of needles()) {
      for (const at of plainPaths(exported, needle)) stored.push(`stack export ${at}: ${needle}`);
      for (const file of filesContaining(stateDir, needle)) stored.push(`${file}: ${needle}`);
      for (const file of filesContaining(fixture.dir, needle)) stored.push(`${file}: ${needle}`);
    }
    expect(stored).toEqual([]);

    await stack.destroy(everything);
    // The outputs were really captured, at the verbosity asked: the Node SDK's RPC log (shown with
    // --debug), the engine's log of the provider calls (-v=9), the provider's request trace.
    expect(out + err).toMatch(/debug: RegisterResource RPC finished: resource:creds-plain/);
    expect(err).toMatch(/Provider\[\w+\]\.Read\(creds-plain,urn:/);
    expect(out + err).toMatch(/\[pulumi-cmf\] PUT \/cmf\/api\/v1\/secrets\/creds-plain -> 200/);
    expect(out + err).toMatch(/\[pulumi-cmf\] DELETE \/cmf\/api\/v1\/secrets\/creds-plain -> 204/);

    const unexplained = (seen: string[]) => seen.filter((entry) => !KNOWN_NODE_SDK_ECHO.includes(entry));
    expect(unexplained(printed(out, "stdout"))).toEqual([]);
    expect(unexplained(printed(err, "stderr"))).toEqual([]);

    // What the state keeps of them is encrypted.
    for (const resource of resourcesOfType(exported, "Secret")) {
      expect(isSecretValue(resource.outputs?.data)).toBe(true);
      if (resource.inputs?.connection !== undefined) {
        expect(isSecretValue(resource.outputs?.connection)).toBe(true);
      }
    }
    expect(fs.readFileSync(path.join(fixture.dir, "Pulumi.dev.yaml"), "utf8")).toMatch(
      /cmf:token:\s+secure:/,
    );
    await stack.workspace.removeStack("dev");
  });
});
