import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CmfEmulator } from "../../provider/emulator";
import { Api, environment, V1 } from "./helpers";
import {
  catalog,
  catalogs,
  computePool,
  database,
  databases,
  mapping,
  mappings,
  pools,
  secret,
  secrets,
  statement,
  statements,
} from "./sql-helpers";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cmf-emu-sql-"));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

const SECRET_VALUE = "p4ssw0rd-never-on-disk";

describe("data file with the SQL families", () => {
  test("a file written by today's code reloads every family; secret values are never written", async () => {
    const dataFile = path.join(dir, "state.json");
    let emu = await CmfEmulator.start({ port: 0, dataFile });
    let api = new Api(emu.url);
    const paths = [
      `${secrets}/kafka-creds`,
      `${mappings("prod")}/kafka-id`,
      `${catalogs}/kafka-cat`,
      `${databases("kafka-cat")}/sales-db`,
      `${pools("prod")}/pool`,
      `${statements("prod")}/create-orders`,
      `${statements("prod")}/read-orders`,
      `${V1}/environments/prod`,
    ];
    let before: unknown[];
    try {
      await api.post(`${V1}/environments`, environment("prod"));
      await api.post(secrets, secret("kafka-creds", { "sasl.jaas.config": SECRET_VALUE }));
      await api.post(mappings("prod"), mapping("kafka-id", "kafka-creds"));
      await api.post(catalogs, catalog("kafka-cat", "kafka-id"));
      await api.post(databases("kafka-cat"), database("sales-db", "kafka-id"));
      await api.post(pools("prod"), computePool("pool", "SHARED"));
      await api.post(
        statements("prod"),
        statement(
          "create-orders",
          "CREATE TABLE orders (id INT, name STRING) WITH ('connector' = 'datagen')",
        ),
      );
      await api.post(statements("prod"), statement("read-orders", "SELECT name FROM orders"));
      await emu.controls.seedTableRows("prod", "orders", { rows: [["1", "a"]] });
      before = await Promise.all(paths.map((p) => api.get(p).then((r) => r.json)));
    } finally {
      await emu.close();
    }

    const text = await fs.readFile(dataFile, "utf8");
    expect(text).not.toContain(SECRET_VALUE);
    expect(JSON.parse(text).version).toBe(2);

    emu = await CmfEmulator.start({ port: 0, dataFile });
    api = new Api(emu.url);
    try {
      const after = await Promise.all(paths.map((p) => api.get(p).then((r) => r.json)));
      expect(after).toEqual(before);
      expect((await api.get(`${statements("prod")}/read-orders/results`)).json.results.data).toEqual([
        { op: 0, row: ["a"] },
      ]);
      // The digest survived: the same data is no new version, other data is.
      const same = await api.request("PUT", `${secrets}/kafka-creds`, {
        body: secret("kafka-creds", { "sasl.jaas.config": SECRET_VALUE }),
      });
      expect(same.json.status.version).toBe("1");
      const changed = await api.request("PUT", `${secrets}/kafka-creds`, {
        body: secret("kafka-creds", { "sasl.jaas.config": "other" }),
      });
      expect(changed.json.status.version).toBe("2");
    } finally {
      await emu.close();
    }
  });

  test("a version 1 file (before the SQL families) still loads", async () => {
    const dataFile = path.join(dir, "v1.json");
    const v1 = {
      format: "pulumi-cmf-emulator",
      version: 1,
      clockOffsetMs: 0,
      environments: [
        { name: "prod", kubernetesNamespace: "flink-ns", createdAt: 1, updatedAt: 1, applications: [] },
      ],
    };
    await fs.writeFile(dataFile, JSON.stringify(v1));
    const emu = await CmfEmulator.start({ port: 0, dataFile });
    const api = new Api(emu.url);
    try {
      expect((await api.get(`${V1}/environments/prod`)).json).toMatchObject({ name: "prod", secrets: {} });
      expect((await api.get(secrets)).json.items).toEqual([]);
      expect((await api.post(secrets, secret("new-secret", { k: "v" }))).status).toBe(200);
    } finally {
      await emu.close();
    }
  });
});
