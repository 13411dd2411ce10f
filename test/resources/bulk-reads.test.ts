/**
 * Bulk reads (provider/core/bulk-reads.ts): a refresh's many reads of one collection answered from its
 * list pages, within bounds of cost, age and writes. First the decision and the session over a fake
 * collection, then the controller over the emulator.
 */
import { CmfClient } from "../../provider/client";
import {
  BulkReads,
  LIST_AFTER_READS,
  LIST_ITEMS_PER_READ,
  SESSION_MS,
  shouldListNextPage,
  type Listing,
} from "../../provider/core/bulk-reads";
import { KindController } from "../../provider/core/controller";
import { CmfEmulator } from "../../provider/emulator";
import { applicationAdapter } from "../../provider/kinds/application/adapter";
import { statementAdapter } from "../../provider/kinds/statement/adapter";

interface Obj {
  name: string;
  version: number;
}

/** A collection of `size` objects, counting its list pages and GETs. */
function collection(size: number, pageSize = 10) {
  const held = new Map<string, Obj>();
  for (let i = 0; i < size; i++) held.set(`o${i}`, { name: `o${i}`, version: 1 });
  const calls = { pages: 0, listed: 0, gets: 0 };
  let failing = false;
  const listing: Listing<Obj> = {
    page: async (page, size) => {
      calls.pages++;
      if (failing) throw new Error("forbidden");
      const items = [...held.values()].slice(page * size, (page + 1) * size).map((o) => ({ ...o }));
      calls.listed += items.length;
      return items;
    },
    nameOf: (o) => o.name,
  };
  const get = (name: string) => async () => {
    calls.gets++;
    const found = held.get(name);
    return found && { ...found };
  };
  let now = 0;
  const reads = new BulkReads<Obj>(pageSize, () => now);
  return {
    held,
    calls,
    reads,
    read: (name: string) => reads.read("env", name, listing, get(name)),
    failLists: () => (failing = true),
    advance: (ms: number) => (now += ms),
  };
}

/** Reads all `names`, `parallel` at a time, as the engine does. */
async function readAll(read: (name: string) => Promise<Obj | undefined>, names: string[], parallel = 8) {
  const results = new Map<string, Obj | undefined>();
  const queue = [...names];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift())
        results.set(name, await read(name));
    }),
  );
  return results;
}

const names = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `o${from + i}`);

describe("shouldListNextPage", () => {
  const progress = { reads: LIST_AFTER_READS, listed: 0, exhausted: false, failed: false };

  it("lists once enough reads of the collection came, while the listed objects stay within bounds", () => {
    expect(shouldListNextPage(progress)).toBe(true);
    expect(shouldListNextPage({ ...progress, reads: LIST_AFTER_READS - 1 })).toBe(false);
    expect(shouldListNextPage({ ...progress, listed: LIST_ITEMS_PER_READ * LIST_AFTER_READS })).toBe(false);
    expect(shouldListNextPage({ ...progress, reads: 100, listed: 399 })).toBe(true);
  });

  it("never lists past the end or after a failed list", () => {
    expect(shouldListNextPage({ ...progress, exhausted: true })).toBe(false);
    expect(shouldListNextPage({ ...progress, failed: true })).toBe(false);
  });
});

