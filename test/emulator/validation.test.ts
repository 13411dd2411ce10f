import type { CmfEmulator } from "../../provider/emulator";
import { Api, application, apps, environment, startEmulator, V1, V1ALPHA1 } from "./helpers";

let emu: CmfEmulator;
let api: Api;

const BODY_LIMIT = 4096;

beforeAll(async () => {
  ({ emu, api } = await startEmulator({ bodyLimitBytes: BODY_LIMIT }));
});
afterAll(() => emu.close());
beforeEach(async () => {
  await emu.controls.reset();
  await api.post(`${V1}/environments`, environment("prod"));
});

const RFC1123 = '"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"';
const DNS1035 = '"^[a-z]([-a-z0-9]*[a-z0-9])?$"';

type Case = [title: string, body: unknown, messages: string[]];

const environmentCases: Case[] = [
  [
    "name too short",
    { name: "abc", kubernetesNamespace: "ns" },
    ["name: size must be between 4 and 2147483647"],
  ],
  ["name with upper case", { name: "Prod", kubernetesNamespace: "ns" }, [`name: must match ${RFC1123}`]],
  [
    "short name with underscore: both rules",
    { name: "a_b", kubernetesNamespace: "ns" },
    ["name: size must be between 4 and 2147483647", `name: must match ${RFC1123}`],
  ],
  ["name not a string", { name: 1234, kubernetesNamespace: "ns" }, ["name: must be a string (got number)"]],
  ["no name at all", { kubernetesNamespace: "ns" }, ["name: must not be null"]],
  [
    "metadata without name",
    { metadata: { labels: {} }, kubernetesNamespace: "ns" },
    ["metadata.name: must not be null"],
  ],
  [
    "metadata.name differs from name",
    { name: "prod-a", metadata: { name: "prod-b" }, kubernetesNamespace: "ns" },
    ['metadata.name: must equal name ("prod-a")'],
  ],
  [
    "bad namespace",
    { name: "prod2", kubernetesNamespace: "Flink_NS" },
    [`kubernetesNamespace: must match ${RFC1123}`],
  ],
  [
    "namespace too long",
    { name: "prod2", kubernetesNamespace: "a".repeat(254) },
    ["kubernetesNamespace: size must be between 1 and 253"],
  ],
  [
    "namespace not a string",
    { name: "prod2", kubernetesNamespace: 5 },
    ["kubernetesNamespace: must be a string (got number)"],
  ],
  [
    "defaults not an object",
    { name: "prod2", kubernetesNamespace: "ns", flinkApplicationDefaults: "x" },
    ["flinkApplicationDefaults: must be an object (got string)"],
  ],
  [
    "non-string default flink configuration",
    {
      name: "prod2",
      kubernetesNamespace: "ns",
      flinkApplicationDefaults: { spec: { flinkConfiguration: { slots: 4 } } },
    },
    [
      'flinkApplicationDefaults.spec.flinkConfiguration.slots: must be a string (got number); CMF stores flinkConfiguration as map<string,string>, so quote the value, e.g. "2"',
    ],
  ],
  [
    "labels not strings",
    { metadata: { name: "prod2", labels: { a: true } }, kubernetesNamespace: "ns" },
    ["metadata.labels.a: must be a string (got boolean)"],
  ],
  ["body is an array", [], ["body: must be a JSON object (got array)"]],
  ["body is a string", "prod", ["body: must be a JSON object (got string)"]],
  [
    "several problems at once",
    {
      name: "x",
      kubernetesNamespace: "N S",
      statementDefaults: { detached: { flinkConfiguration: { a: 1 } } },
    },
    [
      "name: size must be between 4 and 2147483647",
      `kubernetesNamespace: must match ${RFC1123}`,
      'statementDefaults.detached.flinkConfiguration.a: must be a string (got number); CMF stores flinkConfiguration as map<string,string>, so quote the value, e.g. "2"',
    ],
  ],
];

function withSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const body = application("orders");
  return { ...body, spec: { ...(body.spec as object), ...spec } };
}

