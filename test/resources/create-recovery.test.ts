/**
 * A create whose answer is inconclusive (CMF busy, or the connection lost after the POST left): the
 * controller reads the object back and either takes the one its own POST created, or creates again,
 * a bounded number of times. A fake adapter stands for CMF, so that the POST can succeed and still
 * lose its answer (which the emulator's faults, decided before a request is handled, cannot do).
 */
import { CmfApiError, CmfConnectionError } from "../../provider/client";
import { KindController, type KindAdapter, type Names } from "../../provider/core/controller";
import { AdoptionRequiredError } from "../../provider/core/errors";
import { CREATE_ATTEMPTS, isInconclusiveCreate } from "../../provider/core/inconclusive-create";
import type { JsonObject } from "../../provider/core/normalize";
import { OWNER_ANNOTATION } from "../../provider/core/ownership";
import { statementDefinition } from "../../provider/kinds/statement/definition";

const OWNER = "proj/dev/create-orders";

function apiError(status: number, attempts = 1): CmfApiError {
  return new CmfApiError({
    method: "POST",
    path: "/cmf/api/v1/environments/prod/statements",
    status,
    statusText: "",
    messages: ["Injected"],
    attempts,
    operation: "statements.create",
  });
}

function connectionError(kind: "reset" | "timeout" | "refused", attempts = 1): CmfConnectionError {
  return new CmfConnectionError({
    url: "http://cmf/cmf/api/v1/environments/prod/statements",
    method: "POST",
    kind,
    reason: "connection closed",
    attempts,
    elapsedMs: 1,
    operation: "statements.create",
  });
}

interface Obj {
  owner: string;
}

/** CMF as a map, and a script of what each POST does before (or instead of) answering. */
function fakeCmf(script: ("ok" | "lost" | "raced" | Error)[]) {
  const held = new Map<string, Obj>();
  const calls: string[] = [];
  const adapter: KindAdapter<Obj> = {
    definition: statementDefinition,
    get: async (_client, names: Names) => {
      calls.push("GET");
      return held.get(names.name);
    },
    upsert: async (_client, names, inputs: JsonObject, existing) => {
      calls.push(existing ? "PUT" : "POST");
      const step = script.shift() ?? "ok";
      if (step instanceof Error) throw step;
      if (step === "raced") {
        // Another stack created the same name just before this POST, which CMF then refused busily.
        held.set(names.name, { owner: "other/stack/create-orders" });
        throw apiError(503);
      }
      if (!existing && held.has(names.name)) throw apiError(409);
      held.set(names.name, { owner: String(inputs.owner) });
      if (step === "lost") throw connectionError("reset");
      return held.get(names.name)!;
    },
    remove: async () => undefined,
    marks: (server) => ({ annotations: { [OWNER_ANNOTATION]: server.owner } }),
    outputs: (names, server) => ({ name: names.name, owner: server.owner }),
    hints: () => ({}),
    deleteTimeoutSeconds: () => 1,
    describe: () => "",
  };
  const controller = new KindController(adapter);
  const ctx = { client: async () => ({}) as never, poll: { initialIntervalMs: 1 } };
  const inputs = {
    environment: "prod",
    name: "create-orders",
    spec: { statement: "CREATE TABLE t (id INT)", computePoolName: "pool" },
    owner: OWNER,
  };
  return { calls, held, create: () => controller.create(ctx, inputs) };
}

describe("isInconclusiveCreate", () => {
  it("is true for a busy answer or a broken connection on a request tried once, else false", () => {
    for (const status of [429, 502, 503, 504]) expect(isInconclusiveCreate(apiError(status))).toBe(true);
    expect(isInconclusiveCreate(connectionError("reset"))).toBe(true);
    expect(isInconclusiveCreate(connectionError("timeout"))).toBe(true);
    // Refusals and what the client already retried to exhaustion are final.
    for (const status of [400, 401, 404, 409, 422, 500])
      expect(isInconclusiveCreate(apiError(status))).toBe(false);
    expect(isInconclusiveCreate(apiError(503, 5))).toBe(false);
    expect(isInconclusiveCreate(connectionError("reset", 8))).toBe(false);
    expect(isInconclusiveCreate(connectionError("refused"))).toBe(false);
    expect(isInconclusiveCreate(new Error("boom"))).toBe(false);
  });
});

describe("a create with an inconclusive answer", () => {
  it("takes the object its own POST created when the answer was lost: one POST, no conflict", async () => {
    const cmf = fakeCmf(["lost"]);
    await expect(cmf.create()).resolves.toMatchObject({ id: "prod/create-orders", outs: { owner: OWNER } });
    expect(cmf.calls).toEqual(["GET", "POST", "GET"]);
  });

  it("creates again when CMF was busy and nothing was created", async () => {
    const cmf = fakeCmf([apiError(503), connectionError("reset"), "ok"]);
    // This reset comes before anything is written (the script throws it instead of writing).
    await expect(cmf.create()).resolves.toMatchObject({ outs: { owner: OWNER } });
    expect(cmf.calls).toEqual(["GET", "POST", "GET", "POST", "GET", "POST"]);
    expect(cmf.held.size).toBe(1);
  });

  it("keeps creating through as many busy answers as the client retries any idempotent request", async () => {
    // Four inconclusive POSTs in a row: under 20 % faults, 1 create in 625 meets them (seen in CI).
    const cmf = fakeCmf([...Array.from({ length: 7 }, () => apiError(429)), "ok"]);
    await expect(cmf.create()).resolves.toMatchObject({ outs: { owner: OWNER } });
    expect(cmf.calls.filter((c) => c === "POST")).toHaveLength(8);
  });

  it("gives up after CREATE_ATTEMPTS with CMF's last answer", async () => {
    const cmf = fakeCmf(Array.from({ length: CREATE_ATTEMPTS + 2 }, () => apiError(429)));
    await expect(cmf.create()).rejects.toThrow(/Failed to create CMF statement "prod\/create-orders".*429/s);
    expect(cmf.calls.filter((c) => c === "POST")).toHaveLength(CREATE_ATTEMPTS);
  });

  it("does not take someone else's object that appeared meanwhile", async () => {
    const cmf = fakeCmf(["raced"]);
    await expect(cmf.create()).rejects.toBeInstanceOf(AdoptionRequiredError);
    expect(cmf.calls).toEqual(["GET", "POST", "GET"]);
  });

  it("does not repeat a create that CMF refused", async () => {
    const cmf = fakeCmf([apiError(400)]);
    await expect(cmf.create()).rejects.toThrow(/400/);
    expect(cmf.calls).toEqual(["GET", "POST"]);
  });
});
