import { CmfClient } from "../../provider/client";
import { DEBUG_ENV_VAR, formatAttemptLog } from "../../provider/client/debug-log";
import { json, SAMPLE_ENVIRONMENT, startScriptedServer, type ScriptedServer } from "./scripted-server";

const TOKEN = "tok-debug-abcdef123456";
let server: ScriptedServer;
let written: string[];
let spy: jest.SpyInstance;

beforeAll(async () => {
  server = await startScriptedServer((req, res, index) =>
    index === 0
      ? json(res, 503, { errors: [{ message: "warming up" }] })
      : json(res, 200, { ...SAMPLE_ENVIRONMENT, secretEcho: req.headers.authorization }),
  );
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  written = [];
  server.requests.length = 0;
  spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  spy.mockRestore();
  delete process.env[DEBUG_ENV_VAR];
});

async function run(): Promise<void> {
  const client = new CmfClient({ url: server.url, token: TOKEN, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
  try {
    await client.environments.upsert({ name: "prod-env", kubernetesNamespace: "flink-prod" });
  } finally {
    await client.close();
  }
}

describe("PULUMI_CMF_DEBUG", () => {
  it("logs method, path, status, duration and attempts to stderr when set to 1", async () => {
    process.env[DEBUG_ENV_VAR] = "1";
    await run();
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(
      /^\[pulumi-cmf\] POST \/cmf\/api\/v1\/environments -> 503 in \d+\.\d ms \(attempt 1\/5, retrying in [01] ms\)\n$/,
    );
    expect(written[1]).toMatch(
      /^\[pulumi-cmf\] POST \/cmf\/api\/v1\/environments -> 200 in \d+\.\d ms \(attempt 2\/5\)\n$/,
    );
  });

  it("never logs headers or bodies", async () => {
    process.env[DEBUG_ENV_VAR] = "1";
    await run();
    const all = written.join("");
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain("flink-prod");
    expect(all).not.toContain("warming up");
  });

  it("is read at call time and silent otherwise", async () => {
    await run();
    expect(written).toEqual([]);
    process.env[DEBUG_ENV_VAR] = "0";
    await run();
    expect(written).toEqual([]);
  });

  it("formats transport failures", () => {
    expect(
      formatAttemptLog({
        method: "GET",
        path: "/cmf/api/v1/environments",
        attempt: 2,
        maxAttempts: 5,
        durationMs: 12.345,
        result: "refused (ECONNREFUSED)",
        retryInMs: 40,
      }),
    ).toBe(
      "[pulumi-cmf] GET /cmf/api/v1/environments -> refused (ECONNREFUSED) in 12.3 ms (attempt 2/5, retrying in 40 ms)",
    );
  });
});
