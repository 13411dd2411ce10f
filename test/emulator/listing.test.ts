import type { CmfEmulator } from "../../provider/emulator";
import { Api, application, apps, events, startEmulator, V1 } from "./helpers";

let emu: CmfEmulator;
let api: Api;

const names = (res: { json: { items: { name?: string; metadata: { name: string } }[] } }) =>
  res.json.items.map((i) => i.name ?? i.metadata.name);

beforeAll(async () => {
  ({ emu, api } = await startEmulator());
  /* Created out of alphabetical order, one clock second apart, so creation and name orders differ. */
  const envs: [string, string, Record<string, string>][] = [
    ["prod-eu", "flink-prod", { tier: "prod", region: "eu" }],
    ["dev-us", "flink-dev", { tier: "dev", region: "us" }],
    ["prod-us", "flink-prod-us", { tier: "prod", region: "us" }],
    ["staging", "flink-staging", {}],
  ];
  for (const [name, ns, labels] of envs) {
    await api.post(`${V1}/environments`, { metadata: { name, labels }, kubernetesNamespace: ns });
    await emu.controls.advanceClock({ ms: 1000, steps: 0 });
  }
  for (let i = 0; i < 25; i++) {
    const name = `app-${String(i).padStart(2, "0")}`;
    await api.post(
      apps("dev-us"),
      application(name, {}, { labels: { group: i % 2 === 0 ? "even" : "odd" } }),
    );
  }
  await emu.controls.failApplication("dev-us", "app-03", "boom");
  await api.post(`${apps("dev-us")}/app-04/suspend`);
});
afterAll(() => emu.close());

