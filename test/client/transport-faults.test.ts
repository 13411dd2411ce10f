import { performance } from "node:perf_hooks";
import {
  CmfApiError,
  CmfClient,
  CmfClientClosedError,
  CmfConnectionError,
  type CmfConnection,
} from "../../provider/client";
import {
  closedPort,
  json,
  sampleApplication,
  SAMPLE_ENVIRONMENT,
  startScriptedServer,
  type ScriptHandler,
  type ScriptedServer,
} from "./scripted-server";

const TOKEN = "tok-9f8e7d6c5b4a-secret";
const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, deadlineMs: 10_000 };

const servers: ScriptedServer[] = [];
const clients: CmfClient[] = [];

async function serve(handler: ScriptHandler): Promise<ScriptedServer> {
  const server = await startScriptedServer(handler);
  servers.push(server);
  return server;
}

function clientFor(url: string, extra: Partial<CmfConnection> = {}): CmfClient {
  const client = new CmfClient({ url, token: TOKEN, retry: FAST_RETRY, ...extra });
  clients.push(client);
  return client;
}

async function failure<T extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    const error = err as T;
    expect(error.message).not.toContain(TOKEN);
    expect(String(error.stack)).not.toContain(TOKEN);
    return error;
  }
  throw new Error(`expected a ${type.name}`);
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("timeouts", () => {
  it("fails a request to a server that accepts and never answers, naming the URL", async () => {
    const server = await serve(() => undefined);
    const client = clientFor(server.url, { timeoutMs: 150, retry: { ...FAST_RETRY, maxAttempts: 2 } });
    const started = performance.now();
    const error = await failure(client.environments.get("prod-env"), CmfConnectionError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 150 - 5);
    expect(error.kind).toBe("timeout");
    expect(error.attempts).toBe(2);
    expect(error.url).toBe(`${server.url}/cmf/api/v1/environments/prod-env`);
    expect(error.message).toMatch(
      new RegExp(
        `^Cannot reach CMF: GET ${server.url}/cmf/api/v1/environments/prod-env failed: no response within 150 ms \\(2 attempts in \\d+ ms\\)$`,
      ),
    );
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry a timed-out non-idempotent POST", async () => {
    const server = await serve(() => undefined);
    const client = clientFor(server.url, { timeoutMs: 100 });
    const error = await failure(client.applications.suspend("prod-env", "orders-app"), CmfConnectionError);
    expect(error.kind).toBe("timeout");
    expect(error.attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
  });
});

describe("Retry-After", () => {
  it("waits at least the advertised seconds before retrying", async () => {
    const server = await serve((_req, res, index) =>
      index === 0
        ? json(res, 503, { errors: [{ message: "busy" }] }, { "retry-after": "1" })
        : json(res, 200, SAMPLE_ENVIRONMENT),
    );
    const client = clientFor(server.url);
    await expect(client.environments.get("prod-env")).resolves.toMatchObject({ name: "prod-env" });
    expect(server.requests).toHaveLength(2);
    const gap = server.requests[1].atMs - server.requests[0].atMs;
    expect(gap).toBeGreaterThanOrEqual(1000 - 5);
  });

  it("gives up at once when Retry-After is beyond the deadline, and says why", async () => {
    const server = await serve((_req, res) =>
      json(res, 429, { errors: [{ message: "rate limited" }] }, { "retry-after": "120" }),
    );
    const client = clientFor(server.url, { retry: { ...FAST_RETRY, deadlineMs: 2000 } });
    const error = await failure(client.environments.list(), CmfApiError);
    expect(server.requests).toHaveLength(1);
    expect(error.status).toBe(429);
    expect(error.message).toContain("rate limited");
    expect(error.message).toContain("CMF asked to retry after 120 s, beyond the retry deadline of 2000 ms");
  });
});

describe("retryable statuses and transport failures", () => {
  it.each([429, 502, 503, 504])("recovers from a %i on an idempotent GET", async (status) => {
    const server = await serve((_req, res, index) =>
      index < 2 ? json(res, status, { errors: [{ message: "blip" }] }) : json(res, 200, SAMPLE_ENVIRONMENT),
    );
    const client = clientFor(server.url);
    await expect(client.environments.get("prod-env")).resolves.toMatchObject({ name: "prod-env" });
    expect(server.requests).toHaveLength(3);
  });

  it("reports the last status after the attempts run out", async () => {
    const server = await serve((_req, res) => json(res, 503, { errors: [{ message: "still down" }] }));
    const client = clientFor(server.url);
    const error = await failure(client.environments.get("prod-env"), CmfApiError);
    expect(server.requests).toHaveLength(FAST_RETRY.maxAttempts);
    expect(error.attempts).toBe(FAST_RETRY.maxAttempts);
    expect(error.message).toBe(
      "CMF rejected GET /cmf/api/v1/environments/prod-env (503 Service Unavailable):\n  still down\n  (4 attempts)",
    );
  });

  it("retries a dropped connection on an idempotent request", async () => {
    const server = await serve((_req, res, index) =>
      index === 0 ? res.socket?.destroy() : json(res, 200, sampleApplication()),
    );
    const client = clientFor(server.url);
    await expect(client.applications.get("prod-env", "orders-app")).resolves.toMatchObject({
      metadata: { name: "orders-app" },
    });
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry a dropped connection on start (it may have acted)", async () => {
    const server = await serve((_req, res) => res.socket?.destroy());
    const client = clientFor(server.url);
    const error = await failure(client.applications.start("prod-env", "orders-app"), CmfConnectionError);
    expect(error.kind).toBe("reset");
    expect(error.attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it.each([500, 503])("does not retry a %i on suspend", async (status) => {
    const server = await serve((_req, res) => json(res, status, { errors: [{ message: "nope" }] }));
    const client = clientFor(server.url);
    const error = await failure(client.applications.suspend("prod-env", "orders-app"), CmfApiError);
    expect(error.status).toBe(status);
    expect(server.requests).toHaveLength(1);
  });

  it.each([400, 401, 403, 404, 409, 422, 500])(
    "fails fast on %i for an idempotent request",
    async (status) => {
      const server = await serve((_req, res) =>
        json(res, status, { errors: [{ message: `status ${status}` }] }),
      );
      const client = clientFor(server.url);
      const error = await failure(client.environments.delete("prod-env"), CmfApiError);
      expect(error.status).toBe(status);
      expect(error.attempts).toBe(1);
      expect(server.requests).toHaveLength(1);
    },
  );

  it("retries a refused connection, also for a non-idempotent POST, and names the URL", async () => {
    const port = await closedPort();
    const client = clientFor(`http://127.0.0.1:${port}`);
    const error = await failure(client.applications.start("prod-env", "orders-app"), CmfConnectionError);
    expect(error.kind).toBe("refused");
    expect(error.attempts).toBe(FAST_RETRY.maxAttempts);
    expect(error.message).toMatch(
      new RegExp(
        `^Cannot reach CMF: POST http://127\\.0\\.0\\.1:${port}/cmf/api/v1/environments/prod-env/applications/orders-app/start failed: connection refused \\(4 attempts in \\d+ ms\\)$`,
      ),
    );
  });
});

describe("error bodies", () => {
  it("keeps a non-JSON error body as the message", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("  spec.job: jarURI is required\n");
    });
    const client = clientFor(server.url);
    const error = await failure(client.applications.upsert("prod-env", sampleApplication()), CmfApiError);
    expect(error.messages).toEqual(["spec.job: jarURI is required"]);
    expect(error.message).toBe(
      "CMF rejected POST /cmf/api/v1/environments/prod-env/applications (400 Bad Request):\n  spec.job: jarURI is required",
    );
  });

  it("falls back to the status text for an empty body and carries the request id", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(409, { "x-request-id": "abc-123" });
      res.end();
    });
    const client = clientFor(server.url);
    const error = await failure(client.environments.delete("prod-env"), CmfApiError);
    expect(error.messages).toEqual(["Conflict"]);
    expect(error.requestId).toBe("abc-123");
    expect(error.message).toBe(
      "CMF rejected DELETE /cmf/api/v1/environments/prod-env (409 Conflict):\n  Conflict\n  (request id abc-123)",
    );
  });

  it("adds an authentication hint to 401", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(401);
      res.end();
    });
    const withToken = await failure(clientFor(server.url).environments.list(), CmfApiError);
    expect(withToken.messages).toEqual([
      "Unauthorized",
      "hint: CMF did not accept the bearer token (expired or wrong?)",
    ]);
    const anonymous = new CmfClient({ url: server.url });
    clients.push(anonymous);
    const without = await failure(anonymous.environments.list(), CmfApiError);
    expect(without.messages.at(-1)).toBe("hint: CMF requires authentication; set token in the connection");
  });

  it("redacts the token when a server echoes the Authorization header", async () => {
    const server = await serve((req, res) =>
      json(res, 400, { errors: [{ message: `bad header: ${String(req.headers.authorization)}` }] }),
    );
    const error = await failure(clientFor(server.url).environments.list(), CmfApiError);
    expect(error.messages).toEqual(["bad header: Bearer [redacted]"]);
  });
});

describe("connection management", () => {
  it("reuses keep-alive connections for sequential requests", async () => {
    const server = await serve((_req, res) => json(res, 200, SAMPLE_ENVIRONMENT));
    const client = clientFor(server.url);
    for (let i = 0; i < 50; i++) await client.environments.get("prod-env");
    expect(server.requests).toHaveLength(50);
    // undici's Pool may open a second socket while the first one connects; never one per request.
    expect(server.connections()).toBeLessThanOrEqual(2);
  });

  it("opens no connection before the first request, and refuses requests after close()", async () => {
    const server = await serve((_req, res) => json(res, 200, SAMPLE_ENVIRONMENT));
    const client = new CmfClient({ url: server.url });
    expect(server.connections()).toBe(0);
    await client.environments.get("prod-env");
    await client.close();
    expect(client.closed).toBe(true);
    await expect(client.environments.get("prod-env")).rejects.toThrow(CmfClientClosedError);
    await expect(client.environments.get("prod-env")).rejects.toThrow(
      "environments.get: this CmfClient was closed; create a new one",
    );
    await client.close();
  });
});
