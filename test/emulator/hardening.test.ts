/**
 * Regression tests for issue #10 (hardening), one block per item; each reproduction failed before.
 */
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CmfEmulator } from "../../provider/emulator";
import * as listing from "../../provider/emulator/listing";
import { snapshotIo } from "../../provider/emulator/persistence";
import { Api, application, apps, environment, startEmulator, V1 } from "./helpers";
import { ALIAS_BOMB } from "../support/hostile-documents";

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cmf-emu-harden-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

async function withEmulator<T>(
  run: (api: Api, emu: CmfEmulator) => Promise<T>,
  options: Parameters<typeof startEmulator>[0] = {},
): Promise<T> {
  const { emu, api } = await startEmulator(options);
  try {
    return await run(api, emu);
  } finally {
    await emu.close();
  }
}

/** The error a start fails with; an emulator that starts anyway is closed, so a failing test never hangs. */
async function startRefusal(options: Parameters<typeof CmfEmulator.start>[0]): Promise<Error> {
  let emu: CmfEmulator;
  try {
    emu = await CmfEmulator.start({ port: 0, ...options });
  } catch (err) {
    return err as Error;
  }
  await emu.close();
  return new Error("the emulator started");
}

describe("item 1: user maps are data, never prototypes", () => {
  test("?fields= cannot walk a stored __proto__ key into Object.prototype", () =>
    withEmulator(async (api) => {
      const evil = {
        name: "evil",
        kubernetesNamespace: "ns",
        flinkApplicationDefaults: JSON.parse(
          '{"x":{"__proto__":{"cache":{"body":"{\\"name\\":\\"PWNED\\"}","etag":"\\"x\\""}}}}',
        ),
      };
      expect((await api.post(`${V1}/environments`, evil)).status).toBe(200);
      const picked = await api.get(`${V1}/environments?fields=flinkApplicationDefaults.x.__proto__.cache`);
      expect(picked.status).toBe(200);
      expect(({} as Record<string, unknown>).cache).toBeUndefined();
      expect(picked.text).toContain('"__proto__":{"cache"');
      expect((await api.post(`${V1}/environments`, environment("innocent"))).status).toBe(200);
      const innocent = await api.get(`${V1}/environments/innocent`);
      expect(innocent.json.name).toBe("innocent");
    }));

  test("__proto__ / constructor / prototype keys are stored and returned like any other key", () =>
    withEmulator(async (api) => {
      const labels = JSON.parse('{"__proto__":"a","constructor":"b","prototype":"c"}');
      const body = environment("keys", {
        metadata: { name: "keys", labels },
        flinkApplicationDefaults: JSON.parse('{"spec":{"flinkConfiguration":{"__proto__":"1"}}}'),
      });
      const created = await api.post(`${V1}/environments`, body);
      expect(created.status).toBe(200);
      expect(created.json.metadata.labels).toEqual(labels);
      expect(Object.keys(created.json.metadata.labels)).toEqual(["__proto__", "constructor", "prototype"]);
      expect(created.json.flinkApplicationDefaults.spec.flinkConfiguration).toEqual(
        JSON.parse('{"__proto__":"1"}'),
      );

      const app = application(
        "protoapp",
        JSON.parse('{"flinkConfiguration":{"__proto__":"2"},"__proto__":{"x":1}}'),
        {
          labels: JSON.parse('{"__proto__":"l"}'),
        },
      );
      const posted = await api.post(apps("keys"), app);
      expect(posted.status).toBe(201);
      const got = await api.get(`${apps("keys")}/protoapp`);
      expect(Object.keys(got.json.spec)).toContain("__proto__");
      expect(got.json.spec.flinkConfiguration).toEqual(JSON.parse('{"__proto__":"2"}'));
      expect(got.json.metadata.labels).toEqual(JSON.parse('{"__proto__":"l"}'));
    }));

  test("a __proto__ label value is validated like any other", () =>
    withEmulator(async (api) => {
      const res = await api.post(
        `${V1}/environments`,
        environment("badlabel", { metadata: { name: "badlabel", labels: JSON.parse('{"__proto__":5}') } }),
      );
      expect(res.status).toBe(400);
      expect(res.json.errors[0].message).toMatch(/metadata\.labels\.__proto__: must be a string/);
    }));

  test("filter=labels.constructor (toString, hasOwnProperty) matches only environments with that label", () =>
    withEmulator(async (api) => {
      await api.post(`${V1}/environments`, environment("plain"));
      await api.post(
        `${V1}/environments`,
        environment("labelled", { metadata: { name: "labelled", labels: { constructor: "x" } } }),
      );
      for (const key of ["constructor", "toString", "hasOwnProperty", "__proto__"]) {
        const res = await api.get(`${V1}/environments?filter=labels.${key}`);
        expect(res.status).toBe(200);
        expect(res.json.items.map((e: { name: string }) => e.name)).toEqual(
          key === "constructor" ? ["labelled"] : [],
        );
        const neq = await api.get(`${V1}/environments?filter=labels.${key}!=x`);
        expect(neq.json.items.length).toBe(key === "constructor" ? 1 : 2);
      }
    }));

  test("__proto__ keys survive a restart from the data file", async () => {
    const dataFile = path.join(dir, "proto.json");
    const labels = JSON.parse('{"__proto__":"kept"}');
    await withEmulator(
      async (api) => {
        expect(
          (
            await api.post(
              `${V1}/environments`,
              environment("persisted", { metadata: { name: "persisted", labels } }),
            )
          ).status,
        ).toBe(200);
      },
      { dataFile },
    );
    await withEmulator(
      async (api) => {
        expect((await api.get(`${V1}/environments/persisted`)).json.metadata.labels).toEqual(labels);
      },
      { dataFile },
    );
  });
});

