import { performance } from "node:perf_hooks";
import { CmfApiError, CmfClient, CmfConnectionError, type CmfConnection } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import type { FaultConfig } from "../../provider/emulator";

const TOKEN = "emulator-token-7c1d2e3f4a5b";
const ENV = "prod-env";
const APP = "orders-app";
const RETRY = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40, deadlineMs: 10_000 };

let emulator: CmfEmulator;
const clients: CmfClient[] = [];

/** Whether the clients hand their requests to the emulator in process (as the embedded mode's do). */
let inProcess = false;

function client(extra: Partial<CmfConnection> = {}): CmfClient {
  const created = new CmfClient(
    { url: emulator.url, token: TOKEN, retry: RETRY, ...extra },
    inProcess ? { dispatch: (request, signal) => emulator.dispatch(request, signal) } : {},
  );
  clients.push(created);
  return created;
}

async function rejection<T extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => T,
): Promise<T> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(type);
  const error = outcome as T;
  expect(error.message).not.toContain(TOKEN);
  expect(String(error.stack)).not.toContain(TOKEN);
  return error;
}

/** CMF requests the emulator received since the last reset. */
function served(method: string): number {
  return emulator.controls.stats().requests[method] ?? 0;
}

async function fault(config: FaultConfig): Promise<void> {
  // Through the HTTP control route, as a test outside this process would do it.
  const response = await fetch(`${emulator.url}/_emulator/faults`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(config),
  });
  expect(response.status).toBe(204);
}

beforeAll(async () => {
  emulator = await CmfEmulator.start({ token: TOKEN, lifecycle: "instant" });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  await emulator.controls.reset();
  const setup = client();
  await setup.environments.upsert({ name: ENV, kubernetesNamespace: "flink-prod" });
  await setup.applications.upsert(ENV, {
    apiVersion: "cmf.confluent.io/v1",
    kind: "FlinkApplication",
    metadata: { name: APP },
    spec: {
      image: "confluentinc/cp-flink:1.19.3-cp2",
      job: { jarURI: "local:///app.jar", parallelism: 1, state: "running" },
    },
  });
});

