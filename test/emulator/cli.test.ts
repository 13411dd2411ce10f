import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Agent, request } from "undici";
import { makeCertificates } from "../support/certs";
import { signalProbe, SIGTERM_LISTENERS } from "../support/signal-probe";
import { Api, application, environment, V1 } from "./helpers";

const CLI = path.resolve(__dirname, "../../dist/provider/emulator/cli.js");

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, CMF_EMULATOR_TOKEN: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exit, stdout: () => stdout, stderr: () => stderr };
}

/** Starts the command and waits (at most 15 s) for its one "listening" line. */
async function startCli(args: string[], env?: NodeJS.ProcessEnv): Promise<Running> {
  const run = spawnCli(args, env);
  const deadline = Date.now() + 15_000;
  while (!run.stdout().includes("\n")) {
    const exited = await Promise.race([
      run.exit.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 25)),
    ]);
    if (exited) throw new Error(`cmf-emulator exited early: ${run.stderr()}`);
    if (Date.now() > deadline) {
      run.child.kill("SIGKILL");
      throw new Error("cmf-emulator did not print its listening line within 15 s");
    }
  }
  const match = /^CMF emulator listening on (\S+)\n$/.exec(run.stdout());
  if (!match) throw new Error(`unexpected output: ${JSON.stringify(run.stdout())}`);
  return { child: run.child, url: match[1], stdout: run.stdout, stderr: run.stderr, exit: run.exit };
}

