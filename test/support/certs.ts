import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** PEM contents and file paths of a throw-away PKI for TLS and mTLS tests. */
export interface TestCertificates {
  dir: string;
  /** CA that signs the server and the client certificate. */
  ca: string;
  caPath: string;
  /** Server certificate valid for 127.0.0.1, ::1 and localhost (subjectAltName). */
  serverCert: string;
  serverCertPath: string;
  serverKey: string;
  serverKeyPath: string;
  /** Client certificate (extendedKeyUsage clientAuth) signed by `ca`. */
  clientCert: string;
  clientCertPath: string;
  clientKey: string;
  clientKeyPath: string;
  /** An unrelated CA, and a client certificate it signed: what an mTLS server must refuse. */
  otherCa: string;
  otherCaPath: string;
  otherClientCert: string;
  otherClientCertPath: string;
  otherClientKey: string;
  otherClientKeyPath: string;
}

export class OpensslMissingError extends Error {
  constructor(cause: string, options?: ErrorOptions) {
    super(
      `openssl is needed to generate test certificates but could not be run (${cause}); install it (apt-get install openssl)`,
      options,
    );
    this.name = "OpensslMissingError";
  }
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run("openssl", args, { cwd });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new OpensslMissingError("not found on PATH", { cause: err });
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.trim() || e.message}`, { cause: err });
  }
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

async function makeCa(dir: string, name: string, cn: string): Promise<void> {
  await openssl(
    [
      "req",
      "-x509",
      "-new",
      ...EC_KEY,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.crt`,
      "-days",
      "3",
      "-subj",
      `/CN=${cn}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
}

async function makeLeaf(
  dir: string,
  name: string,
  ca: string,
  cn: string,
  extensions: string[],
): Promise<void> {
  await openssl(
    ["req", "-new", ...EC_KEY, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`],
    dir,
  );
  await fs.writeFile(path.join(dir, `${name}.ext`), `${extensions.join("\n")}\n`);
  const serial = `0x${Date.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`;
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${ca}.crt`,
      "-CAkey",
      `${ca}.key`,
      "-set_serial",
      serial,
      "-out",
      `${name}.crt`,
      "-days",
      "2",
      "-extfile",
      `${name}.ext`,
    ],
    dir,
  );
}

/**
 * Generates a CA, a server certificate for 127.0.0.1/::1/localhost, a client certificate, and an
 * unrelated CA with its own client certificate, into `dir` (created if missing). Needs `openssl`.
 */
export async function makeCertificates(dir: string): Promise<TestCertificates> {
  await fs.mkdir(dir, { recursive: true });
  try {
    await run("openssl", ["version"]);
  } catch (err) {
    throw new OpensslMissingError(
      (err as NodeJS.ErrnoException).code === "ENOENT" ? "not found on PATH" : String(err),
    );
  }
  await makeCa(dir, "ca", "pulumi-cmf test CA");
  await makeCa(dir, "other-ca", "pulumi-cmf unrelated test CA");
  await makeLeaf(dir, "server", "ca", "localhost", [
    "basicConstraints=CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth",
    "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost",
  ]);
  const client = [
    "basicConstraints=CA:FALSE",
    "keyUsage=critical,digitalSignature",
    "extendedKeyUsage=clientAuth",
  ];
  await makeLeaf(dir, "client", "ca", "pulumi-cmf-test-client", client);
  await makeLeaf(dir, "other-client", "other-ca", "pulumi-cmf-unrelated-client", client);

  const file = (name: string) => path.join(dir, name);
  const read = (name: string) => fs.readFile(file(name), "utf8");
  return {
    dir,
    ca: await read("ca.crt"),
    caPath: file("ca.crt"),
    serverCert: await read("server.crt"),
    serverCertPath: file("server.crt"),
    serverKey: await read("server.key"),
    serverKeyPath: file("server.key"),
    clientCert: await read("client.crt"),
    clientCertPath: file("client.crt"),
    clientKey: await read("client.key"),
    clientKeyPath: file("client.key"),
    otherCa: await read("other-ca.crt"),
    otherCaPath: file("other-ca.crt"),
    otherClientCert: await read("other-client.crt"),
    otherClientCertPath: file("other-client.crt"),
    otherClientKey: await read("other-client.key"),
    otherClientKeyPath: file("other-client.key"),
  };
}