describe.each([
  ["over HTTP", false],
  ["handed to the emulator in process", true],
])("%s", (_how, dispatched) => {
  beforeAll(() => {
    inProcess = dispatched;
  });

  describe("retryable faults recover within the deadline", () => {
    it.each([429, 502, 503, 504])("GET after two %i answers", async (status) => {
      await fault({
        statuses: [status],
        count: 2,
        pathPrefix: "/cmf/api/v1/environments/prod-env/applications/orders-app",
      });
      const before = served("GET");
      await expect(client().applications.get(ENV, APP)).resolves.toMatchObject({ metadata: { name: APP } });
      expect(served("GET") - before).toBe(3);
    });

    it.each([429, 503])("the idempotent upserts after a %i", async (status) => {
      await fault({ statuses: [status], count: 1, methods: ["POST"] });
      const c = client();
      await expect(
        c.environments.upsert({ name: ENV, kubernetesNamespace: "flink-prod" }),
      ).resolves.toMatchObject({ name: ENV });
      await fault({ statuses: [status], count: 1, methods: ["POST"] });
      await expect(
        c.applications.upsert(ENV, {
          apiVersion: "cmf.confluent.io/v1",
          kind: "FlinkApplication",
          metadata: { name: APP },
          spec: { job: { jarURI: "local:///app.jar", parallelism: 2, state: "running" } },
        }),
      ).resolves.toMatchObject({ spec: { job: { parallelism: 2 } } });
    });

    it("DELETE after a dropped connection", async () => {
      await fault({ dropRate: 1, count: 1, methods: ["DELETE"] });
      await expect(client().applications.delete(ENV, APP)).resolves.toBeUndefined();
      expect(served("DELETE")).toBe(2);
    });

    it("GET after a hung request times out", async () => {
      await fault({ hangRate: 1, count: 1, methods: ["GET"] });
      const c = client({ timeoutMs: 200 });
      await expect(c.environments.get(ENV)).resolves.toMatchObject({ name: ENV });
    });

    it("honours the emulator's Retry-After", async () => {
      await fault({ statuses: [503], retryAfterSeconds: 1, count: 1, methods: ["GET"] });
      const started = performance.now();
      await expect(client().environments.get(ENV)).resolves.toMatchObject({ name: ENV });
      expect(performance.now() - started).toBeGreaterThanOrEqual(995);
    });

    it("recovers from a seeded mix of faults on every GET of a listing", async () => {
      await fault({
        seed: 42,
        errorRate: 0.2,
        dropRate: 0.1,
        statuses: [502, 503, 504, 429],
        methods: ["GET"],
      });
      const c = client({ retry: { ...RETRY, maxAttempts: 8 } });
      for (let i = 0; i < 20; i++) {
        await expect(c.environments.get(ENV)).resolves.toMatchObject({ name: ENV });
      }
      expect(emulator.controls.stats().faultsInjected).toBeGreaterThan(0);
    });
  });

  describe("non-retryable faults fail fast", () => {
    it.each([400, 404, 409, 500])("GET answered %i: one request, CMF's message", async (status) => {
      await fault({ statuses: [status], count: 1, methods: ["GET"] });
      const error = await rejection(client().environments.list(), CmfApiError);
      expect(error.status).toBe(status);
      expect(error.attempts).toBe(1);
      expect(error.messages[0]).toContain(`Injected fault: ${status}`);
      expect(error.message.split("\n")[0]).toMatch(
        new RegExp(`^CMF rejected GET /cmf/api/v1/environments \\(${status} `),
      );
      expect(served("GET")).toBe(1);
    });

    it.each([500, 503, 429])("start answered %i is not repeated (it may have acted)", async (status) => {
      await fault({ statuses: [status], count: 1, methods: ["POST"] });
      const before = served("POST");
      const error = await rejection(client().applications.start(ENV, APP), CmfApiError);
      expect(error.status).toBe(status);
      expect(served("POST") - before).toBe(1);
    });

    it("a dropped suspend is not repeated", async () => {
      await fault({ dropRate: 1, count: 1, methods: ["POST"] });
      const error = await rejection(client().applications.suspend(ENV, APP), CmfConnectionError);
      expect(error.kind).toBe("reset");
      expect(error.attempts).toBe(1);
      expect(error.url).toBe(`${emulator.url}/cmf/api/v1/environments/${ENV}/applications/${APP}/suspend`);
    });

    it("401 without a token or with a wrong one, with a hint", async () => {
      const anonymous = await rejection(client({ token: undefined }).environments.list(), CmfApiError);
      expect(anonymous.status).toBe(401);
      expect(anonymous.attempts).toBe(1);
      expect(anonymous.message).toBe(
        "CMF rejected GET /cmf/api/v1/environments (401 Unauthorized):\n" +
          "  Unauthorized: a bearer token is required\n" +
          "  hint: CMF requires authentication; set token in the connection",
      );
      const wrong = await rejection(client({ token: "not-the-token" }).environments.list(), CmfApiError);
      expect(wrong.messages).toEqual([
        "Unauthorized: invalid bearer token",
        "hint: CMF did not accept the bearer token (expired or wrong?)",
      ]);
    });

    it("a persistent 503 gives up at the deadline, not at maxAttempts", async () => {
      await fault({ statuses: [503], errorRate: 1, methods: ["GET"] });
      // Waits of 0-100 ms (50 on average) fit about 20 attempts in the deadline, far from maxAttempts:
      // with waits of 0-20 ms an in-process emulator answered fast enough to reach 100 attempts.
      const c = client({ retry: { maxAttempts: 100, baseDelayMs: 100, maxDelayMs: 100, deadlineMs: 1000 } });
      const error = await rejection(c.environments.get(ENV), CmfApiError);
      expect(error.status).toBe(503);
      expect(error.attempts).toBeGreaterThan(1);
      expect(error.attempts).toBeLessThan(100);
      // On a loaded machine the deadline can cut the last attempt short before the emulator reads it.
      expect(served("GET")).toBeGreaterThanOrEqual(error.attempts - 1);
      expect(served("GET")).toBeLessThanOrEqual(error.attempts);
    });
  });

  it("a request the client stopped waiting for is not carried out", async () => {
    await fault({ latencyMs: 300, count: 1, methods: ["POST"] });
    const c = client({ timeoutMs: 100, retry: { ...RETRY, maxAttempts: 1 } });
    const error = await rejection(c.applications.suspend(ENV, APP), CmfConnectionError);
    expect(error.kind).toBe("timeout");
    expect(error.message).toContain("no response within 100 ms");
    await new Promise((resolve) => setTimeout(resolve, 400));
    const app = await client().applications.get(ENV, APP);
    expect(app?.spec.job?.state).toBe("running");
  });
});