describe("item 2: no ReDoS, names within CMF's limits", () => {
  test("an environment name above 253 characters is refused with a field-level 400", () =>
    withEmulator(async (api) => {
      const res = await api.post(`${V1}/environments`, environment("a".repeat(2000)));
      expect(res.status).toBe(400);
      expect(res.json.errors[0].message).toBe(
        "name: size must be at most 253 (the RFC 1123 limit pulumi-cmf applies; got 2000)",
      );
      expect((await api.post(`${V1}/environments`, environment("a".repeat(253)))).status).toBe(200);
    }));

  test("a backtracking wildcard over 1,000 applications with 45-character names answers", async () => {
    /* Loaded from a data file: 1,000 POSTs would make this test slow for nothing. */
    const dataFile = path.join(dir, "many.json");
    const record = (name: string) => ({
      name,
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      uid: name,
      metadata: {},
      spec: {},
      createdAt: 1,
      updatedAt: 1,
      statusUpdatedAt: 1,
      generation: 1,
      status: {},
      progress: { pending: [], lastAt: 1 },
      instances: [],
      events: [],
    });
    const names = Array.from({ length: 1000 }, (_, i) => `${"a".repeat(41)}${String(i).padStart(4, "0")}`);
    names[999] = "a".repeat(45);
    const environments = [
      {
        name: "many",
        kubernetesNamespace: "ns",
        createdAt: 1,
        updatedAt: 1,
        applications: names.map(record),
      },
    ];
    await fs.writeFile(dataFile, JSON.stringify({ format: "pulumi-cmf-emulator", version: 1, environments }));
    await withEmulator(
      async (api) => {
        const res = await api.get(`${apps("many")}?filter=name=*a*a*a*a*a*a*a*a*b&size=2000`);
        expect(res.status).toBe(200);
        expect(res.json.metadata.size).toBe(0);
        const all = await api.get(`${apps("many")}?filter=name=*a*a*a*a*a*a*a*a*&size=2000`);
        expect(all.json.metadata.size).toBe(1000);
        const env = await api.get(`${V1}/environments?filter=name=*a*a*a*a*a*a*a*a*b`);
        expect(env.json.metadata.size).toBe(0);
      },
      { dataFile, lifecycle: "manual" },
    );
  });
});

