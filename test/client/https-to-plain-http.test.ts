/**
 * An `https://` URL pointed at a plain-http server (the emulator without --tls-cert, a port-forward to
 * CMF's http port): the error says the server may not speak TLS, never that a certificate is wrong.
 */
import { CmfClient, CmfConnectionError } from "../../provider/client";
import { classifyNetworkError } from "../../provider/client/network-failure";
import { CmfEmulator } from "../../provider/emulator";

describe("https:// against a plain-http server", () => {
  let emulator: CmfEmulator;
  beforeAll(async () => {
    emulator = await CmfEmulator.start({ port: 0 });
  });
  afterAll(async () => emulator?.close());

  it("says the server may not speak TLS, once, without retrying", async () => {
    const url = emulator.url.replace(/^http:/, "https:");
    const client = new CmfClient({ url, retry: { maxAttempts: 3, baseDelayMs: 1 } });
    try {
      const outcome = await client.environments.list().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(outcome).toBeInstanceOf(CmfConnectionError);
      const error = outcome as CmfConnectionError;
      expect(error.kind).toBe("tls");
      expect(error.attempts).toBe(1);
      expect(error.message).toMatch(
        /^Cannot reach CMF: GET https:\/\/127\.0\.0\.1:\d+\/cmf\/api\/v1\/environments failed: TLS handshake failed: the server did not answer in TLS; it may not speak TLS at all \(a plain-http server: use an http:\/\/ URL\) \(ERR_SSL_WRONG_VERSION_NUMBER\) \(1 attempt in \d+ ms\)$/,
      );
      expect(error.message).not.toMatch(/verification|certificate|openssl/i);
    } finally {
      await client.close();
    }
  });

  it("classifies OpenSSL's not-TLS codes apart from certificate problems", () => {
    const failure = (code: string) => classifyNetworkError(Object.assign(new Error("x"), { code }));
    expect(failure("ERR_SSL_WRONG_VERSION_NUMBER").reason).toMatch(/may not speak TLS/);
    expect(failure("ERR_SSL_PACKET_LENGTH_TOO_LONG").reason).toMatch(/may not speak TLS/);
    expect(failure("UNABLE_TO_VERIFY_LEAF_SIGNATURE").reason).toMatch(/^TLS verification failed/);
  });
});
