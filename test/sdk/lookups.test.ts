/**
 * The lookups (`getCmfEnvironment`, `getCmfApplication`, `getCmfComputePool`, `getCmfStatement`,
 * `getCmfKafkaCatalog`) against in-process emulators over HTTP: what each returns, the errors (not
 * found, bad arguments, no or bad connection, the token never shown), the connection resolution order
 * the resources use (argument, stack configuration, environment, embedded emulator), no writes, and
 * every client and emulator closed after use.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CmfClient } from "../../provider/client";
import { CmfClient as RuntimeClient } from "../../provider/client/cmf-client";
import { CmfEmulator } from "../../provider/emulator";
import { objectFields } from "../../provider/core/schema";
import { KINDS } from "../../provider/kinds";
import {
  ConnectionSettingsError,
  getCmfApplication,
  getCmfComputePool,
  getCmfEnvironment,
  getCmfEnvironmentOutput,
  getCmfKafkaCatalog,
  getCmfStatement,
  LookupArgumentsError,
  MissingEndpointError,
  ObjectNotFoundError,
} from "../../sdk";
import { lookupObject, type LookupSources } from "../../sdk/lookups";
import { caught } from "../resources/kinds/harness";
import { createOutOfBand } from "../support/out-of-band";

const TOKEN = "lookup-token-7c1e";
const OTHER_TOKEN = "other-token-52ab";

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

function sources(config: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}): LookupSources {
  return { config: (key) => config[key], env };
}

describe("lookups", () => {
  let emulator: CmfEmulator;
  let empty: CmfEmulator;
  let direct: CmfClient;
  let connection: { url: string; token: string };

  beforeAll(async () => {
    emulator = await CmfEmulator.start({ token: TOKEN });
    empty = await CmfEmulator.start({ token: OTHER_TOKEN });
    connection = { url: emulator.url, token: TOKEN };
    direct = new CmfClient(connection);
    await createOutOfBand(direct);
  });

  afterAll(async () => {
    pulumi.runtime.setAllConfig({});
    await direct?.close();
    await emulator?.close();
    await empty?.close();
  });

  it("return each object as CMF holds it, its CMF fields and outputs only, without writing", async () => {
    const before = emulator.controls.stats();
    const closes = jest.spyOn(RuntimeClient.prototype, "close");
    try {
      const [env, app, pool, statement, catalog] = await Promise.all([
        value(getCmfEnvironment({ name: "shared-env", connection })),
        value(getCmfApplication({ environment: "shared-env", name: "orders", connection })),
        value(getCmfComputePool({ environment: "shared-env", name: "shared-pool", connection })),
        value(getCmfStatement({ environment: "shared-env", name: "list-dbs", connection })),
        value(getCmfKafkaCatalog({ name: "shared-cat", connection })),
      ]);
      // Typed results: these assignments are checked by the compiler.
      const namespace: string = env.kubernetesNamespace;
      const image: string | undefined = app.spec.image;
      expect({ namespace, image }).toEqual({
        namespace: "flink-shared",
        image: "confluentinc/cp-flink:1.19.3-cp2",
      });
      // @ts-expect-error: a lookup's result holds no pulumi-cmf setting, so its type has none either
      expect(env.connection).toBeUndefined();
      expect(env).toMatchObject({ name: "shared-env", labels: { team: "data" } });
      expect(typeof env.createdTime).toBe("string");
      expect(app).toMatchObject({
        environment: "shared-env",
        name: "orders",
        labels: { team: "data" },
        spec: { job: { parallelism: 2 } },
        status: { jobState: "RUNNING" },
      });
      expect(pool).toMatchObject({
        environment: "shared-env",
        name: "shared-pool",
        spec: { type: "DEDICATED" },
      });
      expect(statement).toMatchObject({
        environment: "shared-env",
        name: "list-dbs",
        spec: { statement: "SHOW DATABASES", computePoolName: "shared-pool" },
        phase: "COMPLETED",
      });
      expect(catalog).toMatchObject({
        name: "shared-cat",
        spec: { srInstance: { connectionConfig: { "schema.registry.url": "http://sr:8081" } } },
      });
      // Never the connection nor any other pulumi-cmf setting: only what CMF holds.
      const results = {
        Environment: env,
        Application: app,
        ComputePool: pool,
        Statement: statement,
        KafkaCatalog: catalog,
      };
      for (const [kind, result] of Object.entries(results)) {
        const allowed = objectFields(KINDS[kind as keyof typeof KINDS]);
        expect({ kind, extra: Object.keys(result).filter((key) => !allowed.includes(key)) }).toEqual({
          kind,
          extra: [],
        });
        expect(JSON.stringify(result)).not.toContain(TOKEN);
      }
      expect(closes).toHaveBeenCalledTimes(5);
    } finally {
      closes.mockRestore();
    }
    const after = emulator.controls.stats();
    expect(after.writes).toBe(before.writes);
    expect(after.total - before.total).toBe(5);
    expect(getCmfEnvironmentOutput).toBe(getCmfEnvironment);
  });

  it("take Outputs as arguments: a secret name makes a secret result, a secret token does not", async () => {
    const byOutput = getCmfEnvironment({
      name: pulumi.output("shared-env"),
      connection: { url: emulator.url, token: pulumi.secret(TOKEN) },
    });
    expect((await value(byOutput)).kubernetesNamespace).toBe("flink-shared");
    expect(await pulumi.isSecret(byOutput)).toBe(false);
    const bySecretName = getCmfEnvironment({ name: pulumi.secret("shared-env"), connection });
    expect((await value(bySecretName)).name).toBe("shared-env");
    expect(await pulumi.isSecret(bySecretName)).toBe(true);
  });

  it("read the program's stack configuration when no connection is given", async () => {
    pulumi.runtime.setAllConfig({ "cmf:url": emulator.url, "cmf:token": TOKEN });
    try {
      expect((await value(getCmfKafkaCatalog({ name: "shared-cat" }))).name).toBe("shared-cat");
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  });

  it("say which object is missing and where they looked, closing the client all the same", async () => {
    const closes = jest.spyOn(RuntimeClient.prototype, "close");
    try {
      const env = await caught(lookupObject("Environment", { name: "nope-env", connection }));
      expect(env).toBeInstanceOf(ObjectNotFoundError);
      expect(env.message).toMatch(
        new RegExp(`^CMF environment "nope-env" not found at ${emulator.url}\\.\\n`),
      );
      expect(env.message).toContain("getCmfEnvironment reads objects that already exist");
      const app = await caught(
        lookupObject("Application", { environment: "shared-env", name: "nope", connection }),
      );
      expect(app.message).toMatch(/^CMF application "shared-env\/nope" not found at/);
      const inMissingEnv = await caught(
        lookupObject("Statement", { environment: "nope-env", name: "list-dbs", connection }),
      );
      expect(inMissingEnv).toBeInstanceOf(ObjectNotFoundError);
      expect(inMissingEnv.message).toMatch(/^CMF statement "nope-env\/list-dbs" not found at/);
      for (const error of [env, app, inMissingEnv]) expect(error.message).not.toContain(TOKEN);
      expect(closes).toHaveBeenCalledTimes(3);
    } finally {
      closes.mockRestore();
    }
  });

  it("refuse bad arguments before any request, naming each one and its rule, never echoing the token", async () => {
    const before = emulator.controls.stats().total;
    const missing = await caught(lookupObject("Application", { name: "orders", connection }));
    expect(missing).toBeInstanceOf(LookupArgumentsError);
    expect(missing.message).toBe("Invalid arguments of getCmfApplication:\n  environment: is required");
    const bad = await caught(
      lookupObject("Environment", {
        name: "Not_A_Name",
        nmae: "typo",
        connection: { url: `http://user:${TOKEN}@127.0.0.1:1`, token: TOKEN, requestTimeoutSeconds: 0 },
      }),
    );
    expect(bad).toBeInstanceOf(LookupArgumentsError);
    expect((bad as LookupArgumentsError).failures.map((f) => f.property)).toEqual([
      "nmae",
      "name",
      "connection.url",
      "connection.requestTimeoutSeconds",
    ]);
    expect(bad.message).toContain(
      "connection.url: must not contain credentials (user:password@); set token instead",
    );
    expect(bad.message).toContain(
      "connection.requestTimeoutSeconds: must be a number of seconds from 1 to 3600",
    );
    expect(bad.message).not.toContain(TOKEN);
    expect(emulator.controls.stats().total).toBe(before);
  });

  describe("find CMF as the resources do", () => {
    it("the connection argument first, as a whole (no token from the configuration)", async () => {
      const config = { "cmf:url": empty.url, "cmf:token": OTHER_TOKEN };
      const found = await lookupObject("Environment", { name: "shared-env", connection }, sources(config));
      expect(found.name).toBe("shared-env");
      // Without its own token the argument is not completed with cmf:token: CMF answers 401.
      const unauthorized = await caught(
        lookupObject(
          "Environment",
          { name: "shared-env", connection: { url: emulator.url } },
          sources(config),
        ),
      );
      expect(unauthorized.message).toMatch(
        /^Failed to read CMF environment "shared-env": CMF rejected GET .* \(401/,
      );
      expect(unauthorized.message).toContain("check the token");
      expect(unauthorized.message).not.toContain(OTHER_TOKEN);
    });

    it("then the stack configuration, each key before its environment variable", async () => {
      const env = { CONFLUENT_CMF_URL: emulator.url, CONFLUENT_CMF_TOKEN: TOKEN };
      const fromEnv = await lookupObject("Environment", { name: "shared-env" }, sources({}, env));
      expect(fromEnv.kubernetesNamespace).toBe("flink-shared");
      const fromConfig = await caught(
        lookupObject(
          "Environment",
          { name: "shared-env" },
          sources({ "cmf:url": empty.url, "cmf:token": OTHER_TOKEN }, env),
        ),
      );
      expect(fromConfig).toBeInstanceOf(ObjectNotFoundError);
      expect(fromConfig.message).toContain(`not found at ${empty.url}.`);
      // cmf:url from the configuration, the token from CONFLUENT_CMF_TOKEN.
      const mixed = await lookupObject(
        "Environment",
        { name: "shared-env" },
        sources({ "cmf:url": emulator.url }, { CONFLUENT_CMF_TOKEN: TOKEN }),
      );
      expect(mixed.name).toBe("shared-env");
    });

    it("fail with the resources' messages when nothing or something invalid is configured", async () => {
      const none = await caught(lookupObject("Environment", { name: "shared-env" }, sources()));
      expect(none).toBeInstanceOf(MissingEndpointError);
      expect(none.message).toMatch(
        /^Cannot read CMF environment "shared-env": no CMF endpoint is configured\./,
      );
      const badUrl = await caught(
        lookupObject("Environment", { name: "shared-env" }, sources({ "cmf:url": "ftp://cmf.example.com" })),
      );
      expect(badUrl).toBeInstanceOf(ConnectionSettingsError);
      expect(badUrl.message).toMatch(
        /^Invalid CMF connection setting cmf:url: must use the http or https scheme/,
      );
      const both = await caught(
        lookupObject(
          "Environment",
          { name: "shared-env" },
          sources({ "cmf:url": emulator.url, "cmf:emulator": "state.json", "cmf:token": TOKEN }),
        ),
      );
      expect(both).toBeInstanceOf(ConnectionSettingsError);
      expect(both.message).toContain("cmf:url and cmf:emulator: are both set");
      expect(both.message).not.toContain(TOKEN);
    });

    it("the embedded emulator: a copy of its data file, read while another process holds the file", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-lookups-"));
      const dataFile = path.join(dir, "cmf.json");
      // Like the provider process during `pulumi up`: an emulator on the file, holding its lock.
      const holder = await CmfEmulator.start({ dataFile });
      const snapshots = () =>
        fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("pulumi-cmf-snapshot-"));
      const snapshotsBefore = snapshots();
      try {
        const writer = new CmfClient({ url: holder.url });
        await writer.environments.upsert({ name: "embedded-env", kubernetesNamespace: "flink-local" });
        await writer.close();
        const stored = fs.readFileSync(dataFile, "utf8");
        const found = await lookupObject(
          "Environment",
          { name: "embedded-env" },
          sources({ "cmf:emulator": dataFile, "cmf:url": emulator.url }, { CMF_EMULATOR: "ignored.json" }),
        ).catch((error: Error) => error);
        // cmf:url and cmf:emulator both in the configuration: refused, as for the resources.
        expect(found).toBeInstanceOf(ConnectionSettingsError);
        const viaConfig = await lookupObject(
          "Environment",
          { name: "embedded-env" },
          sources({ "cmf:emulator": dataFile }),
        );
        expect(viaConfig.kubernetesNamespace).toBe("flink-local");
        // CMF_EMULATOR when the configuration says nothing; the configuration's url outranks it.
        const viaEnv = await lookupObject(
          "Environment",
          { name: "embedded-env" },
          sources({}, { CMF_EMULATOR: dataFile }),
        );
        expect(viaEnv.name).toBe("embedded-env");
        const urlWins = await caught(
          lookupObject(
            "Environment",
            { name: "embedded-env" },
            sources({ "cmf:url": empty.url, "cmf:token": OTHER_TOKEN }, { CMF_EMULATOR: dataFile }),
          ),
        );
        expect(urlWins.message).toContain(`not found at ${empty.url}.`);
        const missing = await caught(
          lookupObject("Environment", { name: "nope-env" }, sources({ "cmf:emulator": dataFile })),
        );
        expect(missing.message).toContain(`not found at the embedded emulator (cmf:emulator: ${dataFile}).`);
        // Never written to, and every copy removed.
        expect(fs.readFileSync(dataFile, "utf8")).toBe(stored);
        expect(snapshots()).toEqual(snapshotsBefore);
      } finally {
        await holder.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
      // A data file that does not exist yet: an emulator that never stored anything.
      const none = await caught(
        lookupObject("Environment", { name: "embedded-env" }, sources({ "cmf:emulator": dataFile })),
      );
      expect(none).toBeInstanceOf(ObjectNotFoundError);
    });
  });
});