describe("item 4: the clock cannot be overflowed", () => {
  test("an out-of-range advance is a 400 and every later request still works", async () => {
    const dataFile = path.join(dir, "clock.json");
    await withEmulator(
      async (api) => {
        await api.post(`${V1}/environments`, environment("prod"));
        for (const ms of [9007199254740991, 1e300, 4e12]) {
          const res = await api.post("/_emulator/clock/advance", { ms });
          expect(res.status).toBe(400);
          expect(res.json.errors[0].message).toMatch(/^ms: must be/);
        }
        /* Up to the bound in several steps, then one more millisecond is refused. */
        for (let i = 0; i < 4; i++)
          expect((await api.post("/_emulator/clock/advance", { ms: 788_940_000_000 })).status).toBe(204);
        expect((await api.post("/_emulator/clock/advance", { ms: 1 })).status).toBe(400);
        expect((await api.post(`${V1}/environments`, environment("later"))).status).toBe(200);
        expect((await api.get(`${V1}/environments`)).status).toBe(200);
        expect((await api.post(apps("prod"), application("orders"))).status).toBe(201);
      },
      { dataFile },
    );
  });

  test("a persisted offset out of range is refused at load, file untouched", async () => {
    const dataFile = path.join(dir, "clock-bad.json");
    const content = JSON.stringify({
      format: "pulumi-cmf-emulator",
      version: 1,
      clockOffsetMs: 9007199254740991,
      environments: [],
    });
    await fs.writeFile(dataFile, content);
    expect((await startRefusal({ dataFile })).message).toMatch(/clockOffsetMs/);
    expect(await fs.readFile(dataFile, "utf8")).toBe(content);
  });
});

describe("item 5: one writer per data file", () => {
  test("a second emulator on the same file fails at start naming the holder; after close it starts", async () => {
    const dataFile = path.join(dir, "locked.json");
    const first = await startEmulator({ dataFile });
    try {
      expect((await startRefusal({ dataFile })).message).toMatch(
        new RegExp(`is in use by process ${process.pid} on `),
      );
      expect((await first.api.post(`${V1}/environments`, environment("from-a"))).status).toBe(200);
    } finally {
      await first.emu.close();
    }
    await withEmulator(
      async (api) => {
        expect((await api.get(`${V1}/environments/from-a`)).status).toBe(200);
      },
      { dataFile },
    );
  });

  test("a waiting second user gets the file once the first lets go, and fails clearly after its bound", async () => {
    const dataFile = path.join(dir, "wait.json");
    const first = await startEmulator({ dataFile });
    expect((await startRefusal({ dataFile, lockWaitMs: 200 })).message).toMatch(
      /is in use by process \d+ .*after waiting/,
    );
    const second = CmfEmulator.start({ port: 0, dataFile, lockWaitMs: 10_000 });
    await first.api.post(`${V1}/environments`, environment("from-a"));
    await first.emu.close();
    const emu = await second;
    try {
      expect((await new Api(emu.url).get(`${V1}/environments/from-a`)).status).toBe(200);
    } finally {
      await emu.close();
    }
  });

  test("a stale lock (dead pid) left by a crash is taken over", async () => {
    const dataFile = path.join(dir, "stale.json");
    /* A pid that cannot be alive: above the kernel's pid_max. */
    await fs.writeFile(
      `${dataFile}.lock`,
      JSON.stringify({ pid: 2 ** 22 + 1, host: os.hostname(), since: "x" }),
    );
    await withEmulator(
      async (api) => {
        expect((await api.post(`${V1}/environments`, environment("after-crash"))).status).toBe(200);
      },
      { dataFile },
    );
  });
});

