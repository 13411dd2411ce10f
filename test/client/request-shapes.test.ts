import {
  CmfApiError,
  CmfArgumentError,
  CmfClient,
  CmfResponseError,
  type CmfConnection,
} from "../../provider/client";
import {
  json,
  sampleApplication,
  SAMPLE_ENVIRONMENT,
  scriptedServerPerFile,
  type ScriptHandler,
} from "./scripted-server";

const TOKEN = "tok-shape-0123456789";

let handler: ScriptHandler = (_req, res) => json(res, 200, {});
const server = scriptedServerPerFile((req, res, index) => handler(req, res, index));
const clients: CmfClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function client(extra: Partial<CmfConnection> = {}): CmfClient {
  const created = new CmfClient({
    url: server.url,
    token: TOKEN,
    retry: { maxAttempts: 2, baseDelayMs: 1 },
    ...extra,
  });
  clients.push(created);
  return created;
}

function page(items: unknown[], total?: number) {
  return {
    pageable: { page: 0, size: 20, sort: { sorted: false, unsorted: true, empty: true } },
    ...(total === undefined ? {} : { metadata: { size: total } }),
    items,
  };
}

describe("request shapes", () => {
  it("sends JSON headers, the bearer token and the body as given", async () => {
    handler = (_req, res) => json(res, 200, SAMPLE_ENVIRONMENT);
    const body = { name: "prod-env", kubernetesNamespace: "flink-prod" };
    await client().environments.upsert(body);
    const [request] = server.requests;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/cmf/api/v1/environments");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.accept).toBe("application/json");
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(request.body)).toEqual(body);
  });

  it("sends no Content-Type and no Authorization when there is no body and no token", async () => {
    handler = (_req, res) => json(res, 200, SAMPLE_ENVIRONMENT);
    await client({ token: undefined }).environments.get("prod-env");
    const [request] = server.requests;
    expect(request.headers["content-type"]).toBeUndefined();
    expect(request.headers.authorization).toBeUndefined();
    expect(request.headers.accept).toBe("application/json");
  });

  it("builds every operation's path, query and method", async () => {
    handler = (req, res) => {
      if (req.url.includes("/instances/"))
        return json(res, 200, {
          apiVersion: "v1",
          kind: "FlinkApplicationInstance",
          metadata: { name: "i-1" },
        });
      if (
        req.url.includes("/instances") ||
        req.url.includes("/events") ||
        req.url.endsWith("/applications?page=1&size=5")
      ) {
        return json(res, 200, page([]));
      }
      if (req.url.startsWith("/cmf/api/v1/environments?")) return json(res, 200, page([]));
      if (req.method === "DELETE") return json(res, 204, undefined);
      if (req.url.includes("/applications")) return json(res, 200, sampleApplication());
      return json(res, 200, SAMPLE_ENVIRONMENT);
    };
    const c = client();
    await c.environments.list({
      page: 2,
      size: 10,
      sort: ["name,desc", "creationTimestamp"],
      filter: "labels.team=data",
      search: "prod",
      searchScope: ["name", "kubernetesNamespace"],
      fields: ["name"],
      includeResourceInformation: true,
    });
    await c.environments.get("prod-env", { includeResourceInformation: true });
    await c.environments.delete("prod-env", { force: true });
    await c.applications.list("prod-env", { page: 1, size: 5 });
    await c.applications.get("prod-env", "orders-app");
    await c.applications.upsert("prod-env", sampleApplication());
    await c.applications.delete("prod-env", "orders-app");
    await c.applications.start("prod-env", "orders-app", { startFromSavepointUid: "sp/1 2" });
    await c.applications.suspend("prod-env", "orders-app");
    await c.applications.instances("prod-env", "orders-app", { sort: "creationTimestamp,desc" });
    await c.applications.instance("prod-env", "orders-app", "i-1");
    await c.applications.events("prod-env", "orders-app", { filter: "type=JOB_STATUS" });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /cmf/api/v1/environments?page=2&size=10&sort=name%2Cdesc&sort=creationTimestamp&filter=labels.team%3Ddata&search=prod&searchScope=name%2CkubernetesNamespace&fields=name&include-resource-information=true",
      "GET /cmf/api/v1/environments/prod-env?include-resource-information=true",
      "DELETE /cmf/api/v1/environments/prod-env?force=true",
      "GET /cmf/api/v1/environments/prod-env/applications?page=1&size=5",
      "GET /cmf/api/v1/environments/prod-env/applications/orders-app",
      "POST /cmf/api/v1/environments/prod-env/applications",
      "DELETE /cmf/api/v1/environments/prod-env/applications/orders-app",
      "POST /cmf/api/v1/environments/prod-env/applications/orders-app/start?startFromSavepointUid=sp%2F1%202",
      "POST /cmf/api/v1/environments/prod-env/applications/orders-app/suspend",
      "GET /cmf/api/v1/environments/prod-env/applications/orders-app/instances?sort=creationTimestamp%2Cdesc",
      "GET /cmf/api/v1/environments/prod-env/applications/orders-app/instances/i-1",
      "GET /cmf/api/v1alpha1/environments/prod-env/applications/orders-app/events?filter=type%3DJOB_STATUS",
    ]);
  });

  it("keeps a reverse-proxy path prefix and accepts the /cmf/api/v1 suffix in the URL", async () => {
    handler = (_req, res) => json(res, 200, SAMPLE_ENVIRONMENT);
    await client({ url: `${server.url}/gateway/flink/cmf/api/v1/` }).environments.get("prod-env");
    await client({ url: `${server.url}/gateway/flink` })
      .applications.events("prod-env", "orders-app")
      .catch(() => undefined);
    expect(server.requests.map((r) => r.url)).toEqual([
      "/gateway/flink/cmf/api/v1/environments/prod-env",
      "/gateway/flink/cmf/api/v1alpha1/environments/prod-env/applications/orders-app/events",
    ]);
  });

  it("percent-encodes names so that they stay one path segment", async () => {
    handler = (_req, res) => json(res, 404, { errors: [{ message: "not found" }] });
    await client().environments.get("a/b?c");
    expect(server.requests[0].url).toBe("/cmf/api/v1/environments/a%2Fb%3Fc");
  });

  it("rejects unusable arguments before sending anything", async () => {
    const c = client();
    await expect(c.environments.get("")).rejects.toThrow(
      new CmfArgumentError("environments.get", "name", 'must be a non-empty string (got "")'),
    );
    await expect(c.applications.get("prod-env", "..")).rejects.toThrow(
      'applications.get: name must not be ".."',
    );
    await expect(c.environments.list({ page: -1 })).rejects.toThrow(
      "environments.list: query.page must be an integer >= 0 (got -1)",
    );
    await expect(c.environments.list({ size: 0 })).rejects.toThrow("query.size must be an integer >= 1");
    await expect(c.environments.list({ search: "x" })).rejects.toThrow(
      "query.search and query.searchScope must be given together",
    );
    await expect(
      c.applications.start("prod-env", "orders-app", { startFromSavepointUid: "" }),
    ).rejects.toThrow("options.startFromSavepointUid must be a non-empty string");
    await expect(c.environments.upsert(null as never)).rejects.toThrow(
      "environments.upsert: body must be an object",
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe("status mapping", () => {
  it("get returns undefined on 404; instance too", async () => {
    handler = (_req, res) => json(res, 404, { errors: [{ message: "Environment not found" }] });
    const c = client();
    await expect(c.environments.get("nope-env")).resolves.toBeUndefined();
    await expect(c.applications.get("nope-env", "orders-app")).resolves.toBeUndefined();
    await expect(c.applications.instance("nope-env", "orders-app", "i-1")).resolves.toBeUndefined();
  });

  it("delete throws on 404 unless ignoreNotFound", async () => {
    handler = (_req, res) => json(res, 404, { errors: [{ message: "Environment 'nope-env' not found" }] });
    const c = client();
    const error: CmfApiError = await c.environments.delete("nope-env").then(
      () => {
        throw new Error("expected a 404");
      },
      (err: CmfApiError) => err,
    );
    expect(error).toBeInstanceOf(CmfApiError);
    expect(error.isNotFound).toBe(true);
    expect(error.message).toBe(
      "CMF rejected DELETE /cmf/api/v1/environments/nope-env (404 Not Found):\n  Environment 'nope-env' not found",
    );
    await expect(c.environments.delete("nope-env", { ignoreNotFound: true })).resolves.toBeUndefined();
    await expect(
      c.applications.delete("nope-env", "orders-app", { ignoreNotFound: true }),
    ).resolves.toBeUndefined();
  });

  it.each([200, 202, 204, 304])("delete accepts %i", async (status) => {
    handler = (_req, res) => {
      res.writeHead(status);
      res.end();
    };
    await expect(client().applications.delete("prod-env", "orders-app")).resolves.toBeUndefined();
  });

  it.each([200, 201])("upsert accepts %i with a body", async (status) => {
    handler = (_req, res) => json(res, status, { ...SAMPLE_ENVIRONMENT, extraFieldFromNewerCmf: { x: 1 } });
    const env = await client().environments.upsert({ name: "prod-env", kubernetesNamespace: "flink-prod" });
    expect(env).toMatchObject({ name: "prod-env", extraFieldFromNewerCmf: { x: 1 } });
    expect(server.requests).toHaveLength(1);
  });

  it("reads the environment back when an upsert succeeds without a body", async () => {
    handler = (req, res) =>
      req.method === "POST" ? json(res, 204, undefined) : json(res, 200, SAMPLE_ENVIRONMENT);
    const env = await client().environments.upsert({
      metadata: { name: "prod-env" },
      kubernetesNamespace: "flink-prod",
    });
    expect(env.name).toBe("prod-env");
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /cmf/api/v1/environments",
      "GET /cmf/api/v1/environments/prod-env",
    ]);
  });

  it("treats 304 on start as 'no change' and returns the current application", async () => {
    handler = (req, res) => {
      if (req.method === "POST") {
        res.writeHead(304);
        res.end();
        return;
      }
      json(res, 200, sampleApplication("orders-app", "running"));
    };
    const app = await client().applications.start("prod-env", "orders-app");
    expect(app.spec.job?.state).toBe("running");
    expect(server.requests.map((r) => r.method)).toEqual(["POST", "GET"]);
  });

  it("keeps unknown fields of a response (a newer CMF must not break the client)", async () => {
    const app = sampleApplication();
    handler = (_req, res) =>
      json(res, 200, {
        ...app,
        spec: { ...app.spec, newOperatorField: { a: 1 } },
        status: { lifecycleState: "STABLE", shiny: true },
      });
    const got = await client().applications.get("prod-env", "orders-app");
    expect(got?.spec).toMatchObject({ newOperatorField: { a: 1 } });
    expect(got?.status).toMatchObject({ lifecycleState: "STABLE", shiny: true });
  });

  it("rejects a response of the wrong shape, naming the operation and the field", async () => {
    handler = (_req, res) => json(res, 200, { name: "prod-env" });
    const error = await client()
      .environments.get("prod-env")
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CmfResponseError);
    expect((error as CmfResponseError).message).toBe(
      "CMF sent an unexpected response to GET /cmf/api/v1/environments/prod-env (environments.get):\n" +
        "  kubernetesNamespace: must not be null",
    );
  });

  it("names list items by index when a page is malformed", async () => {
    handler = (_req, res) =>
      json(res, 200, page([sampleApplication(), { ...sampleApplication(), metadata: {} }]));
    await expect(client().applications.list("prod-env")).rejects.toThrow(
      "items[1].metadata.name: must not be null",
    );
  });

  it("rejects a success body that is not JSON", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>login page</html>");
    };
    await expect(client().environments.list()).rejects.toThrow(
      /environments\.list\):\n {2}body: not valid JSON/,
    );
  });
});

