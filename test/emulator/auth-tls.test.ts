import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent, request } from "undici";
import { CmfEmulator, EmulatorOptionsError } from "../../provider/emulator";
import { makeCertificates, type TestCertificates } from "../support/certs";
import { Api, environment, startEmulator, V1 } from "./helpers";

describe("bearer token", () => {
  let emu: CmfEmulator;
  let api: Api;
  const token = "s3cret-token.value";

  beforeAll(async () => {
    ({ emu, api } = await startEmulator({ token }));
  });
  afterAll(() => emu.close());

  test.each([
    ["missing", undefined, "Unauthorized: a bearer token is required", "Bearer"],
    ["wrong", "Bearer nope", "Unauthorized: invalid bearer token", 'Bearer error="invalid_token"'],
    [
      "a prefix of it",
      `Bearer ${token.slice(0, -1)}`,
      "Unauthorized: invalid bearer token",
      'Bearer error="invalid_token"',
    ],
    [
      "not a bearer scheme",
      `Basic ${Buffer.from("a:b").toString("base64")}`,
      "Unauthorized: invalid bearer token",
      'Bearer error="invalid_token"',
    ],
  ])("%s token → 401 RestError", async (_t, authorization, message, challenge) => {
    const res = await api.get(`${V1}/environments`, { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ errors: [{ message }] });
    expect(res.headers.get("www-authenticate")).toBe(challenge);
  });

  test("the right token (scheme case-insensitive) is let through, also on writes", async () => {
    for (const scheme of ["Bearer", "bearer"]) {
      const res = await api.get(`${V1}/environments`, { headers: { authorization: `${scheme} ${token}` } });
      expect(res.status).toBe(200);
    }
    const created = await api.post(`${V1}/environments`, environment("prod"), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(created.status).toBe(200);
    const refused = await api.post(`${V1}/environments`, environment("other"));
    expect(refused.status).toBe(401);
    expect(
      (await api.get(`${V1}/environments/other`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(404);
  });

  test("unknown routes are 401 too without a token (the filter runs before routing)", async () => {
    expect((await api.get(`${V1}/widgets`)).status).toBe(401);
  });

  test("test controls need the token too (issue #10 item 3): nobody can reset, fault or probe", async () => {
    const auth = { headers: { authorization: `Bearer ${token}` } };
    expect((await api.post(`${V1}/environments`, environment("prod"), auth)).status).toBe(200);
    expect((await api.post("/_emulator/reset")).status).toBe(401);
    expect((await api.request("PUT", "/_emulator/faults", { body: { hangRate: 1 } })).status).toBe(401);
    const probe = await api.post("/_emulator/environments/prod/applications/orders/fail");
    expect(probe.status).toBe(401);
    expect(probe.text).not.toMatch(/orders|prod/);
    expect((await api.get("/_emulator/stats")).status).toBe(401);
    expect((await api.get(`${V1}/environments/prod`, auth)).status).toBe(200);

    expect((await api.get("/_emulator/stats", auth)).status).toBe(200);
    expect((await api.request("PUT", "/_emulator/faults", { ...auth, body: { count: 0 } })).status).toBe(204);
    expect((await api.request("DELETE", "/_emulator/faults", auth)).status).toBe(204);
  });

  test("a separate control token guards the controls, and only it", async () => {
    const { emu, api: other } = await startEmulator({ token, controlToken: "ctl-secret" });
    try {
      expect(
        (await other.get("/_emulator/stats", { headers: { authorization: `Bearer ${token}` } })).status,
      ).toBe(401);
      expect(
        (await other.get("/_emulator/stats", { headers: { authorization: "Bearer ctl-secret" } })).status,
      ).toBe(200);
      expect(
        (await other.get(`${V1}/environments`, { headers: { authorization: "Bearer ctl-secret" } })).status,
      ).toBe(401);
    } finally {
      await emu.close();
    }
  });

  test("without authentication configured the controls stay open", async () => {
    const { emu, api: open } = await startEmulator();
    try {
      expect((await open.get("/_emulator/stats")).status).toBe(200);
    } finally {
      await emu.close();
    }
  });

  test("a token with spaces is refused at start", async () => {
    await expect(CmfEmulator.start({ token: "two words" })).rejects.toBeInstanceOf(EmulatorOptionsError);
  });
});

describe("TLS and mTLS", () => {
  let dir: string;
  let certs: TestCertificates;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "cmf-emu-tls-"));
    certs = await makeCertificates(dir);
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  async function get(
    url: string,
    connect: Record<string, unknown>,
    route = `${V1}/environments`,
  ): Promise<number> {
    const dispatcher = new Agent({ connect });
    try {
      const res = await request(`${url}${route}`, { dispatcher });
      await res.body.text();
      return res.statusCode;
    } finally {
      await dispatcher.close();
    }
  }

  test("the generated server certificate is valid for 127.0.0.1 and localhost", () => {
    expect(certs.serverCert).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(certs.clientKey).toMatch(/PRIVATE KEY-----/);
  });

  test("HTTPS: a client that trusts the CA gets through; one that does not is refused at the TLS layer", async () => {
    const emu = await CmfEmulator.start({ tls: { cert: certs.serverCert, key: certs.serverKey } });
    try {
      expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(await get(emu.url, { ca: certs.ca })).toBe(200);
      expect(await get(emu.url.replace("127.0.0.1", "localhost"), { ca: certs.ca })).toBe(200);
      await expect(get(emu.url, {})).rejects.toThrow();
      await expect(get(emu.url, { ca: certs.otherCa })).rejects.toThrow();
    } finally {
      await emu.close();
    }
  });

  test("mTLS: a client certificate from the CA is required; none or a foreign one is refused", async () => {
    const emu = await CmfEmulator.start({
      tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, requireClientCert: true },
    });
    try {
      expect(await get(emu.url, { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey })).toBe(200);
      await expect(get(emu.url, { ca: certs.ca })).rejects.toThrow();
      /* The test controls sit behind the same client-certificate check. */
      await expect(get(emu.url, { ca: certs.ca }, "/_emulator/stats")).rejects.toThrow();
      await expect(
        get(emu.url, { ca: certs.ca, cert: certs.otherClientCert, key: certs.otherClientKey }),
      ).rejects.toThrow();
    } finally {
      await emu.close();
    }
  });

  test("mTLS and a bearer token together", async () => {
    const emu = await CmfEmulator.start({
      token: "t0ken",
      tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, requireClientCert: true },
    });
    const dispatcher = new Agent({ connect: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
    try {
      const without = await request(`${emu.url}${V1}/environments`, { dispatcher });
      expect(without.statusCode).toBe(401);
      await without.body.text();
      const withToken = await request(`${emu.url}${V1}/environments`, {
        dispatcher,
        headers: { authorization: "Bearer t0ken" },
      });
      expect(withToken.statusCode).toBe(200);
      await withToken.body.text();
    } finally {
      await dispatcher.close();
      await emu.close();
    }
  });

  test("requireClientCert without a CA is refused at start", async () => {
    await expect(
      CmfEmulator.start({ tls: { cert: certs.serverCert, key: certs.serverKey, requireClientCert: true } }),
    ).rejects.toThrow("tls.ca: must be set when requireClientCert is true");
  });
});