describe("item 6: durable before acknowledged", () => {
  test("a failed write (ENOSPC) is not visible afterwards, leaves no temp file, and the next write works", async () => {
    const sub = await fs.mkdtemp(path.join(dir, "enospc-"));
    const dataFile = path.join(sub, "state.json");
    await withEmulator(
      async (api) => {
        expect((await api.post(`${V1}/environments`, environment("first"))).status).toBe(200);
        const open = snapshotIo.open;
        snapshotIo.open = async (file) => {
          const handle = await open(file);
          handle.writeFile = () =>
            Promise.reject(Object.assign(new Error("no space left on device"), { code: "ENOSPC" }));
          return handle;
        };
        let failed;
        try {
          failed = await api.post(`${V1}/environments`, environment("second"));
        } finally {
          snapshotIo.open = open;
        }
        expect(failed.status).toBe(500);
        expect(failed.json.errors[0].message).toBe(
          "Failed to persist the emulator state (ENOSPC); the change was not applied",
        );
        expect((await api.get(`${V1}/environments/second`)).status).toBe(404);
        const list = await api.get(`${V1}/environments`);
        expect(list.json.items.map((e: { name: string }) => e.name)).toEqual(["first"]);
        expect((await fs.readdir(sub)).sort()).toEqual(["state.json", "state.json.lock"]);
        expect((await api.post(`${V1}/environments`, environment("third"))).status).toBe(200);
      },
      { dataFile },
    );
    await withEmulator(
      async (api) => {
        const list = await api.get(`${V1}/environments`);
        expect(list.json.items.map((e: { name: string }) => e.name)).toEqual(["first", "third"]);
      },
      { dataFile },
    );
  });

  test("writes queued behind a failed one fail too, and none of them shows", async () => {
    const sub = await fs.mkdtemp(path.join(dir, "queued-"));
    const dataFile = path.join(sub, "state.json");
    await withEmulator(
      async (api) => {
        const rename = snapshotIo.rename;
        let calls = 0;
        snapshotIo.rename = (from, to) =>
          ++calls === 1 ? Promise.reject(Object.assign(new Error("EIO"), { code: "EIO" })) : rename(from, to);
        let results;
        try {
          results = await Promise.all(
            Array.from({ length: 10 }, (_, i) => api.post(`${V1}/environments`, environment(`env-${i}`))),
          );
        } finally {
          snapshotIo.rename = rename;
        }
        const acknowledged = results.flatMap((r, i) => (r.status === 200 ? [`env-${i}`] : []));
        expect(results.some((r) => r.status === 500)).toBe(true);
        const listed = (await api.get(`${V1}/environments`)).json.items.map((e: { name: string }) => e.name);
        expect(listed.sort()).toEqual(acknowledged.sort());
        const onDisk = JSON.parse(await fs.readFile(dataFile, "utf8").catch(() => '{"environments":[]}'));
        expect(onDisk.environments.map((e: { name: string }) => e.name).sort()).toEqual(acknowledged.sort());
      },
      { dataFile },
    );
  });

  test("temp files left by killed writes are removed at start", async () => {
    const sub = await fs.mkdtemp(path.join(dir, "stale-tmp-"));
    const dataFile = path.join(sub, "state.json");
    for (let i = 0; i < 6; i++) await fs.writeFile(`${dataFile}.tmp-999999-${i}`, "partial");
    await fs.writeFile(path.join(sub, "other.json.tmp-1-1"), "not ours");
    await withEmulator(
      async () => {
        expect((await fs.readdir(sub)).sort()).toEqual(["other.json.tmp-1-1", "state.json.lock"]);
      },
      { dataFile },
    );
  });
});

