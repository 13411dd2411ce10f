import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CmfClient,
  CmfConfigurationError,
  resolveConnection,
  type CmfConnection,
} from "../../provider/client";
import { DEFAULT_RETRY_POLICY } from "../../provider/client/retry-policy";

const CERT = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
const KEY = "-----BEGIN PRIVATE KEY-----\nMIIEsecretkeymaterial\n-----END PRIVATE KEY-----\n";
const TOKEN = "s3cr3t-token-value";

function configError(connection: CmfConnection): CmfConfigurationError {
  try {
    resolveConnection(connection);
  } catch (err) {
    expect(err).toBeInstanceOf(CmfConfigurationError);
    return err as CmfConfigurationError;
  }
  throw new Error("expected resolveConnection to throw");
}

describe("resolveConnection: url", () => {
  it.each([
    ["https://cmf.example.com:8080", "https://cmf.example.com:8080", ""],
    ["https://cmf.example.com:8080/", "https://cmf.example.com:8080", ""],
    ["https://cmf.example.com:8080/cmf/api/v1", "https://cmf.example.com:8080", ""],
    ["https://cmf.example.com:8080/cmf/api/v1/", "https://cmf.example.com:8080", ""],
    ["http://127.0.0.1:1234/gateway/flink", "http://127.0.0.1:1234", "/gateway/flink"],
    ["http://127.0.0.1:1234/gateway/flink/cmf/api/v1", "http://127.0.0.1:1234", "/gateway/flink"],
    ["  http://localhost:80  ", "http://localhost", ""],
  ])("%s → origin %s, prefix %j", (url, origin, prefix) => {
    const resolved = resolveConnection({ url });
    expect(resolved.origin).toBe(origin);
    expect(resolved.pathPrefix).toBe(prefix);
    expect(resolved.baseUrl).toBe(origin + prefix);
  });

  it("applies the defaults", () => {
    const resolved = resolveConnection({ url: "http://cmf:8080" });
    expect(resolved.timeoutMs).toBe(30_000);
    expect(resolved.retry).toEqual(DEFAULT_RETRY_POLICY);
    expect(resolved.token).toBeUndefined();
    expect(resolved.tls).toBeUndefined();
  });

  it.each([
    [{ url: "" }, "url", "is required"],
    [{ url: "cmf.example.com:8080" }, "url", "scheme must be http or https"],
    [{ url: "not a url" }, "url", "is not an absolute URL"],
    [{ url: "ftp://cmf" }, "url", "scheme must be http or https (got ftp)"],
    [{ url: "https://cmf/#frag" }, "url", "must not have a query (?...) or fragment (#...)"],
  ])("rejects %j naming %s", (connection, field, text) => {
    const err = configError(connection as CmfConnection);
    expect(err.field).toBe(field);
    expect(err.message).toContain(text);
    expect(err.message).toMatch(/^Invalid CMF connection setting url: /);
  });

  it("rejects credentials in the URL without echoing them", () => {
    const err = configError({ url: "https://admin:hunter2@cmf:8080" });
    expect(err.message).toContain("must not contain credentials");
    expect(err.message).not.toContain("hunter2");
    expect(configError({ url: "https://admin:hunter2@cm f" }).message).not.toContain("hunter2");
    const query = configError({ url: "https://cmf:8080/x?access_token=hunter2" });
    expect(query.message).toBe(
      "Invalid CMF connection setting url: must not have a query (?...) or fragment (#...); use https://cmf:8080/x",
    );
  });

  it("rejects a missing connection object", () => {
    expect(() => resolveConnection(undefined as unknown as CmfConnection)).toThrow(CmfConfigurationError);
  });
});

describe("resolveConnection: token", () => {
  it("keeps the token and tolerates a leading 'Bearer '", () => {
    expect(resolveConnection({ url: "http://cmf", token: TOKEN }).token).toBe(TOKEN);
    expect(resolveConnection({ url: "http://cmf", token: `Bearer ${TOKEN}` }).token).toBe(TOKEN);
    expect(resolveConnection({ url: "http://cmf", token: "" }).token).toBeUndefined();
  });

  it("rejects header-breaking tokens without echoing them", () => {
    const err = configError({ url: "http://cmf", token: `${TOKEN}\r\nX-Evil: 1` });
    expect(err.field).toBe("token");
    expect(err.message).not.toContain(TOKEN);
  });

  it("rejects a non-string token", () => {
    expect(configError({ url: "http://cmf", token: 42 as unknown as string }).message).toContain(
      "token: must be a string (got number)",
    );
  });
});