const applicationCases: Case[] = [
  [
    "missing apiVersion",
    { kind: "FlinkApplication", metadata: { name: "orders" }, spec: {} },
    ["apiVersion: must not be null"],
  ],
  [
    "wrong kind",
    { apiVersion: "cmf.confluent.io/v1", kind: "FlinkDeployment", metadata: { name: "orders" }, spec: {} },
    ['kind: must be one of: FlinkApplication (got "FlinkDeployment")'],
  ],
  [
    "missing metadata and spec",
    { apiVersion: "cmf.confluent.io/v1", kind: "FlinkApplication" },
    ["metadata: must not be null", "spec: must not be null"],
  ],
  ["missing name", { ...application("orders"), metadata: {} }, ["metadata.name: must not be null"]],
  ["name too short", application("ord"), ["metadata.name: size must be between 4 and 45"]],
  ["name too long (46)", application(`a${"b".repeat(45)}`), ["metadata.name: size must be between 4 and 45"]],
  ["name starting with a digit (DNS-1035)", application("1orders"), [`metadata.name: must match ${DNS1035}`]],
  ["name with a dot (DNS-1035)", application("orders.v2"), [`metadata.name: must match ${DNS1035}`]],
  ["spec not an object", { ...application("orders"), spec: [] }, ["spec: must be an object (got array)"]],
  [
    "bad job.state",
    withSpec({ job: { state: "paused" } }),
    ['spec.job.state: must be one of: running, suspended (got "paused")'],
  ],
  [
    "bad upgradeMode",
    withSpec({ job: { upgradeMode: "hot" } }),
    ['spec.job.upgradeMode: must be one of: stateless, savepoint, last-state (got "hot")'],
  ],
  [
    "parallelism 0",
    withSpec({ job: { parallelism: 0 } }),
    ["spec.job.parallelism: must be greater than or equal to 1"],
  ],
  [
    "parallelism not an integer",
    withSpec({ job: { parallelism: 1.5 } }),
    ["spec.job.parallelism: must be an integer (got number)"],
  ],
  [
    "args not strings",
    withSpec({ job: { args: ["--a", 2] } }),
    ["spec.job.args[1]: must be a string (got number)"],
  ],
  [
    "flinkConfiguration number",
    withSpec({ flinkConfiguration: { "taskmanager.numberOfTaskSlots": 2 } }),
    [
      'spec.flinkConfiguration[taskmanager.numberOfTaskSlots]: must be a string (got number); CMF stores flinkConfiguration as map<string,string>, so quote the value, e.g. "2"',
    ],
  ],
  [
    "cpu as a string",
    withSpec({ jobManager: { resource: { cpu: "1", memory: "1g" } } }),
    ["spec.jobManager.resource.cpu: must be a number (got string)"],
  ],
  [
    "memory as a number",
    withSpec({ taskManager: { resource: { memory: 1024 } } }),
    ["spec.taskManager.resource.memory: must be a string (got number)"],
  ],
  [
    "replicas 0",
    withSpec({ taskManager: { replicas: 0 } }),
    ["spec.taskManager.replicas: must be greater than or equal to 1"],
  ],
  [
    "allowNonRestoredState not boolean",
    withSpec({ job: { allowNonRestoredState: "yes" } }),
    ["spec.job.allowNonRestoredState: must be a boolean (got string)"],
  ],
  [
    "several problems at once",
    {
      apiVersion: "v2",
      kind: "FlinkApplication",
      metadata: { name: "X" },
      spec: { job: { state: "on", parallelism: -1 } },
    },
    [
      'apiVersion: must be one of: cmf.confluent.io/v1 (got "v2")',
      "metadata.name: size must be between 4 and 45",
      `metadata.name: must match ${DNS1035}`,
      "spec.job.parallelism: must be greater than or equal to 1",
      'spec.job.state: must be one of: running, suspended (got "on")',
    ],
  ],
];

describe("bad input → 400 with one '<field>: <reason>' message per problem, nothing stored", () => {
  test.each(environmentCases)("environment: %s", async (_title, body, messages) => {
    const before = (await api.get(`${V1}/environments`)).json;
    const res = await api.post(`${V1}/environments`, body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errors: messages.map((message) => ({ message })) });
    expect((await api.get(`${V1}/environments`)).json).toEqual(before);
  });

  test.each(applicationCases)("application: %s", async (_title, body, messages) => {
    const res = await api.post(apps("prod"), body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errors: messages.map((message) => ({ message })) });
    expect((await api.get(apps("prod"))).json.metadata.size).toBe(0);
  });

  test("a rejected update leaves the stored application as it was", async () => {
    const good = await api.post(apps("prod"), application("orders"));
    const bad = await api.post(apps("prod"), withSpec({ image: 7 }));
    expect(bad.status).toBe(400);
    const after = await api.get(`${apps("prod")}/orders`);
    expect(after.json).toEqual(good.json);
    expect((await api.get(`${apps("prod")}/orders/instances`)).json.metadata.size).toBe(1);
  });
});

