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

/** Every route with the methods it serves (other methods are tried too, less often). */
const ROUTES: [string, string[]][] = [
  [`${V1}/environments`, ["GET", "POST"]],
  [`${V1}/environments/{env}`, ["GET", "DELETE"]],
  [`${V1}/environments/{env}/applications`, ["GET", "POST"]],
  [`${V1}/environments/{env}/applications/{app}`, ["GET", "DELETE"]],
  [`${V1}/environments/{env}/applications/{app}/start`, ["POST"]],
  [`${V1}/environments/{env}/applications/{app}/suspend`, ["POST"]],
  [`${V1}/environments/{env}/applications/{app}/instances`, ["GET"]],
  [`${V1}/environments/{env}/applications/{app}/instances/{inst}`, ["GET"]],
  [`${V1ALPHA1}/environments/{env}/applications/{app}/events`, ["GET"]],
  ["/_emulator/reset", ["POST"]],
  ["/_emulator/faults", ["GET", "PUT", "DELETE"]],
  ["/_emulator/clock/advance", ["POST"]],
  ["/_emulator/environments/{env}/applications/{app}/fail", ["POST"]],
  ["/_emulator/stats", ["GET"]],
];
const ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"];
const BODY_ROUTES = ROUTES.flatMap(([r, ms]) =>
  ms.filter((m) => m === "POST" || m === "PUT").map((m) => [r, m] as const),
);
const routeAndMethod = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...BODY_ROUTES) },
  { weight: 3, arbitrary: fc.constantFrom(...ROUTES.flatMap(([r, ms]) => ms.map((m) => [r, m] as const))) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...ROUTES.map(([r]) => r)), fc.constantFrom(...ALL_METHODS)),
  },
);

const PROTO_WORDS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty"];

const hostileName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("prod", "orders") },
  fc.constantFrom("nope", ...PROTO_WORDS, "..", "%2e%2e", "%00", "a%2Fb", "%E0%A4%A"),
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
const json = (arbitrary: fc.Arbitrary<unknown>) =>
  arbitrary.map((v) => ({ text: JSON.stringify(v), contentType: "application/json" as string | undefined }));
const asIs = (contentType: string | undefined, ...texts: string[]) =>
  fc.constantFrom(...texts).map((text) => ({ text, contentType }));
const hostileBody = fc.oneof(
  json(fc.jsonValue({ maxDepth: 4 })),
  { weight: 2, arbitrary: json(envLike) },
  { weight: 2, arbitrary: json(appLike) },
  { weight: 2, arbitrary: json(controlLike) },
  {
    weight: 4,
    arbitrary: asIs(
      "application/yaml",
      ALIAS_BOMB,
      "flinkApplicationDefaults: &d {spec: {d: *d}}\nname: loop\nkubernetesNamespace: ns\n",
      "a: " + "[".repeat(3000),
      "name: [unclosed",
    ),
  },
  {
    weight: 4,
    arbitrary: asIs(
      "application/json",
      deep(1001),
      deep(5000),
      '{"__proto__":{"polluted":1},"name":"poll","kubernetesNamespace":"ns"}',
      '{"name":"poll","kubernetesNamespace":"ns","flinkApplicationDefaults":{"x":{"__proto__":{"cache":{"body":"{}","etag":"x"}}}}}',
      "",
      "null",
      "[]",
      "{",
    ),
  },
  fc
    .tuple(
      fc.string({ maxLength: 50 }),
      fc.constantFrom("application/json", "application/yaml", "text/plain", undefined),
    )
    .map(([text, contentType]) => ({ text, contentType })),
);

const request = fc.record({
  routeAndMethod,
  env: hostileName,
  app: hostileName,
  inst: hostileName,
  query: hostileQuery,
  body: fc.option(hostileBody, { nil: undefined, freq: 4 }),
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

/** `prod` with `orders`, created again when a generated reset or delete removed them (an upsert of the same body changes nothing). */
async function seed(): Promise<void> {
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }).then((res) => res.text());
  await post(`${V1}/environments`, environment("prod"));
  await post(`${V1}/environments/prod/applications`, application("orders"));
}

beforeAll(async () => {
  ({ emu } = await startEmulator());
  base = emu.url;
});
afterAll(() => emu.close());

test("hostile requests to every route: never 5xx, never a hang, a 4xx changes nothing", async () => {
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      await seed();
      const before = await fingerprint();
      const [route, method] = r.routeAndMethod;
      const path = route.replace("{env}", r.env).replace("{app}", r.app).replace("{inst}", r.inst);
      const body = ["GET", "HEAD"].includes(method) ? undefined : r.body;
      const res = await fetch(`${base}${path}${r.query ? `?${r.query}` : ""}`, {
        method,
        headers: body?.contentType ? { "content-type": body.contentType } : {},
        body: body?.text,
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
    { seed: 1010, numRuns: 200, endOnFailure: true },
  );
  expect(emu.controls.stats().byStatus["500"]).toBeUndefined();
});
