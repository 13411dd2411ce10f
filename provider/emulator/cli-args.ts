import { readFileSync } from "node:fs";
import type { CmfEmulatorOptions } from "./server";

export const USAGE = `Usage: cmf-emulator [options]

A stateful emulator of the Confluent Manager for Apache Flink (CMF) REST API.

Options:
  --host <host>               Address to listen on (default 127.0.0.1)
  --port <port>               Port to listen on (default 8080; 0 = any free port)
  --data-file <path>          Persist state to this JSON file and reload it at start (default: in memory)
  --token <token>             Require "Authorization: Bearer <token>" on the API and the test controls
                              (or set CMF_EMULATOR_TOKEN)
  --control-token <token>     A separate bearer token for the test controls (instead of --token)
  --tls-cert <path>           Serve HTTPS with this PEM certificate (needs --tls-key)
  --tls-key <path>            PEM private key of --tls-cert
  --tls-ca <path>             PEM CA bundle for client certificates
  --tls-require-client-cert   Require a client certificate signed by --tls-ca (mTLS)
  --lifecycle <mode>          instant | stepped | manual | <milliseconds per step> (default instant)
  --body-limit <bytes>        Largest accepted request body (default 1048576)
  -h, --help                  Show this help

Test controls: POST /_emulator/reset, PUT|DELETE /_emulator/faults, POST /_emulator/clock/advance,
POST /_emulator/environments/{env}/applications/{app}/fail, GET /_emulator/stats. They need the
--control-token, else the --token, and a client certificate when --tls-require-client-cert is given;
they are open only when no authentication is configured.

One emulator per data file: a second one on the same --data-file refuses to start and names the
process holding <data-file>.lock (a lock left by a crashed emulator is taken over).`;

/** A command-line mistake: reported in one line, exit status 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliUsageError";
  }
}

export type CliCommand = { kind: "help" } | { kind: "run"; options: CmfEmulatorOptions };

const VALUE_FLAGS = new Set([
  "--host",
  "--port",
  "--data-file",
  "--token",
  "--control-token",
  "--tls-cert",
  "--tls-key",
  "--tls-ca",
  "--lifecycle",
  "--body-limit",
]);
const BOOLEAN_FLAGS = new Set(["--tls-require-client-cert", "--help", "-h"]);

function readPem(flag: string, file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new CliUsageError(
      `${flag}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

function integer(flag: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new CliUsageError(`${flag}: expected an integer from ${min} to ${max}, got '${raw}'`);
  }
  return Number(raw);
}

/** Parses the command line (and `CMF_EMULATOR_TOKEN`) into start options; reads the TLS files. */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliCommand {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq !== -1 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(name)) {
      let value: string | undefined;
      if (name !== arg) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        if (value === undefined || (value.startsWith("--") && value.length > 2)) {
          throw new CliUsageError(`${name}: missing value`);
        }
        i++;
      }
      if (values.has(name)) throw new CliUsageError(`${name}: given more than once`);
      values.set(name, value);
    } else if (BOOLEAN_FLAGS.has(arg)) {
      flags.add(arg);
    } else if (BOOLEAN_FLAGS.has(name)) {
      throw new CliUsageError(`${name}: takes no value`);
    } else {
      throw new CliUsageError(
        arg.startsWith("-") ? `unknown option '${arg}'` : `unexpected argument '${arg}'`,
      );
    }
  }
  if (flags.has("--help") || flags.has("-h")) return { kind: "help" };

  const options: CmfEmulatorOptions = { host: values.get("--host") ?? "127.0.0.1", port: 8080 };
  if (options.host === "") throw new CliUsageError("--host: must not be empty");
  const port = values.get("--port");
  if (port !== undefined) options.port = integer("--port", port, 0, 65535);
  const dataFile = values.get("--data-file");
  if (dataFile !== undefined) {
    if (dataFile === "") throw new CliUsageError("--data-file: must not be empty");
    options.dataFile = dataFile;
  }
  const token = values.get("--token") ?? (env.CMF_EMULATOR_TOKEN || undefined);
  if (token !== undefined) {
    if (!/^[\x21-\x7e]+$/.test(token)) {
      throw new CliUsageError(
        "--token: must be printable ASCII without spaces (it travels in an HTTP header)",
      );
    }
    options.token = token;
  }

  const controlToken = values.get("--control-token");
  if (controlToken !== undefined) {
    if (!/^[\x21-\x7e]+$/.test(controlToken)) {
      throw new CliUsageError(
        "--control-token: must be printable ASCII without spaces (it travels in an HTTP header)",
      );
    }
    options.controlToken = controlToken;
  }

  const lifecycle = values.get("--lifecycle");
  if (lifecycle !== undefined) {
    if (lifecycle === "instant" || lifecycle === "stepped" || lifecycle === "manual")
      options.lifecycle = lifecycle;
    else if (/^\d+$/.test(lifecycle) && Number(lifecycle) >= 1)
      options.lifecycle = { stepMs: Number(lifecycle) };
    else {
      throw new CliUsageError(
        `--lifecycle: expected instant, stepped, manual or a number of milliseconds per step, got '${lifecycle}'`,
      );
    }
  }
  const bodyLimit = values.get("--body-limit");
  if (bodyLimit !== undefined)
    options.bodyLimitBytes = integer("--body-limit", bodyLimit, 1, 1024 * 1024 * 1024);

  const cert = values.get("--tls-cert");
  const key = values.get("--tls-key");
  const ca = values.get("--tls-ca");
  const requireClientCert = flags.has("--tls-require-client-cert");
  if ((cert === undefined) !== (key === undefined)) {
    throw new CliUsageError("--tls-cert and --tls-key must be given together");
  }
  if (cert === undefined && (ca !== undefined || requireClientCert)) {
    throw new CliUsageError("--tls-ca and --tls-require-client-cert need --tls-cert and --tls-key");
  }
  if (requireClientCert && ca === undefined)
    throw new CliUsageError("--tls-require-client-cert needs --tls-ca");
  if (cert !== undefined && key !== undefined) {
    options.tls = {
      cert: readPem("--tls-cert", cert),
      key: readPem("--tls-key", key),
      ...(ca !== undefined ? { ca: readPem("--tls-ca", ca) } : {}),
      ...(requireClientCert ? { requireClientCert } : {}),
    };
  }
  return { kind: "run", options };
}