describe("page envelope", () => {
  test("exact shape, zero-based page, default size 20, metadata.size is the total", async () => {
    const res = await api.get(apps("dev-us"));
    expect(Object.keys(res.json)).toEqual(["pageable", "metadata", "items"]);
    expect(res.json.pageable).toEqual({
      page: 0,
      size: 20,
      sort: { sorted: false, unsorted: true, empty: true },
    });
    expect(res.json.metadata).toEqual({ size: 25 });
    expect(res.json.items).toHaveLength(20);
    const second = await api.get(`${apps("dev-us")}?page=1`);
    expect(second.json.items).toHaveLength(5);
    expect(names(second)[0]).toBe("app-20");
  });

  test("a page past the end is 200 with empty items and the total", async () => {
    const res = await api.get(`${apps("dev-us")}?page=7&size=10`);
    expect(res.status).toBe(200);
    expect(res.json.items).toEqual([]);
    expect(res.json.metadata.size).toBe(25);
    expect(res.json.pageable.page).toBe(7);
  });

  test("paging with size walks every item exactly once (as the CLI does)", async () => {
    const seen: string[] = [];
    for (let page = 0; page < 10; page++) {
      const res = await api.get(`${apps("dev-us")}?page=${page}&size=7`);
      if (res.json.items.length === 0) break;
      seen.push(...names(res));
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
  });

  test.each([
    ["size above 2000 is capped at 2000", "size=5000", 0, 2000],
    ["size 0 falls back to 20", "size=0", 0, 20],
    ["non-numeric size falls back to 20", "size=abc", 0, 20],
    ["negative page means page 0", "page=-1", 0, 20],
  ])("Spring's lenient paging: %s", async (_t, query, page, size) => {
    const res = await api.get(`${apps("dev-us")}?${query}`);
    expect(res.status).toBe(200);
    expect(res.json.pageable).toMatchObject({ page, size });
  });
});

describe("sort", () => {
  test("by name, ascending by default and descending on request", async () => {
    expect(names(await api.get(`${V1}/environments?sort=name`))).toEqual([
      "dev-us",
      "prod-eu",
      "prod-us",
      "staging",
    ]);
    expect(names(await api.get(`${V1}/environments?sort=name,desc`))).toEqual([
      "staging",
      "prod-us",
      "prod-eu",
      "dev-us",
    ]);
    const res = await api.get(`${V1}/environments?sort=name,asc`);
    expect(res.json.pageable.sort).toEqual({ sorted: true, unsorted: false, empty: false });
  });

  test("unsorted lists keep creation order; creationTimestamp sorts by it", async () => {
    const creation = ["prod-eu", "dev-us", "prod-us", "staging"];
    expect(names(await api.get(`${V1}/environments`))).toEqual(creation);
    expect(names(await api.get(`${V1}/environments?sort=creationTimestamp,desc`))).toEqual(
      [...creation].reverse(),
    );
    expect(names(await api.get(`${V1}/environments?sort=metadata.creationTimestamp`))).toEqual(creation);
  });

  test("several sort parameters apply in order", async () => {
    const res = await api.get(`${V1}/environments?sort=kubernetesNamespace,desc&sort=name`);
    expect(names(res)).toEqual(["staging", "prod-us", "prod-eu", "dev-us"]);
    const apps2 = await api.get(`${apps("dev-us")}?sort=metadata.name,desc&size=3`);
    expect(names(apps2)).toEqual(["app-24", "app-23", "app-22"]);
  });

  test("updateTimestamp sorts by the last client change", async () => {
    const res = await api.get(`${apps("dev-us")}?sort=updateTimestamp,desc&size=1`);
    expect(names(res)).toEqual(["app-04"]);
  });

  test("an unsupported property is a 400 naming the supported ones", async () => {
    const res = await api.get(`${apps("dev-us")}?sort=color,asc`);
    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toBe(
      "sort: unsupported property 'color' for applications (supported: name, metadata.name, creationTimestamp, metadata.creationTimestamp, updateTimestamp, metadata.updateTimestamp)",
    );
  });
});

describe("filter", () => {
  test.each([
    ["name=prod*", ["prod-eu", "prod-us"]],
    ["name=*-us", ["dev-us", "prod-us"]],
    ["name=staging", ["staging"]],
    ["labels.tier=prod", ["prod-eu", "prod-us"]],
    ["labels.tier!=prod", ["dev-us", "staging"]],
    ["labels.tier = prod, labels.region = us", ["prod-us"]],
    ["labels.region in (eu, us)", ["prod-eu", "dev-us", "prod-us"]],
    ["labels.region notin (us)", ["prod-eu", "staging"]],
    ["labels.tier", ["prod-eu", "dev-us", "prod-us"]],
    ["!labels.tier", ["staging"]],
    ["name=prod*,labels.region in (us, ap),!labels.missing", ["prod-us"]],
  ])("environments: %s", async (filter, expected) => {
    const res = await api.get(`${V1}/environments?filter=${encodeURIComponent(filter)}`);
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(expected);
    expect(res.json.metadata.size).toBe(expected.length);
  });

  test("applications: state= matches status.jobStatus.state; with labels and in/notin", async () => {
    const q = (f: string) => api.get(`${apps("dev-us")}?size=100&filter=${encodeURIComponent(f)}`);
    expect(names(await q("state=FAILED"))).toEqual(["app-03"]);
    expect(names(await q("state in (FAILED, SUSPENDED)"))).toEqual(["app-03", "app-04"]);
    expect((await q("state notin (FAILED, SUSPENDED)")).json.metadata.size).toBe(23);
    expect((await q("state=RUNNING,labels.group=even")).json.metadata.size).toBe(12);
  });

  test("events: type= and type in (...)", async () => {
    const all = await api.get(`${events("dev-us", "app-03")}?size=100`);
    const jobs = await api.get(`${events("dev-us", "app-03")}?size=100&filter=type=JOB_STATUS`);
    const cmf = await api.get(
      `${events("dev-us", "app-03")}?size=100&filter=${encodeURIComponent("type in (CMF_STATUS)")}`,
    );
    expect(jobs.json.items.every((e: { status: { type: string } }) => e.status.type === "JOB_STATUS")).toBe(
      true,
    );
    expect(jobs.json.metadata.size + cmf.json.metadata.size).toBe(all.json.metadata.size);
    expect(jobs.json.metadata.size).toBeGreaterThan(0);
  });

  test.each([
    [
      `${V1}/environments`,
      "state=RUNNING",
      "filter: 'state' is not supported for environments in 'state=RUNNING'",
    ],
    [
      apps("dev-us"),
      "type=CMF_STATUS",
      "filter: 'type' is not supported for applications in 'type=CMF_STATUS'",
    ],
    [`${V1}/environments`, "name~prod", "filter: cannot parse 'name~prod'"],
  ])("unsupported or malformed filters are a 400: %s ? %s", async (path, filter, message) => {
    const res = await api.get(`${path}?filter=${encodeURIComponent(filter)}`);
    expect(res.status).toBe(400);
    expect(res.json.errors[0].message.startsWith(message)).toBe(true);
  });
});

describe("search and searchScope", () => {
  test("environments: contains, over several scopes ORed", async () => {
    const res = await api.get(`${V1}/environments?search=prod&searchScope=name`);
    expect(names(res)).toEqual(["prod-eu", "prod-us"]);
    const ns = await api.get(`${V1}/environments?search=staging&searchScope=name,kubernetesNamespace`);
    expect(names(ns)).toEqual(["staging"]);
    const both = await api.get(`${V1}/environments?search=us&searchScope=name,kubernetesNamespace`);
    expect(names(both)).toEqual(["dev-us", "prod-us"]);
  });

  test("events: message contains, flinkApplicationInstance equals", async () => {
    const app = (await api.get(`${apps("dev-us")}/app-03`)).json;
    const instance = app.status.currentDeployedInstanceName as string;
    const byInstance = await api.get(
      `${events("dev-us", "app-03")}?search=${instance}&searchScope=flinkApplicationInstance`,
    );
    expect(byInstance.json.metadata.size).toBeGreaterThan(0);
    const partial = await api.get(
      `${events("dev-us", "app-03")}?search=${instance.slice(0, 8)}&searchScope=flinkApplicationInstance`,
    );
    expect(partial.json.metadata.size).toBe(0);
    const failed = await api.get(`${events("dev-us", "app-03")}?search=failed&searchScope=message`);
    expect(failed.json.items[0].status.data).toEqual({ exceptionString: "boom" });
  });

  test.each([
    ["search=prod", "searchScope: must be provided together with search"],
    ["searchScope=name", "search: must be provided together with searchScope"],
    [
      "search=prod&searchScope=color",
      "searchScope: unsupported field(s) 'color' for environments (supported: name, kubernetesNamespace)",
    ],
  ])("%s → 400", async (query, message) => {
    const res = await api.get(`${V1}/environments?${query}`);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errors: [{ message }] });
  });
});

describe("fields (sparse fieldsets)", () => {
  test("keeps the requested dot paths plus apiVersion and kind", async () => {
    const res = await api.get(`${apps("dev-us")}?size=1&fields=metadata.name,status.jobStatus.state`);
    expect(res.json.items[0]).toEqual({
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      metadata: { name: "app-00" },
      status: { jobStatus: { state: "RUNNING" } },
    });
  });
});

describe("instances list", () => {
  test("is paged and sortable", async () => {
    for (const image of ["i1", "i2", "i3"]) await api.post(apps("prod-eu"), application("multi", { image }));
    const res = await api.get(`${apps("prod-eu")}/multi/instances?size=2&sort=creationTimestamp,desc`);
    expect(res.json.metadata.size).toBe(3);
    expect(res.json.items.map((i: { status: { spec: { image: string } } }) => i.status.spec.image)).toEqual([
      "i3",
      "i2",
    ]);
  });
});

test("environment list pages carry no secrets", async () => {
  const res = await api.get(`${V1}/environments`);
  for (const env of res.json.items) expect(env).not.toHaveProperty("secrets");
  expect((await api.get(`${V1}/environments/staging`)).json.secrets).toEqual({});
});