describe("item 7: bad bodies are 400s with a clear message", () => {
  test.each([
    ["a YAML alias bomb", ALIAS_BOMB, "application/yaml", /aliases expand too much/],
    [
      "a recursive YAML alias",
      "name: loop\nkubernetesNamespace: ns\nflinkApplicationDefaults: &d {spec: {d: *d}}\n",
      "application/yaml",
      /cycle/,
    ],
    [
      "JSON nested 5,000 levels",
      `{"name":"deep","x":${"[".repeat(5000)}${"]".repeat(5000)}}`,
      "application/json",
      /nested too deeply/,
    ],
    [
      "JSON nested 1,001 levels",
      `{"name":"deep","x":${"[".repeat(1000)}${"]".repeat(1000)}}`,
      "application/json",
      /nested too deeply/,
    ],
  ])("%s", (_what, rawBody, contentType, message) =>
    withEmulator(async (api) => {
      const res = await api.request("POST", `${V1}/environments`, { rawBody, contentType });
      expect(res.status).toBe(400);
      expect(res.json.errors[0].message).toMatch(message);
      expect(res.text).not.toMatch(/stack|Converting circular|Excessive alias|ReferenceError|RangeError/);
      expect((await api.get(`${V1}/environments`)).json.items).toEqual([]);
    }),
  );

  test("an unexpected internal error answers a generic 500 (no internal text), counted in stats (item 8)", () =>
    withEmulator(async (api, emu) => {
      const spy = jest.spyOn(listing, "listPage").mockImplementation(() => {
        throw new Error("secret internal detail at /home/x/provider/emulator/listing.ts:42");
      });
      const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
      try {
        const res = await api.get(`${V1}/environments`);
        expect(res.status).toBe(500);
        expect(res.json.errors).toEqual([{ message: "Internal server error" }]);
        expect(res.text).not.toMatch(/secret|listing\.ts/);
      } finally {
        spy.mockRestore();
        stderr.mockRestore();
      }
      const stats = emu.controls.stats();
      expect(stats.byStatus["500"]).toBe(1);
      expect(stats.total).toBe(1);
    }));
});

describe("item 9: inconsistent hand-edited data files are refused at load, untouched", () => {
  const app = (name: string) => ({
    name,
    apiVersion: "cmf.confluent.io/v1",
    kind: "FlinkApplication",
    uid: "u",
    metadata: {},
    spec: {},
    createdAt: 1,
    updatedAt: 1,
    statusUpdatedAt: 1,
    generation: 1,
    status: {},
    progress: { pending: [], lastAt: 1 },
    instances: [],
    events: [],
  });
  const env = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    kubernetesNamespace: "ns",
    createdAt: 1,
    updatedAt: 1,
    applications: [],
    ...extra,
  });
  const file = (environments: unknown[]) =>
    JSON.stringify({ format: "pulumi-cmf-emulator", version: 1, clockOffsetMs: 0, environments });

  test.each([
    ["duplicate environments", file([env("prod"), env("prod")]), /duplicate environment 'prod'/],
    [
      "duplicate applications",
      file([env("prod", { applications: [app("orders"), app("orders")] })]),
      /duplicate application 'orders'/,
    ],
    ["an invalid environment name", file([env("BAD NAME/../x")]), /environments\[0\]\.name: must match/],
    [
      "an invalid application name",
      file([env("prod", { applications: [app("BAD NAME/../x")] })]),
      /name: must match/,
    ],
    ["a timestamp out of range", file([env("prod", { createdAt: -1e300 })]), /createdAt/],
  ])("%s", async (_what, content, reason) => {
    const dataFile = path.join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    await fs.writeFile(dataFile, content);
    expect((await startRefusal({ dataFile })).message).toMatch(reason);
    expect(await fs.readFile(dataFile, "utf8")).toBe(content);
    /* Refused, so the lock is released again. */
    await expect(fs.access(`${dataFile}.lock`)).rejects.toThrow();
  });
});

