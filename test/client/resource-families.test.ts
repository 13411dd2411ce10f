import { CmfApiError, CmfArgumentError, CmfClient } from "../../provider/client";
import { json, startScriptedServer, type ScriptHandler, type ScriptedServer } from "./scripted-server";

/**
 * The six CRUD families share one generic block (`provider/client/resource-api.ts`): each call must
 * still reach its own path, with its own method, query and operation name, and name the scope
 * argument it checks.
 */

let server: ScriptedServer;
let client: CmfClient;
const notFound: ScriptHandler = (_req, res) => json(res, 404, { errors: [{ message: "nope" }] });
let handler = notFound;

beforeAll(async () => {
  server = await startScriptedServer((req, res, i) => handler(req, res, i));
  client = new CmfClient({ url: server.url, token: "tok-families-0123456789", retry: { maxAttempts: 1 } });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

beforeEach(() => {
  handler = notFound;
  server.requests.length = 0;
});

const body = { apiVersion: "cmf.confluent.io/v1", kind: "X", metadata: { name: "n" }, spec: {} };

/** The request a call sent, and the operation its 404 names (or `resolved`). */
async function sent(call: () => Promise<unknown>): Promise<string> {
  const outcome = await call().then(
    () => "resolved",
    (err: unknown) => (err instanceof CmfApiError ? String(err.operation) : String(err)),
  );
  const request = server.requests.at(-1);
  return `${request?.method} ${request?.url} ${outcome}`;
}

const V1 = "/cmf/api/v1";

describe("CRUD families over the generic block", () => {
  it("top-level families: secrets and Kafka catalogs", async () => {
    const s = client.secrets;
    const c = client.kafkaCatalogs;
    const rows = [
      await sent(() => s.list({ page: 1, filter: "name=a*" })),
      await sent(() => s.get("db pass")),
      await sent(() => s.create(body as never)),
      await sent(() => s.update("n", body as never)),
      await sent(() => s.delete("n", { ignoreNotFound: true })),
      await sent(() => s.delete("n", { force: true } as never)),
      await sent(() => c.list({ size: 5 })),
      await sent(() => c.get("cat")),
      await sent(() => c.create(body as never)),
      await sent(() => c.update("cat", body as never)),
      await sent(() => c.delete("cat")),
    ];
    expect(rows).toEqual([
      `GET ${V1}/secrets?page=1&filter=name%3Da* secrets.list`,
      `GET ${V1}/secrets/db%20pass resolved`,
      `POST ${V1}/secrets secrets.create`,
      `PUT ${V1}/secrets/n secrets.update`,
      `DELETE ${V1}/secrets/n resolved`,
      // no force=true where CMF has none
      `DELETE ${V1}/secrets/n secrets.delete`,
      `GET ${V1}/catalogs/kafka?size=5 kafkaCatalogs.list`,
      `GET ${V1}/catalogs/kafka/cat resolved`,
      `POST ${V1}/catalogs/kafka kafkaCatalogs.create`,
      `PUT ${V1}/catalogs/kafka/cat kafkaCatalogs.update`,
      `DELETE ${V1}/catalogs/kafka/cat kafkaCatalogs.delete`,
    ]);
  });

  it("scoped families: mappings, databases, compute pools, statements", async () => {
    const rows = [
      await sent(() => client.secretMappings.list("e", { page: 0 })),
      await sent(() => client.secretMappings.get("e", "id")),
      await sent(() => client.secretMappings.create("e", body as never)),
      await sent(() => client.secretMappings.update("e", "id", body as never)),
      await sent(() => client.secretMappings.delete("e", "id")),
      await sent(() => client.kafkaDatabases.list("cat")),
      await sent(() => client.kafkaDatabases.create("cat", body as never)),
      await sent(() => client.kafkaDatabases.update("cat", "db", body as never)),
      await sent(() => client.kafkaDatabases.delete("cat", "db")),
      await sent(() => client.computePools.list("e", { includeResourceInformation: true })),
      await sent(() => client.computePools.get("e", "p", { includeResourceInformation: true })),
      await sent(() => client.computePools.delete("e", "p", { force: true })),
      await sent(() => client.statements.list("e", { computePool: "p", phase: "RUNNING", size: 2 })),
      await sent(() => client.statements.get("e", "s")),
      await sent(() => client.statements.create("e", body as never)),
      await sent(() => client.statements.delete("e", "s", { force: true, ignoreNotFound: true })),
    ];
    expect(rows).toEqual([
      `GET ${V1}/environments/e/secret-mappings?page=0 secretMappings.list`,
      `GET ${V1}/environments/e/secret-mappings/id resolved`,
      `POST ${V1}/environments/e/secret-mappings secretMappings.create`,
      `PUT ${V1}/environments/e/secret-mappings/id secretMappings.update`,
      `DELETE ${V1}/environments/e/secret-mappings/id secretMappings.delete`,
      `GET ${V1}/catalogs/kafka/cat/databases kafkaDatabases.list`,
      `POST ${V1}/catalogs/kafka/cat/databases kafkaDatabases.create`,
      `PUT ${V1}/catalogs/kafka/cat/databases/db kafkaDatabases.update`,
      `DELETE ${V1}/catalogs/kafka/cat/databases/db kafkaDatabases.delete`,
      `GET ${V1}/environments/e/compute-pools?include-resource-information=true computePools.list`,
      `GET ${V1}/environments/e/compute-pools/p?include-resource-information=true resolved`,
      `DELETE ${V1}/environments/e/compute-pools/p?force=true computePools.delete`,
      `GET ${V1}/environments/e/statements?size=2&compute-pool=p&phase=running statements.list`,
      `GET ${V1}/environments/e/statements/s resolved`,
      `POST ${V1}/environments/e/statements statements.create`,
      `DELETE ${V1}/environments/e/statements/s?force=true resolved`,
    ]);
  });

  it("listAll pages through the family's own list, scope first", async () => {
    handler = (_req, res) => json(res, 200, { items: [] });
    const seen: string[] = [];
    for await (const _ of client.kafkaDatabases.listAll("cat", { size: 3 })) seen.push("item");
    expect(seen).toEqual([]);
    expect(server.requests.map((r) => r.url)).toEqual([`${V1}/catalogs/kafka/cat/databases?page=0&size=3`]);
  });

  it("names the scope argument and the operation of a bad name, sending nothing", async () => {
    const calls: [() => Promise<unknown>, string][] = [
      [() => client.secretMappings.get("", "id"), "secretMappings.get: environment"],
      [() => client.kafkaDatabases.delete("cat", ".."), "kafkaDatabases.delete: name"],
      [() => client.kafkaDatabases.list(".." as string), "kafkaDatabases.list: catalog"],
      [() => client.secrets.update("", body as never), "secrets.update: name"],
    ];
    for (const [call, prefix] of calls) {
      const err: unknown = await Promise.resolve()
        .then(call)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CmfArgumentError);
      expect((err as Error).message.startsWith(prefix)).toBe(true);
    }
    expect(server.requests).toHaveLength(0);
  });
});
