/**
 * Property: whatever a hostile or careless client sends to any emulator route (bodies, queries,
 * path parameters, content types), the emulator never answers 5xx, never hangs, and a 4xx leaves the
 * stored state exactly as it was (issue #10). Deterministic (fixed seed), bounded (numRuns).
 */
import fc from "fast-check";
import { CmfEmulator } from "../../provider/emulator";
import { ALIAS_BOMB } from "../support/hostile-documents";
import { application, environment, startEmulator, V1, V1ALPHA1 } from "./helpers";

const REQUEST_TIMEOUT_MS = 5000;

const ROUTES = [
  `${V1}/environments`,
  `${V1}/environments/{env}`,
  `${V1}/environments/{env}/applications`,
  `${V1}/environments/{env}/applications/{app}`,
  `${V1}/environments/{env}/applications/{app}/start`,
  `${V1}/environments/{env}/applications/{app}/suspend`,
  `${V1}/environments/{env}/applications/{app}/instances`,
  `${V1}/environments/{env}/applications/{app}/instances/{inst}`,
  `${V1ALPHA1}/environments/{env}/applications/{app}/events`,
  "/_emulator/reset",
  "/_emulator/faults",
  "/_emulator/clock/advance",
  "/_emulator/environments/{env}/applications/{app}/fail",
  "/_emulator/stats",
];

const PROTO_WORDS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty"];

const hostileName = fc.oneof(
  fc.constantFrom("prod", "orders", "nope", ...PROTO_WORDS, "..", "%2e%2e", "%00", "a%2Fb", "%E0%A4%A"),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.constant("a".repeat(300)),
);

const hostileQueryValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    "name=*a*a*a*a*a*a*a*a*b",
    "labels.constructor",
    "labels.__proto__ in (a, b)",
    "!labels.toString",
    "state notin (RUNNING",
    "name=" + "*".repeat(500),
    "flinkApplicationDefaults.x.__proto__.cache",
    "__proto__.polluted",
    "constructor.prototype.x",
    "name,desc",
    "-1",
    "99999999999999999999",
    "1e308",
  ),
);
const hostileQuery = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        "fields",
        "filter",
        "sort",
        "page",
        "size",
        "search",
        "searchScope",
        "include-resource-information",
        "force",
        "startFromSavepointUid",
        "__proto__",
      ),
      hostileQueryValue,
    ),
    { maxLength: 4 },
  )
  .map((pairs) => new URLSearchParams(pairs).toString());

const protoMap = fc.dictionary(fc.constantFrom(...PROTO_WORDS, "k", "a.b"), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 3,
});
const envLike = fc.record(
  {
    name: hostileName.map(decodeURIComponentSafe),
    kubernetesNamespace: fc.oneof(fc.constant("ns"), fc.string({ maxLength: 5 })),
    metadata: fc.record({ name: fc.constant("prod"), labels: protoMap }, { requiredKeys: [] }),
    flinkApplicationDefaults: fc.oneof(protoMap, fc.jsonValue({ maxDepth: 3 })),
  },
  { requiredKeys: [] },
);
const appLike = fc.record(
  {
    apiVersion: fc.constantFrom("cmf.confluent.io/v1", "v0"),
    kind: fc.constantFrom("FlinkApplication", "Other"),
    metadata: fc.record(
      { name: hostileName.map(decodeURIComponentSafe), labels: protoMap },
      { requiredKeys: [] },
    ),
    spec: fc.oneof(fc.constant({}), protoMap, fc.constant(application("x").spec)),
  },
  { requiredKeys: [] },
);
const controlLike = fc.record(
  {
    ms: fc.oneof(fc.integer(), fc.constantFrom(9007199254740991, 1e300, -1, 0.5)),
    steps: fc.integer(),
    message: fc.string(),
    errorRate: fc.double(),
    hangRate: fc.double(),
    count: fc.integer(),
  },
  { requiredKeys: [] },
);

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const deep = (levels: number) => `{"a":${"[".repeat(levels)}${"]".repeat(levels)}}`;
const hostileBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  envLike.map((v) => JSON.stringify(v)),
  appLike.map((v) => JSON.stringify(v)),
  controlLike.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 50 }),
  fc.constantFrom(
    ALIAS_BOMB,
    "flinkApplicationDefaults: &d {spec: {d: *d}}\nname: loop\nkubernetesNamespace: ns\n",
    deep(1001),
    deep(5000),
    "a: " + "[".repeat(3000),
    '{"__proto__":{"polluted":1},"name":"poll","kubernetesNamespace":"ns"}',
    "",
    "null",
    "[]",
  ),
);

const request = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"),
  route: fc.constantFrom(...ROUTES),
  env: hostileName,
  app: hostileName,
  inst: hostileName,
  query: hostileQuery,
  contentType: fc.constantFrom("application/json", "application/yaml", "text/plain", undefined),
  body: fc.option(hostileBody, { nil: undefined }),
});

let emu: CmfEmulator;
let base: string;

/** Everything a client can observe of the stored state (all environments, applications, instances). */
async function fingerprint(): Promise<string> {
  const get = async (path: string) => (await fetch(base + path)).text();
  const envs = JSON.parse(await get(`${V1}/environments?size=2000`)) as { items: { name: string }[] };
  const parts = [JSON.stringify(envs)];
  for (const { name } of envs.items) {
    const env = encodeURIComponent(name);
    parts.push(await get(`${V1}/environments/${env}`));
    parts.push(await get(`${V1}/environments/${env}/applications?size=2000`));
  }
  return parts.join("\n");
}

beforeAll(async () => {
  ({ emu } = await startEmulator());
  base = emu.url;
  await fetch(`${base}${V1}/environments`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(environment("prod")),
  });
  await fetch(`${base}${V1}/environments/prod/applications`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(application("orders")),
  });
});
afterAll(() => emu.close());

test("hostile requests to every route: never 5xx, never a hang, a 4xx changes nothing", async () => {
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const before = await fingerprint();
      const path = r.route.replace("{env}", r.env).replace("{app}", r.app).replace("{inst}", r.inst);
      const withBody = r.body !== undefined && !["GET", "HEAD"].includes(r.method);
      const res = await fetch(`${base}${path}${r.query ? `?${r.query}` : ""}`, {
        method: r.method,
        headers: r.contentType && withBody ? { "content-type": r.contentType } : {},
        body: withBody ? r.body : undefined,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      /* Injected faults are deliberate 5xx; a hostile PUT /_emulator/faults may configure some. */
      emu.controls.clearFaults();
      expect(res.status).toBeLessThan(500);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      if (res.status >= 400) expect(await fingerprint()).toBe(before);
      return text !== undefined;
    }),
    { seed: 1010, numRuns: 150, endOnFailure: true },
  );
  expect(emu.controls.stats().byStatus["500"]).toBeUndefined();
});