describe("resolveConnection: TLS material", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cmf-client-conn-"));
    writeFileSync(join(dir, "ca.pem"), CERT);
    writeFileSync(join(dir, "client.pem"), CERT);
    writeFileSync(join(dir, "client.key"), KEY);
    writeFileSync(join(dir, "garbage.txt"), "hello");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads PEM contents from inline values and from paths", () => {
    const inline = resolveConnection({
      url: "https://cmf",
      caCertificate: CERT,
      clientCertificate: CERT,
      clientKey: KEY,
    });
    expect(inline.tls).toEqual({ ca: CERT, cert: CERT, key: KEY, rejectUnauthorized: true });
    const fromFiles = resolveConnection({
      url: "https://cmf",
      caCertificatePath: join(dir, "ca.pem"),
      clientCertificatePath: join(dir, "client.pem"),
      clientKeyPath: join(dir, "client.key"),
    });
    expect(fromFiles.tls).toEqual({ ca: CERT, cert: CERT, key: KEY, rejectUnauthorized: true });
  });

  it("reads the files at construction time through the injected reader", () => {
    const reads: string[] = [];
    resolveConnection({ url: "https://cmf", caCertificatePath: "/virtual/ca.pem" }, (path) => {
      reads.push(path);
      return CERT;
    });
    expect(reads).toEqual(["/virtual/ca.pem"]);
  });

  it("names the unreadable path", () => {
    const missing = join(dir, "nope.pem");
    const err = configError({ url: "https://cmf", caCertificatePath: missing });
    expect(err.field).toBe("caCertificatePath");
    expect(err.message).toContain(`cannot read "${missing}"`);
    expect(err.message).toContain("ENOENT");
  });

  it("rejects a file that is not PEM", () => {
    const err = configError({ url: "https://cmf", caCertificatePath: join(dir, "garbage.txt") });
    expect(err.message).toContain("does not hold PEM data");
  });

  it("rejects a key without a certificate and a certificate without a key", () => {
    expect(configError({ url: "https://cmf", clientKey: KEY }).message).toContain(
      "clientKey: is set but clientCertificate is not; mTLS needs both",
    );
    expect(configError({ url: "https://cmf", clientCertificatePath: join(dir, "client.pem") }).field).toBe(
      "clientCertificate",
    );
  });

  it("rejects both inline and path for the same material", () => {
    const err = configError({
      url: "https://cmf",
      caCertificate: CERT,
      caCertificatePath: join(dir, "ca.pem"),
    });
    expect(err.message).toContain("caCertificate: and caCertificatePath are both set");
  });

  it("never echoes key material, whichever field it was put in", () => {
    const inPath = configError({ url: "https://cmf", clientCertificate: CERT, clientKeyPath: KEY });
    expect(inPath.message).toContain(
      "clientKeyPath: holds PEM contents, not a file path; set clientKey instead",
    );
    const notPem = configError({
      url: "https://cmf",
      clientCertificate: CERT,
      clientKey: "MIIEsecretkeymaterial",
    });
    expect(notPem.message).toContain("clientKey: must hold PEM contents");
    for (const err of [inPath, notPem]) expect(err.message).not.toContain("secretkeymaterial");
  });

  it("treats empty strings as unset", () => {
    expect(resolveConnection({ url: "https://cmf", caCertificate: "", clientKeyPath: "" }).tls).toEqual({
      rejectUnauthorized: true,
    });
  });

  it("turns verification off only when asked", () => {
    expect(
      resolveConnection({ url: "https://cmf", insecureSkipTlsVerify: true }).tls?.rejectUnauthorized,
    ).toBe(false);
    expect(resolveConnection({ url: "https://cmf" }).tls?.rejectUnauthorized).toBe(true);
  });

  it("rejects TLS settings on an http URL", () => {
    expect(configError({ url: "http://cmf", caCertificate: CERT }).message).toContain(
      "caCertificate: is a TLS setting but url uses http",
    );
    expect(configError({ url: "http://cmf", insecureSkipTlsVerify: true }).field).toBe(
      "insecureSkipTlsVerify",
    );
  });
});

describe("resolveConnection: timeout and retry", () => {
  it("accepts custom values", () => {
    const resolved = resolveConnection({
      url: "http://cmf",
      timeoutMs: 1500,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, deadlineMs: 500 },
    });
    expect(resolved.timeoutMs).toBe(1500);
    expect(resolved.retry).toEqual({ maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, deadlineMs: 500 });
  });

  it("keeps maxDelayMs >= baseDelayMs when only the base is raised", () => {
    expect(resolveConnection({ url: "http://cmf", retry: { baseDelayMs: 20_000 } }).retry.maxDelayMs).toBe(
      20_000,
    );
  });

  it.each([
    [{ timeoutMs: 0 }, "timeoutMs: must be an integer between 1 and 2147483647 (got 0)"],
    [{ timeoutMs: 1.5 }, "timeoutMs: must be an integer"],
    [{ retry: { maxAttempts: 0 } }, "retry.maxAttempts: must be an integer between 1"],
    [{ retry: { maxAttempts: 1000 } }, "retry.maxAttempts: must be at most 100"],
    [{ retry: { baseDelayMs: -1 } }, "retry.baseDelayMs: must be an integer between 0"],
    [{ retry: { baseDelayMs: 100, maxDelayMs: 10 } }, "retry.maxDelayMs: must be at least retry.baseDelayMs"],
    [{ retry: { deadlineMs: Number.NaN } }, "retry.deadlineMs: must be an integer"],
  ])("rejects %j", (extra, text) => {
    expect(configError({ url: "http://cmf", ...(extra as Partial<CmfConnection>) }).message).toContain(text);
  });
});

describe("CmfClient constructor", () => {
  it("validates up front, before any request", () => {
    expect(() => new CmfClient({ url: "https://cmf", clientKey: KEY })).toThrow(
      /Invalid CMF connection setting clientKey/,
    );
  });

  it("does not expose the token or key through inspection or JSON", async () => {
    const client = new CmfClient({
      url: "https://cmf",
      token: TOKEN,
      clientCertificate: CERT,
      clientKey: KEY,
    });
    const { inspect } = await import("node:util");
    const shown = inspect(client, { depth: 10, showHidden: true }) + JSON.stringify(client);
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain("secretkeymaterial");
    await client.close();
  });
});