describe("listAll", () => {
  function pagedHandler(total: number, reportTotal: boolean): ScriptHandler {
    return (req, res) => {
      const url = new URL(req.url, "http://x");
      const pageIndex = Number(url.searchParams.get("page"));
      const size = Number(url.searchParams.get("size"));
      const names = Array.from({ length: total }, (_, i) => `env-${String(i).padStart(4, "0")}`);
      const items = names
        .slice(pageIndex * size, (pageIndex + 1) * size)
        .map((name) => ({ ...SAMPLE_ENVIRONMENT, name }));
      json(res, 200, page(items, reportTotal ? total : undefined));
    };
  }

  async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const item of iterable) out.push(item);
    return out;
  }

  it("stops once metadata.size items were seen, without a trailing request", async () => {
    handler = pagedHandler(45, true);
    const envs = await collect(client().environments.listAll({ size: 20, sort: "name" }));
    expect(envs.map((e) => e.name)).toEqual(
      Array.from({ length: 45 }, (_, i) => `env-${String(i).padStart(4, "0")}`),
    );
    expect(server.requests.map((r) => r.url)).toEqual([
      "/cmf/api/v1/environments?page=0&size=20&sort=name",
      "/cmf/api/v1/environments?page=1&size=20&sort=name",
      "/cmf/api/v1/environments?page=2&size=20&sort=name",
    ]);
  });

  it("stops at the first empty page when the total is not reported", async () => {
    handler = pagedHandler(40, false);
    const envs = await collect(client().environments.listAll({ size: 20 }));
    expect(envs).toHaveLength(40);
    expect(server.requests).toHaveLength(3);
  });

  it("defaults to pages of 100 and fetches lazily", async () => {
    handler = pagedHandler(250, true);
    const iterator = client().environments.listAll()[Symbol.asyncIterator]();
    await iterator.next();
    expect(server.requests.map((r) => r.url)).toEqual(["/cmf/api/v1/environments?page=0&size=100"]);
    await iterator.return?.();
  });
});