describe("item 10: specs the Flink Kubernetes Operator refuses", () => {
  const failureOf = async (api: Api, app: string) => {
    const events = await api.get(`/cmf/api/v1alpha1/environments/prod/applications/${app}/events?size=100`);
    return events.json.items
      .map((e: { status: { data?: { exceptionString?: string } } }) => e.status.data?.exceptionString)
      .filter((m: string | undefined) => m !== undefined);
  };

  test("spec: {} is accepted (201, as CMF does), then FAILED with the operator's message", () =>
    withEmulator(async (api) => {
      await api.post(`${V1}/environments`, environment("prod"));
      const res = await api.post(apps("prod"), {
        apiVersion: "cmf.confluent.io/v1",
        kind: "FlinkApplication",
        metadata: { name: "empty" },
        spec: {},
      });
      expect(res.status).toBe(201);
      const got = await api.get(`${apps("prod")}/empty`);
      expect(got.json.status.lifecycleState).toBe("FAILED");
      expect(got.json.status.jobStatus.state).not.toBe("RUNNING");
      expect(await failureOf(api, "empty")).toEqual([
        "org.apache.flink.kubernetes.operator.exception.ValidationException: Flink Version must be defined.",
      ]);
    }));

  test.each([
    [{ flinkVersion: undefined }, "Flink Version must be defined."],
    [{ job: { jarURI: "local:///a.jar" } }, "Job parallelism must be larger than 0"],
    [
      { jobManager: {} },
      "JobManager resource memory must be defined using `spec.jobManager.resource.memory`",
    ],
    [
      { taskManager: { replicas: 1 } },
      "TaskManager resource memory must be defined using `spec.taskManager.resource.memory`",
    ],
  ])("%j → FAILED: %s", (override, message) =>
    withEmulator(async (api) => {
      await api.post(`${V1}/environments`, environment("prod"));
      expect((await api.post(apps("prod"), application("broken", override))).status).toBe(201);
      expect((await api.get(`${apps("prod")}/broken`)).json.status.lifecycleState).toBe("FAILED");
      expect(await failureOf(api, "broken")).toEqual([
        `org.apache.flink.kubernetes.operator.exception.ValidationException: ${message}`,
      ]);
    }),
  );

  test("memory from the environment's flinkConfiguration defaults is enough, as for the operator", () =>
    withEmulator(async (api) => {
      await api.post(
        `${V1}/environments`,
        environment("prod", {
          flinkApplicationDefaults: {
            spec: {
              flinkConfiguration: {
                "jobmanager.memory.process.size": "1600m",
                "taskmanager.memory.process.size": "1728m",
              },
            },
          },
        }),
      );
      const res = await api.post(
        apps("prod"),
        application("from-defaults", { jobManager: {}, taskManager: {} }),
      );
      expect(res.json.status.lifecycleState).toBe("STABLE");
    }));

  test("superseded instances stop reporting RUNNING, stopped as the new spec's upgrade mode says", () =>
    withEmulator(async (api) => {
      await api.post(`${V1}/environments`, environment("prod"));
      await api.post(apps("prod"), application("orders"));
      await api.post(apps("prod"), application("orders", { image: "v2" }));
      const savepoint = {
        job: { ...(application("x").spec as { job: object }).job, upgradeMode: "savepoint" },
      };
      await api.post(apps("prod"), application("orders", { image: "v3", ...savepoint }));
      await api.post(apps("prod"), application("orders", { image: "v4", ...savepoint }));
      const instances = await api.get(`${apps("prod")}/orders/instances?sort=creationTimestamp`);
      const states = instances.json.items.map(
        (i: { status: { jobStatus: { state: string } } }) => i.status.jobStatus.state,
      );
      /* v1 replaced by a stateless v2 (SUSPENDED); v2 and v3 replaced by savepoint specs (FINISHED). */
      expect(states).toEqual(["SUSPENDED", "FINISHED", "FINISHED", "RUNNING"]);
    }));
});
