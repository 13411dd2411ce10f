import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CmfClient, CmfConnectionError, type CmfConnection } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import { makeCertificates, type TestCertificates } from "../support/certs";

const TOKEN = "tls-token-5e6f7a8b9c0d";
let dir: string;
let certs: TestCertificates;
let tlsEmulator: CmfEmulator;
let mtlsEmulator: CmfEmulator;
const clients: CmfClient[] = [];

function client(url: string, extra: Partial<CmfConnection>): CmfClient {
  const created = new CmfClient({ url, token: TOKEN, retry: { maxAttempts: 3, baseDelayMs: 1 }, ...extra });
  clients.push(created);
  return created;
}

/** The client key without its PEM armour: the part that must never leak. */
function keyBody(pem: string): string {
  return pem.split("\n").filter((line) => line !== "" && !line.startsWith("-----"))[0];
}

async function connectionError(promise: Promise<unknown>): Promise<CmfConnectionError> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(CmfConnectionError);
  const error = outcome as CmfConnectionError;
  for (const secret of [TOKEN, keyBody(certs.clientKey), keyBody(certs.otherClientKey)]) {
    expect(error.message).not.toContain(secret);
    expect(String(error.stack)).not.toContain(secret);
  }
  return error;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cmf-client-tls-"));
  certs = await makeCertificates(dir);
  tlsEmulator = await CmfEmulator.start({
    token: TOKEN,
    tls: { cert: certs.serverCert, key: certs.serverKey },
  });
  mtlsEmulator = await CmfEmulator.start({
    token: TOKEN,
    tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, requireClientCert: true },
  });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await tlsEmulator?.close();
  await mtlsEmulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("TLS", () => {
  it("verifies the server against the given CA, inline or from a file", async () => {
    expect(tlsEmulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await expect(
      client(tlsEmulator.url, { caCertificate: certs.ca }).environments.list(),
    ).resolves.toMatchObject({ items: [] });
    await expect(
      client(tlsEmulator.url, { caCertificatePath: certs.caPath }).environments.list(),
    ).resolves.toMatchObject({
      items: [],
    });
  });

  it("fails verification against the system CAs, naming the URL, without retrying", async () => {
    const error = await connectionError(client(tlsEmulator.url, {}).environments.list());
    expect(error.kind).toBe("tls");
    expect(error.attempts).toBe(1);
    expect(error.url).toBe(`${tlsEmulator.url}/cmf/api/v1/environments`);
    const url = `${tlsEmulator.url}/cmf/api/v1/environments`.replace(/[.]/g, "\\.");
    expect(error.message).toMatch(
      new RegExp(
        `^Cannot reach CMF: GET ${url} failed: TLS verification failed: unable to verify the first certificate ` +
          `\\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\\) \\(1 attempt in \\d+ ms\\)$`,
      ),
    );
  });

  it("fails verification with the wrong CA", async () => {
    const error = await connectionError(
      client(tlsEmulator.url, { caCertificatePath: certs.otherCaPath }).environments.list(),
    );
    expect(error.kind).toBe("tls");
    expect(error.message).toMatch(/TLS verification failed: .*(certificate|issuer).*\(1 attempt in/);
  });

  it("skips verification only when asked", async () => {
    await expect(
      client(tlsEmulator.url, { insecureSkipTlsVerify: true }).environments.list(),
    ).resolves.toMatchObject({
      items: [],
    });
  });
});

describe("mTLS", () => {
  it("presents the client certificate and key, from files or inline, with the bearer token", async () => {
    const fromFiles = client(mtlsEmulator.url, {
      caCertificatePath: certs.caPath,
      clientCertificatePath: certs.clientCertPath,
      clientKeyPath: certs.clientKeyPath,
    });
    await expect(
      fromFiles.environments.upsert({ name: "mtls-env", kubernetesNamespace: "ns" }),
    ).resolves.toMatchObject({
      name: "mtls-env",
    });
    const inline = client(mtlsEmulator.url, {
      caCertificate: certs.ca,
      clientCertificate: certs.clientCert,
      clientKey: certs.clientKey,
    });
    await expect(inline.environments.get("mtls-env")).resolves.toMatchObject({ name: "mtls-env" });
  });

  it("is refused without a client certificate", async () => {
    const error = await connectionError(
      client(mtlsEmulator.url, { caCertificate: certs.ca }).environments.list(),
    );
    expect(["tls", "reset"]).toContain(error.kind);
    expect(error.url).toBe(`${mtlsEmulator.url}/cmf/api/v1/environments`);
  });

  it("is refused with a client certificate from another CA, without leaking the key", async () => {
    const error = await connectionError(
      client(mtlsEmulator.url, {
        caCertificate: certs.ca,
        clientCertificate: certs.otherClientCert,
        clientKey: certs.otherClientKey,
      }).environments.list(),
    );
    expect(["tls", "reset"]).toContain(error.kind);
    if (error.kind === "reset")
      expect(error.message).toContain("(check that CMF trusts the client certificate)");
  });
});
