import { CmfApiError, CmfClient } from "../../provider/client";
import { json, SAMPLE_ENVIRONMENT, scriptedServerPerFile, type ScriptHandler } from "./scripted-server";

let handler: ScriptHandler = (_req, res) => json(res, 200, SAMPLE_ENVIRONMENT);
const server = scriptedServerPerFile((req, res, index) => handler(req, res, index));
const clients: CmfClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

/** A client whose waits are recorded instead of slept, on a clock that the waits advance. */
function recordingClient(retry: {
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  deadlineMs?: number;
}) {
  const waits: number[] = [];
  let clock = Date.parse("2026-05-01T12:00:00Z");
  const client = new CmfClient(
    { url: server.url, retry },
    {
      random: () => 0.5,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    },
  );
  clients.push(client);
  return { client, waits };
}

describe("retry wiring (injected clock, random source and sleep)", () => {
  it("waits the jittered exponential backoff between attempts", async () => {
    handler = (_req, res, index) =>
      index < 3 ? json(res, 503, { errors: [{ message: "busy" }] }) : json(res, 200, SAMPLE_ENVIRONMENT);
    const { client, waits } = recordingClient({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 250 });
    await expect(client.environments.get("prod-env")).resolves.toMatchObject({ name: "prod-env" });
    expect(waits).toEqual([50, 100, 125]);
    expect(server.requests).toHaveLength(4);
  });

  it("waits what Retry-After asks, seconds or HTTP date", async () => {
    const date = new Date(Date.parse("2026-05-01T12:00:00Z") + 2_000 + 3_000).toUTCString();
    handler = (_req, res, index) => {
      if (index === 0) return json(res, 429, {}, { "retry-after": "2" });
      if (index === 1) return json(res, 503, {}, { "retry-after": date });
      return json(res, 200, SAMPLE_ENVIRONMENT);
    };
    const { client, waits } = recordingClient({ baseDelayMs: 10 });
    await client.environments.get("prod-env");
    expect(waits).toEqual([2_000, 3_000]);
  });

  it("stops at the deadline of the injected clock", async () => {
    handler = (_req, res) => json(res, 503, { errors: [{ message: "down" }] });
    const { client, waits } = recordingClient({
      maxAttempts: 50,
      baseDelayMs: 1000,
      maxDelayMs: 1000,
      deadlineMs: 2_000,
    });
    const error = await client.environments.get("prod-env").catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CmfApiError);
    expect(waits).toEqual([500, 500, 500]);
    expect((error as CmfApiError).attempts).toBe(4);
  });

  it("reports the server's last answer when the deadline cuts the final attempt short", async () => {
    // Attempt 1 answers 503; attempt 2 gets only the 150 ms left of the deadline and no answer comes.
    handler = (_req, res, index) => {
      if (index === 0) json(res, 503, { errors: [{ message: "busy" }] });
    };
    const { client, waits } = recordingClient({
      maxAttempts: 5,
      baseDelayMs: 2_000,
      maxDelayMs: 2_000,
      deadlineMs: 1_150,
    });
    const error = await client.environments.get("prod-env").catch((err: unknown) => err);
    expect(waits).toEqual([1_000]);
    expect(server.requests).toHaveLength(2);
    expect(error).toBeInstanceOf(CmfApiError);
    const apiError = error as CmfApiError;
    expect(apiError.status).toBe(503);
    expect(apiError.attempts).toBe(2);
    expect(apiError.message).toContain("busy");
    expect(apiError.message).toContain(
      "attempt 2 had no response within the 150 ms left of the retry deadline of 1150 ms",
    );
  });

  it("uses the injected file reader for TLS paths", () => {
    const reads: string[] = [];
    const client = new CmfClient(
      { url: "https://cmf.example.com", caCertificatePath: "/etc/cmf/ca.pem" },
      {
        readFile: (path) => {
          reads.push(path);
          return "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        },
      },
    );
    clients.push(client);
    expect(reads).toEqual(["/etc/cmf/ca.pem"]);
    expect(client.baseUrl).toBe("https://cmf.example.com");
  });
});