async function runToExit(args: string[], env?: NodeJS.ProcessEnv) {
  const run = spawnCli(args, env);
  const timer = setTimeout(() => run.child.kill("SIGKILL"), 15_000);
  const { code } = await run.exit;
  clearTimeout(timer);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

let dir: string;

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run 'npm run build' first (npm test does it in pretest)`);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cmf-emu-cli-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe("cmf-emulator command", () => {
  test("starts with the shebang, prints exactly one line, serves the API, exits 0 on SIGTERM and SIGINT", async () => {
    expect((await fs.readFile(CLI, "utf8")).startsWith("#!/usr/bin/env node\n")).toBe(true);
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const cli = await startCli(["--port", "0"]);
      expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const api = new Api(cli.url);
      expect((await api.post(`${V1}/environments`, environment("prod"))).status).toBe(200);
      cli.child.kill(signal);
      expect(await cli.exit).toEqual({ code: 0, signal: null });
      expect(cli.stdout()).toBe(`CMF emulator listening on ${cli.url}\n`);
    }
  });

  test("--data-file keeps state across runs; --lifecycle manual holds rollouts", async () => {
    const dataFile = path.join(dir, "state.json");
    const first = await startCli(["--port=0", "--data-file", dataFile, "--lifecycle", "manual"]);
    const api = new Api(first.url);
    await api.post(`${V1}/environments`, environment("prod"));
    const app = await api.post(`${V1}/environments/prod/applications`, {
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      metadata: { name: "orders" },
      spec: application("orders").spec,
    });
    expect(app.json.status.jobManagerDeploymentStatus).toBe("DEPLOYING");
    first.child.kill("SIGTERM");
    await first.exit;

    const second = await startCli(["--port", "0", "--data-file", dataFile]);
    const got = await new Api(second.url).get(`${V1}/environments/prod/applications/orders`);
    expect(got.json.metadata.uid).toBe(app.json.metadata.uid);
    second.child.kill("SIGTERM");
    expect((await second.exit).code).toBe(0);
  });

  test("the token comes from --token or CMF_EMULATOR_TOKEN", async () => {
    for (const [args, env] of [
      [["--port", "0", "--token", "from-flag"], {}],
      [["--port", "0"], { CMF_EMULATOR_TOKEN: "from-env" }],
    ] as [string[], NodeJS.ProcessEnv][]) {
      const cli = await startCli(args, env);
      const api = new Api(cli.url);
      const token = args.includes("--token") ? "from-flag" : "from-env";
      expect((await api.get(`${V1}/environments`)).status).toBe(401);
      expect(
        (await api.get(`${V1}/environments`, { headers: { authorization: `Bearer ${token}` } })).status,
      ).toBe(200);
      cli.child.kill("SIGTERM");
      await cli.exit;
    }
  });

  test("TLS flags take file paths and enable mTLS", async () => {
    const certs = await makeCertificates(path.join(dir, "pki"));
    const cli = await startCli([
      "--port",
      "0",
      "--tls-cert",
      certs.serverCertPath,
      "--tls-key",
      certs.serverKeyPath,
      "--tls-ca",
      certs.caPath,
      "--tls-require-client-cert",
    ]);
    expect(cli.url).toMatch(/^https:\/\//);
    const dispatcher = new Agent({ connect: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
    try {
      const res = await request(`${cli.url}${V1}/environments`, { dispatcher });
      expect(res.statusCode).toBe(200);
      await res.body.text();
    } finally {
      await dispatcher.close();
      cli.child.kill("SIGTERM");
      await cli.exit;
    }
  });

  test("--help prints usage and exits 0", async () => {
    const res = await runToExit(["--help"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Usage: cmf-emulator \[options\]/);
    expect(res.stdout).toContain("--lifecycle <mode>");
    /* Issue #10 item 3: the help says the controls are behind the authentication. */
    expect(res.stdout).toContain("--control-token <token>");
    expect(res.stdout).toMatch(/They need the\s+--control-token, else the --token/);
  });

  test("SIGTERM stops it within 5 s whatever it is doing: a hanging request, a hostile filter (issue #10 item 2)", async () => {
    const dataFile = path.join(dir, "sigterm.json");
    const cli = await startCli(["--port", "0", "--data-file", dataFile]);
    const killer = setTimeout(() => cli.child.kill("SIGKILL"), 30_000);
    try {
      const api = new Api(cli.url);
      for (let i = 0; i < 20; i++)
        await api.post(`${V1}/environments`, environment(`${"a".repeat(250)}${i}`.slice(0, 253)));
      /* The next request hangs (an injected fault), the one after runs a hostile filter (before the fix
         it backtracked for hours, and SIGTERM was never handled). */
      const fault = await api.request("PUT", "/_emulator/faults", { body: { hangRate: 1, count: 1 } });
      expect(fault.status).toBe(204);
      const hanging = api.get(`${V1}/environments`).catch(() => undefined);
      const filtered = api.get(`${V1}/environments?filter=name=*a*a*a*a*a*a*a*b`).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const sent = Date.now();
      cli.child.kill("SIGTERM");
      const exit = await cli.exit;
      expect(Date.now() - sent).toBeLessThan(5000);
      expect(exit.signal).toBeNull();
      await Promise.all([filtered, hanging]);
    } finally {
      clearTimeout(killer);
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill("SIGKILL");
    }
  });

  test("a process that exits without closing its emulator (the embedded mode) lets go of the lock", async () => {
    const dataFile = path.join(dir, "embedded.json");
    const index = path.resolve(__dirname, "../../dist/provider/emulator/index.js");
    const script = `require(${JSON.stringify(index)}).CmfEmulator.start({ dataFile: ${JSON.stringify(dataFile)} })
      .then(() => { process.stdout.write(require("fs").existsSync(${JSON.stringify(`${dataFile}.lock`)}) ? "locked" : "unlocked"); process.exit(0); });`;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    const code = await new Promise((resolve) => child.on("exit", resolve));
    clearTimeout(killer);
    expect(code).toBe(0);
    expect(out).toBe("locked");
    expect(existsSync(`${dataFile}.lock`)).toBe(false);
  });

  test("a second emulator on the same data file fails at start naming the holder (exit 1) (issue #10 item 5)", async () => {
    const dataFile = path.join(dir, "shared.json");
    const first = await startCli(["--port", "0", "--data-file", dataFile]);
    try {
      const res = await runToExit(["--port", "0", "--data-file", dataFile]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`data file ${dataFile} is in use by process ${first.child.pid} on `);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    } finally {
      first.child.kill("SIGTERM");
      await first.exit;
    }
    /* A kill -9 leaves the lock behind; the next start takes it over. */
    const crashed = await startCli(["--port", "0", "--data-file", dataFile]);
    crashed.child.kill("SIGKILL");
    await crashed.exit;
    expect(existsSync(`${dataFile}.lock`)).toBe(true);
    const after = await startCli(["--port", "0", "--data-file", dataFile]);
    after.child.kill("SIGTERM");
    expect((await after.exit).code).toBe(0);
  });

  test("listens for SIGTERM before it prints its listening line", async () => {
    const run = await startCli(["--port", "0"], {
      NODE_OPTIONS: signalProbe(dir, /^CMF emulator listening/),
    });
    run.child.kill("SIGTERM");
    const exit = await run.exit;
    expect(SIGTERM_LISTENERS.exec(run.stderr())?.[1]).toBe("1");
    expect(exit.code).toBe(0);
  });

  test.each([
    [["--bogus"], "cmf-emulator: unknown option '--bogus'"],
    [["--port", "http"], "cmf-emulator: --port: expected an integer from 0 to 65535, got 'http'"],
    [["--port", "70000"], "cmf-emulator: --port: expected an integer from 0 to 65535, got '70000'"],
    [["--port"], "cmf-emulator: --port: missing value"],
    [
      ["--lifecycle", "fast"],
      "cmf-emulator: --lifecycle: expected instant, stepped, manual or a number of milliseconds per step, got 'fast'",
    ],
    [["--tls-cert", "/x.pem"], "cmf-emulator: --tls-cert and --tls-key must be given together"],
    [
      ["--tls-cert", "/nonexistent/c.pem", "--tls-key", "/nonexistent/k.pem"],
      "cmf-emulator: --tls-cert: cannot read /nonexistent/c.pem (ENOENT)",
    ],
    [
      ["--tls-require-client-cert"],
      "cmf-emulator: --tls-ca and --tls-require-client-cert need --tls-cert and --tls-key",
    ],
    [["serve"], "cmf-emulator: unexpected argument 'serve'"],
  ])("bad flags %j → a clear message, exit 2, no stack trace", async (args, message) => {
    const res = await runToExit(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`${message}\nRun 'cmf-emulator --help' for usage.\n`);
    expect(res.stdout).toBe("");
  });

  test("a corrupt data file stops the start with a message naming it (exit 1)", async () => {
    const dataFile = path.join(dir, "corrupt.json");
    await fs.writeFile(dataFile, "{oops");
    const res = await runToExit(["--port", "0", "--data-file", dataFile]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`data file ${dataFile} is corrupt`);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(await fs.readFile(dataFile, "utf8")).toBe("{oops");
  });

  test("a port in use is reported clearly (exit 1)", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const res = await runToExit(["--port", String(port)]);
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(`cmf-emulator: cannot listen on 127.0.0.1:${port}: address already in use\n`);
    } finally {
      blocker.close();
    }
  });
});