describe("BulkReads", () => {
  it("answers a small stack's reads with GETs only", async () => {
    const c = collection(100);
    await readAll(c.read, names(LIST_AFTER_READS - 1));
    expect(c.calls).toEqual({ pages: 0, listed: 0, gets: LIST_AFTER_READS - 1 });
  });

  it("answers most reads of a whole collection from its pages, each with the object a GET returns", async () => {
    const c = collection(200);
    const results = await readAll(c.read, names(200));
    for (const [name, obj] of results) expect(obj).toEqual(c.held.get(name));
    expect(c.calls.listed).toBe(200);
    expect(c.calls.pages).toBe(20);
    expect(c.calls.gets).toBeLessThan(200 / 10);
  });

  it("lists a few pages only when the stack reads few objects of a large collection", async () => {
    // The README's figure: 20 applications in an environment of 10,000, pages of 100.
    const c = collection(10_000, 100);
    await readAll(c.read, names(20, 5_000));
    expect(c.calls.listed).toBeGreaterThan(0);
    expect(c.calls.listed).toBeLessThanOrEqual(180);
    expect(c.calls.gets).toBe(20);
  });

  it("reads with a GET what the pages do not hold: an object gone, or come after them", async () => {
    const c = collection(25);
    await readAll(c.read, names(LIST_AFTER_READS));
    c.held.delete("o20"); // before its page was listed
    expect(await c.read("o20")).toBeUndefined();
    expect(c.calls).toMatchObject({ listed: 24, gets: LIST_AFTER_READS });
    c.held.set("late", { name: "late", version: 1 }); // after the last (short) page
    expect(await c.read("late")).toEqual({ name: "late", version: 1 });
    expect(c.calls).toMatchObject({ listed: 24, gets: LIST_AFTER_READS + 1 });
  });

  it("falls back to GETs for the session when a list fails", async () => {
    const c = collection(50);
    c.failLists();
    const results = await readAll(c.read, names(50));
    expect([...results.values()].every((o) => o?.version === 1)).toBe(true);
    expect(c.calls).toMatchObject({ pages: 1, gets: 50 });
  });

  it("never answers from a page of an earlier session, nor twice from one entry", async () => {
    const c = collection(30);
    await readAll(c.read, names(LIST_AFTER_READS));
    expect(c.calls.pages).toBe(1); // o0–o9: o8 and o9 listed, not yet read
    c.held.set("o9", { name: "o9", version: 2 });
    c.advance(SESSION_MS);
    expect(await c.read("o9")).toEqual({ name: "o9", version: 2 });
    const c2 = collection(30);
    await readAll(c2.read, names(LIST_AFTER_READS + 1));
    const last = `o${LIST_AFTER_READS}`; // answered from the page
    c2.held.set(last, { name: last, version: 2 });
    expect(await c2.read(last)).toEqual({ name: last, version: 2 });
  });

  it("drops a written object from the pages, and a page in flight across a write", async () => {
    const c = collection(30);
    await readAll(c.read, names(LIST_AFTER_READS));
    c.held.set("o9", { name: "o9", version: 2 }); // listed in the first page, not yet read
    c.reads.forget("env", "o9");
    expect(await c.read("o9")).toEqual({ name: "o9", version: 2 });

    const d = collection(30);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowListing: Listing<Obj> = {
      page: async (page, size) => {
        const items = [...d.held.values()].slice(page * size, (page + 1) * size).map((o) => ({ ...o }));
        await gate;
        return items;
      },
      nameOf: (o) => o.name,
    };
    const get = (name: string) => async () => d.held.get(name);
    const first = Promise.all(
      names(LIST_AFTER_READS).map((n) => d.reads.read("env", n, slowListing, get(n))),
    );
    await new Promise((resolve) => setImmediate(resolve));
    d.held.set("o3", { name: "o3", version: 2 });
    d.reads.forget("env", "o3");
    release();
    await first;
    d.held.set("o4", { name: "o4", version: 3 });
    // The page listed before the write was dropped whole: o4 (not written) is read again too.
    expect(await d.reads.read("env", "o4", slowListing, get("o4"))).toEqual({ name: "o4", version: 3 });
  });
});