describe("transport errors", () => {
  test("malformed JSON → 400 JSON parse error", async () => {
    const res = await api.request("POST", `${V1}/environments`, {
      rawBody: '{"name": "prod",',
      contentType: "application/json",
    });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toMatch(/^JSON parse error: /);
  });

  test("empty body → 400 Required request body is missing", async () => {
    const res = await api.request("POST", apps("prod"), { rawBody: "", contentType: "application/json" });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errors: [{ message: "Required request body is missing" }] });
  });

  test.each([
    ["text/plain", "text/plain"],
    ["missing", null],
    ["form", "application/x-www-form-urlencoded"],
  ])("content type %s → 415", async (_t, contentType) => {
    const res = await api.request("POST", `${V1}/environments`, {
      rawBody: JSON.stringify(environment("prod2")),
      contentType,
    });
    expect(res.status).toBe(415);
    expect(res.json.errors[0].message).toMatch(
      /^Content-Type '.*' is not supported; send application\/json or application\/yaml$/,
    );
    expect((await api.get(`${V1}/environments/prod2`)).status).toBe(404);
  });

  test("YAML bodies are accepted, as CMF's docs post FlinkApplication files with curl", async () => {
    const yaml = [
      "apiVersion: cmf.confluent.io/v1",
      "kind: FlinkApplication",
      "metadata:",
      "  name: from-yaml",
      "spec:",
      "  image: confluentinc/cp-flink:1.19.3-cp2",
      "  flinkVersion: v1_19",
      "  job:",
      "    jarURI: local:///opt/flink/job.jar",
      "    parallelism: 2",
      "    state: running",
      "    upgradeMode: stateless",
      "",
    ].join("\n");
    const res = await api.request("POST", apps("prod"), { rawBody: yaml, contentType: "application/yaml" });
    expect(res.status).toBe(201);
    expect(res.json.spec.job).toMatchObject({ parallelism: 2, state: "running" });
    const bad = await api.request("POST", apps("prod"), {
      rawBody: "metadata:\n  name: a\n  name: b\n",
      contentType: "application/x-yaml",
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].message).toMatch(/^YAML parse error: /);
  });

  test("JSON with a charset and +json media types are accepted", async () => {
    for (const contentType of ["application/json; charset=utf-8", "application/merge-patch+json"]) {
      const res = await api.request("POST", `${V1}/environments`, {
        body: environment("prod2"),
        contentType,
      });
      expect(res.status).toBe(200);
    }
  });

  test("a body over the limit → 413, with and without Content-Length", async () => {
    const big = environment("prod2", { flinkApplicationDefaults: { spec: { pad: "x".repeat(BODY_LIMIT) } } });
    const res = await api.post(`${V1}/environments`, big);
    expect(res.status).toBe(413);
    expect(res.json.errors[0].message).toBe(`Request body is larger than the limit of ${BODY_LIMIT} bytes`);

    const chunks = [JSON.stringify(big)];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const streamed = await fetch(`${emu.url}${V1}/environments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await api.get(`${V1}/environments/prod2`)).status).toBe(404);
  });

  test.each([
    ["unknown path", "GET", `${V1}/widgets`],
    ["unknown nested path", "GET", `${V1}/environments/prod/widgets`],
    ["trailing slash", "GET", `${V1}/environments/`],
    ["outside the API", "GET", "/"],
    ["events under v1", "GET", `${V1}/environments/prod/applications/orders/events`],
    ["applications under v1alpha1", "GET", `${V1ALPHA1}/environments/prod/applications`],
  ])("%s → 404 RestError", async (_t, method, path) => {
    const res = await api.request(method, path);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ errors: [{ message: `No endpoint ${method} ${path}` }] });
  });

  test.each([
    ["PUT", `${V1}/environments`, "GET, POST, HEAD, OPTIONS"],
    ["PATCH", `${V1}/environments/prod`, "GET, DELETE, HEAD, OPTIONS"],
    ["GET", `${apps("prod")}/orders/start`, "POST, OPTIONS"],
    ["DELETE", `${apps("prod")}/orders/instances`, "GET, HEAD, OPTIONS"],
  ])("%s %s → 405 with Allow", async (method, path, allow) => {
    const res = await api.request(method, path);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    expect(res.json).toEqual({ errors: [{ message: `Request method '${method}' is not supported` }] });
  });

  test("no bad request in this file ever produced a 500", () => {
    expect(emu.controls.stats().byStatus["500"]).toBeUndefined();
  });
});
