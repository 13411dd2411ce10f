import { CmfEmulator, EmulatorOptionsError } from "../../provider/emulator";
import { Api, environment, startEmulator, V1 } from "./helpers";

let emu: CmfEmulator;
let api: Api;

beforeAll(async () => {
  ({ emu, api } = await startEmulator());
});
afterAll(() => emu.close());
beforeEach(async () => {
  await emu.controls.reset();
  await api.post(`${V1}/environments`, environment("prod"));
});

async function statuses(n: number, path = `${V1}/environments/prod`): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await api.get(path)).status);
  return out;
}

describe("fault injection", () => {
  test("statuses with Retry-After for the next `count` requests, then normal answers", async () => {
    const set = await api.request("PUT", "/_emulator/faults", {
      body: { statuses: [429], retryAfterSeconds: 2, count: 3 },
    });
    expect(set.status).toBe(204);
    const res = await api.get(`${V1}/environments/prod`);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(res.json).toEqual({ errors: [{ message: "Injected fault: 429 Too Many Requests" }] });
    expect(await statuses(3)).toEqual([429, 429, 200]);
    expect((await api.get("/_emulator/faults")).json.count).toBe(0);
  });

  test("the same seed gives the same sequence; another seed another one", async () => {
    const config = { seed: 42, errorRate: 0.5, statuses: [500, 503] };
    emu.controls.setFaults(config);
    const first = await statuses(40);
    emu.controls.setFaults(config);
    const second = await statuses(40);
    emu.controls.setFaults({ ...config, seed: 7 });
    const third = await statuses(40);
    expect(second).toEqual(first);
    expect(third).not.toEqual(first);
    const failures = first.filter((s) => s !== 200);
    expect(failures.length).toBeGreaterThan(8);
    expect(failures.length).toBeLessThan(32);
    expect(new Set(failures)).toEqual(new Set([500, 503]));
  });

  test("pathPrefix and methods limit which requests are faulted", async () => {
    emu.controls.setFaults({
      errorRate: 1,
      statuses: [503],
      pathPrefix: `${V1}/environments/prod`,
      methods: ["get"],
    });
    expect((await api.get(`${V1}/environments/prod`)).status).toBe(503);
    expect((await api.get(`${V1}/environments`)).status).toBe(200);
    expect((await api.delete(`${V1}/environments/prod`)).status).toBe(204);
  });

  test("controls are never faulted", async () => {
    emu.controls.setFaults({ errorRate: 1 });
    expect((await api.get("/_emulator/stats")).status).toBe(200);
    expect((await api.get(`${V1}/environments`)).status).toBe(503);
  });

  test("latency delays the answer", async () => {
    emu.controls.setFaults({ latencyMs: 150, count: 1 });
    const started = Date.now();
    const res = await api.get(`${V1}/environments/prod`);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test("dropped connections: the socket closes without an answer", async () => {
    emu.controls.setFaults({ dropRate: 1, count: 1 });
    await expect(fetch(`${emu.url}${V1}/environments/prod`)).rejects.toThrow();
    expect((await api.get(`${V1}/environments/prod`)).status).toBe(200);
  });

  test("hanging connections never answer, and close() still ends them", async () => {
    const local = await CmfEmulator.start({ port: 0 });
    local.controls.setFaults({ hangRate: 1, count: 1 });
    await expect(
      fetch(`${local.url}${V1}/environments`, { signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    const pending = fetch(`${local.url}${V1}/environments`).then((r) => r.status);
    expect(await pending).toBe(200);
    local.controls.setFaults({ hangRate: 1 });
    const hanging = fetch(`${local.url}${V1}/environments`).then(
      () => "answered",
      () => "failed",
    );
    await new Promise((r) => setTimeout(r, 50));
    await local.close();
    expect(await hanging).toBe("failed");
  });

  test("DELETE /_emulator/faults clears; stats count injected faults", async () => {
    emu.controls.setFaults({ errorRate: 1 });
    await statuses(2);
    expect((await api.request("DELETE", "/_emulator/faults")).status).toBe(204);
    expect(await statuses(2)).toEqual([200, 200]);
    expect(emu.controls.stats().faultsInjected).toBe(2);
    expect(emu.controls.stats().byStatus).toMatchObject({ "503": 2 });
  });

  test("an invalid configuration is a 400 over HTTP and an EmulatorOptionsError in-process", async () => {
    const res = await api.request("PUT", "/_emulator/faults", {
      body: { errorRate: 2, statuses: [200], dropRat: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { message: string }) => e.message)).toEqual([
      "errorRate: must be less than or equal to 1",
      "statuses[0]: must be greater than or equal to 400",
      "unknown field(s): dropRat",
    ]);
    const sum = await api.request("PUT", "/_emulator/faults", { body: { errorRate: 0.6, dropRate: 0.6 } });
    expect(sum.json.errors[0].message).toBe("errorRate + dropRate + hangRate: must be at most 1 (got 1.2)");
    expect(() => emu.controls.setFaults({ latencyMs: -1 })).toThrow(EmulatorOptionsError);
  });
});