describe("bulk reads through the controller and the emulator", () => {
  let emulator: CmfEmulator;
  let client: CmfClient;

  beforeAll(async () => {
    emulator = await CmfEmulator.start({ lifecycle: "instant", host: "127.0.0.1", port: 0 });
    client = new CmfClient({ url: emulator.url });
    await client.environments.upsert({ name: "bulk", kubernetesNamespace: "flink" });
  });

  afterAll(async () => {
    await client?.close();
    await emulator?.close();
  });

  const spec = {
    image: "confluentinc/cp-flink:1.19.3-cp2",
    flinkVersion: "v1_19",
    jobManager: { resource: { cpu: 1, memory: "1024m" } },
    taskManager: { resource: { cpu: 1, memory: "1024m" } },
    job: { jarURI: "local:///opt/flink/job.jar", parallelism: 1, state: "running" },
  };

  it("reads 150 applications with 2 list pages and a few GETs, the same as GETs alone would, and sees a write at once", async () => {
    const controller = new KindController(applicationAdapter);
    const ctx = { client: async () => client, poll: { initialIntervalMs: 1 } };
    const states = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < 150; i++) {
      const inputs = controller.check({ environment: "bulk", name: `app-${i}`, spec }).inputs;
      const { id, outs } = await controller.create(ctx, inputs);
      states.set(id, outs);
    }
    const ids = [...states.keys()];
    const before = emulator.controls.stats().byRoute;
    const reads = new Map<string, unknown>();
    const queue = [...ids];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          reads.set(id, await controller.read(ctx, id, states.get(id)!));
        }
      }),
    );
    const after = emulator.controls.stats().byRoute;
    const count = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    const lists = count("GET /cmf/api/v1/environments/{envName}/applications");
    const gets = count("GET /cmf/api/v1/environments/{envName}/applications/{appName}");
    expect(lists).toBe(2);
    expect(gets).toBeLessThan(30);

    // What the pages answered is what a GET answers.
    const fresh = new KindController({ ...applicationAdapter, list: undefined });
    for (const id of ids) {
      expect(reads.get(id)).toEqual(await fresh.read(ctx, id, states.get(id)!));
    }

    // A write through the controller is seen by the next read, not the page listed before it: the
    // 8th read lists app-0 to app-99, then app-50 is updated.
    const writer = new KindController(applicationAdapter);
    for (const id of ids.slice(0, LIST_AFTER_READS)) await writer.read(ctx, id, states.get(id)!);
    const id = ids[50];
    const olds = states.get(id)!;
    const news = writer.check({ ...olds, spec: { ...spec, image: "flink:2" } }).inputs;
    await writer.update(ctx, id, olds, news);
    expect((await writer.read(ctx, id, olds)).props?.spec).toMatchObject({ image: "flink:2" });
  });

  it("answers a statement's reads from its list pages too, the same as GETs alone would", async () => {
    const controller = new KindController(statementAdapter);
    const ctx = { client: async () => client, poll: { initialIntervalMs: 1 } };
    await client.computePools.create("bulk", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "ComputePool",
      metadata: { name: "pool" },
      spec: {
        type: "DEDICATED",
        clusterSpec: {
          image: "confluentinc/cp-flink-sql:1.19-cp1",
          jobManager: { resource: { memory: "1024m" } },
        },
      },
    });
    const states: [string, Record<string, unknown>][] = [];
    for (let i = 0; i < 20; i++) {
      const inputs = controller.check({
        environment: "bulk",
        name: `stmt-${i}`,
        spec: { statement: "SHOW DATABASES", computePoolName: "pool" },
      }).inputs;
      const { id, outs } = await controller.create(ctx, inputs);
      states.push([id, outs]);
    }
    const before = emulator.controls.stats().byRoute;
    const reads = [];
    for (const [id, outs] of states) reads.push(await controller.read(ctx, id, outs));
    const after = emulator.controls.stats().byRoute;
    const byGets = new KindController({ ...statementAdapter, list: undefined });
    for (const [i, [id, outs]] of states.entries())
      expect(reads[i]).toEqual(await byGets.read(ctx, id, outs));
    const count = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    expect(count("GET /cmf/api/v1/environments/{envName}/statements")).toBe(1);
    expect(count("GET /cmf/api/v1/environments/{envName}/statements/{stmtName}")).toBe(LIST_AFTER_READS - 1);
  });
});
