/**
 * A Pulumi YAML program using the `cmf` plugin, run by the real `pulumi` CLI and the real
 * `pulumi-language-yaml`, as a user runs it: up, no-op preview, update (with a detailed diff), refresh
 * with drift, `pulumi import`, destroy — once against a standalone emulator (URL + secret token in the
 * stack configuration) and once against the embedded emulator (`cmf:emulator`); and the CMF SQL kinds
 * from a second program.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import type { PulumiTools } from "../../scripts/pulumi-env";
import {
  makePulumiSandbox,
  makeTempDir,
  requirePulumi,
  runPulumi,
  type PulumiSandbox,
} from "../support/pulumi";
import { archivePlugin, packageVersion } from "../../provider/plugin/build";
import { builtPlugin } from "./plugin-process";
import { describeWhen, findYamlHost, reapProcesses } from "./toolchains";

const TOKEN = "yaml-plugin-token-7";
const SECOND_TOKEN = "yaml-second-token-9";

/** The program; with `pluginDir`, Pulumi.yaml names the plugin's folder (local development). */
function program(pluginDir?: string): string {
  const plugins = pluginDir ? `plugins:\n  providers:\n    - name: cmf\n      path: ${pluginDir}\n` : "";
  return `name: cmf-yaml
runtime: yaml
${plugins}config:
  parallelism:
    type: integer
    default: 1
  secondUrl:
    type: string
  secondToken:
    type: string
    secret: true
resources:
  # A second CMF through an explicit provider: its settings come from here, never from cmf:*.
  second-cmf:
    type: pulumi:providers:cmf
    properties:
      url: \${secondUrl}
      token: \${secondToken}
  second:
    type: cmf:index:Environment
    properties:
      name: yaml-second
      kubernetesNamespace: flink-second
    options:
      provider: \${second-cmf}
  prod:
    type: cmf:index:Environment
    properties:
      name: yaml-prod
      kubernetesNamespace: flink-prod
  orders:
    type: cmf:index:Application
    properties:
      environment: \${prod.name}
      spec:
        image: confluentinc/cp-flink:1.19.3-cp2
        flinkVersion: v1_19
        serviceAccount: flink
        flinkConfiguration:
          taskmanager.numberOfTaskSlots: 2
        jobManager:
          resource: { cpu: 1, memory: 1024m }
        taskManager:
          resource: { cpu: 1, memory: 1024m }
        job:
          jarURI: local:///opt/flink/examples/streaming/StateMachineExample.jar
          parallelism: \${parallelism}
          state: running
          upgradeMode: stateless
    options:
      customTimeouts:
        create: 2m
        update: 2m
outputs:
  jobState: \${orders.status.jobState}
  parallelism: \${orders.spec.job.parallelism}
`;
}

const SQL_SECRET_VALUE = "user=alice password=yaml-Secret-Value-31";

/** CMF SQL from YAML: a secret and its mapping, a catalog and database, a pool, DDL and a streaming INSERT. */
function sqlProgram(pluginDir: string): string {
  return `name: cmf-yaml-sql
runtime: yaml
plugins:
  providers:
    - name: cmf
      path: ${pluginDir}
config:
  stopped:
    type: boolean
    default: false
resources:
  env:
    type: cmf:index:Environment
    properties:
      name: yaml-sql
      kubernetesNamespace: flink-sql
  creds:
    type: cmf:index:Secret
    properties:
      name: yaml-kafka-creds
      data:
        sasl.jaas.config: "${SQL_SECRET_VALUE}"
  conn:
    type: cmf:index:SecretMapping
    properties:
      environment: \${env.name}
      name: kafka-conn
      secretName: \${creds.name}
  catalog:
    type: cmf:index:KafkaCatalog
    properties:
      name: yaml-cat
      spec:
        srInstance:
          connectionConfig:
            schema.registry.url: http://sr:8081
          connectionSecretId: \${conn.name}
  db:
    type: cmf:index:KafkaDatabase
    properties:
      catalog: \${catalog.name}
      name: yaml-db
      spec:
        kafkaCluster:
          connectionConfig:
            bootstrap.servers: kafka:9092
          connectionSecretId: \${conn.name}
  pool:
    type: cmf:index:ComputePool
    properties:
      environment: \${env.name}
      name: yaml-pool
      spec:
        type: SHARED
        clusterSpec:
          flinkVersion: v1_19
          image: confluentinc/cp-flink-sql:1.19-cp1
          jobManager:
            resource: { cpu: 0.5, memory: 1024m }
          taskManager:
            resource: { cpu: 1, memory: 1024m }
  orders-table:
    type: cmf:index:Statement
    properties:
      environment: \${env.name}
      name: create-orders
      spec:
        statement: CREATE TABLE orders (id INT, amount DOUBLE) WITH ('connector' = 'datagen')
        computePoolName: \${pool.name}
      onDestroy: DROP TABLE orders
  sink-table:
    type: cmf:index:Statement
    properties:
      environment: \${env.name}
      name: create-sink
      spec:
        statement: CREATE TABLE sink (id INT, amount DOUBLE) WITH ('connector' = 'blackhole')
        computePoolName: \${pool.name}
      onDestroy: DROP TABLE sink
  insert:
    type: cmf:index:Statement
    properties:
      environment: \${env.name}
      name: insert-orders
      spec:
        statement: INSERT INTO sink SELECT id, amount FROM orders
        computePoolName: \${pool.name}
        stopped: \${stopped}
    options:
      dependsOn:
        - \${orders-table}
        - \${sink-table}
outputs:
  insertPhase: \${insert.phase}
`;
}

interface StackState {
  resources: { type: string; id?: string; outputs?: Record<string, unknown> }[];
}

function toolchain(): { tools: PulumiTools; yamlBin: string } | { missing: string } {
  const tools = requirePulumi();
  if (!tools) return { missing: "the Pulumi CLI" };
  const yaml = findYamlHost();
  return "missing" in yaml ? yaml : { tools, yamlBin: yaml.binDir };
}

describeWhen("cmf plugin from a Pulumi YAML program (real CLI)", toolchain(), ({ tools, yamlBin }) => {
  jest.setTimeout(10 * 60 * 1000);
  let emulator: CmfEmulator;
  let secondEmulator: CmfEmulator;
  let second: CmfClient;
  let client: CmfClient;
  let pluginDir: string;

  beforeAll(async () => {
    emulator = await CmfEmulator.start({ token: TOKEN, lifecycle: "instant" });
    secondEmulator = await CmfEmulator.start({ token: SECOND_TOKEN, lifecycle: "instant" });
    second = new CmfClient({ url: secondEmulator.url, token: SECOND_TOKEN });
    client = new CmfClient({ url: emulator.url, token: TOKEN });
    pluginDir = (await builtPlugin()).binDir;
  });

  afterAll(async () => {
    await client?.close();
    await emulator?.close();
    await second?.close();
    await secondEmulator?.close();
    if (pluginDir) await reapProcesses(pluginDir);
  });

  function project(
    prefix: string,
    plugin: "path" | "installed" = "path",
  ): {
    sandbox: PulumiSandbox;
    dir: string;
    run: (...args: string[]) => Promise<string>;
  } {
    const sandbox = makePulumiSandbox(tools, prefix);
    sandbox.env.PATH = [yamlBin, sandbox.env.PATH].join(path.delimiter);
    const dir = makeTempDir(`${prefix}-project`);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), program(plugin === "path" ? pluginDir : undefined));
    const run = async (...args: string[]) => (await runPulumi(sandbox, dir, args)).stdout;
    return { sandbox, dir, run };
  }

  async function initStack(run: (...args: string[]) => Promise<string>): Promise<void> {
    await run("stack", "init", "dev");
    await run("config", "set", "secondUrl", secondEmulator.url);
    await run("config", "set", "--secret", "secondToken", SECOND_TOKEN);
  }

  async function exportState(run: (...args: string[]) => Promise<string>): Promise<StackState> {
    return (JSON.parse(await run("stack", "export")) as { deployment: StackState }).deployment;
  }

  async function lifecycle(run: (...args: string[]) => Promise<string>, cmf: CmfClient, dir: string) {
    const up = await run("up", "--yes", "--skip-preview");
    expect(up).toMatch(/\+ +cmf:index:Application +orders +created/);
    expect(up).toMatch(/jobState +: "RUNNING"/);
    expect((await second.environments.get("yaml-second"))?.kubernetesNamespace).toBe("flink-second");
    expect(await cmf.environments.get("yaml-second")).toBeUndefined();
    expect(
      (await cmf.applications.get("yaml-prod", "orders"))?.metadata.annotations?.["pulumi-cmf/owner"],
    ).toBe("cmf-yaml/dev/orders");

    expect(await run("preview", "--expect-no-changes")).toMatch(/5 unchanged/);

    await run("config", "set", "parallelism", "3");
    const preview = await run("preview", "--diff");
    // The detailed diff names the leaf that changes.
    expect(preview).toMatch(/~ ?parallelism *: 1 => 3/);
    const update = await run("up", "--yes", "--skip-preview");
    expect(update).toMatch(/1 updated/);
    expect((await cmf.applications.get("yaml-prod", "orders"))?.spec.job?.parallelism).toBe(3);

    // Drift: someone labels the application behind Pulumi's back; refresh records it.
    const live = await cmf.applications.get("yaml-prod", "orders");
    await cmf.applications.upsert("yaml-prod", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      metadata: { ...live!.metadata, labels: { drifted: "yes" } },
      spec: live!.spec,
    });
    const refresh = await run("refresh", "--yes", "--skip-preview");
    expect(refresh).toMatch(/1 updated/);
    const refreshed = (await exportState(run)).resources.find((r) => r.type === "cmf:index:Application");
    expect(refreshed?.outputs?.labels).toEqual({ drifted: "yes" });
    // The program has no labels, so the next up takes them away again.
    expect(await run("preview", "--diff")).toMatch(/- ?labels/);

    // pulumi import: an application made outside Pulumi, adopted by id, with matching YAML printed.
    await cmf.applications.upsert("yaml-prod", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "FlinkApplication",
      metadata: { name: "made-by-hand" },
      spec: live!.spec,
    });
    const imported = await run(
      "import",
      "cmf:index:Application",
      "handmade",
      "yaml-prod/made-by-hand",
      "--yes",
      "--protect=false",
    );
    expect(imported).toMatch(/1 imported/);
    // The code to paste into the program: YAML's short token, the inputs that reproduce the object.
    expect(imported).toMatch(
      /type: cmf:Application\n\s+properties:\n\s+environment: yaml-prod\n\s+name: made-by-hand/,
    );
    expect(imported).toMatch(/parallelism: 3/);
    const state = await exportState(run);
    expect(state.resources.find((r) => r.id === "yaml-prod/made-by-hand")?.type).toBe(
      "cmf:index:Application",
    );
    // As the CLI says: the code goes into the program (with the environment as a reference, so that
    // Pulumi orders the deletes); the next up then has nothing to change on it.
    const file = path.join(dir, "Pulumi.yaml");
    const text = fs.readFileSync(file, "utf8");
    const orders = text.slice(text.indexOf("  orders:\n"), text.indexOf("outputs:"));
    const handmade = orders
      .replace("  orders:\n", "  handmade:\n")
      .replace("environment: ${prod.name}\n", "environment: ${prod.name}\n      name: made-by-hand\n");
    fs.writeFileSync(file, text.replace("outputs:", `${handmade}outputs:`));
    const adopted = await run("up", "--yes", "--skip-preview");
    expect(adopted).not.toMatch(/handmade +(updated|replaced|created)/);

    const destroy = await run("destroy", "--yes", "--skip-preview");
    expect(destroy).toMatch(/deleted/);
    expect(await cmf.applications.get("yaml-prod", "orders")).toBeUndefined();
    expect(await cmf.applications.get("yaml-prod", "made-by-hand")).toBeUndefined();
    expect(await cmf.environments.get("yaml-prod")).toBeUndefined();
    expect(await second.environments.get("yaml-second")).toBeUndefined();
  }

  it("standalone emulator: up, no-op preview, update, refresh with drift, import, destroy", async () => {
    const { run, dir } = project("yaml-standalone");
    await initStack(run);
    await run("config", "set", "cmf:url", emulator.url);
    await run("config", "set", "--secret", "cmf:token", TOKEN);
    await lifecycle(run, client, dir);
    // The token is in the state only encrypted.
    expect(await run("stack", "export")).not.toContain(TOKEN);
  });

  it("installed from the archive, embedded emulator (cmf:emulator): up, preview, update, refresh, destroy", async () => {
    const { dir, run, sandbox } = project("yaml-embedded", "installed");
    // As a user installs it: no plugins path in Pulumi.yaml, the plugin comes from the plugin cache.
    const archive = archivePlugin(await builtPlugin(), makeTempDir("plugin-archive"));
    await run("plugin", "install", "resource", "cmf", packageVersion(), "--file", archive);
    const schema = JSON.parse(await run("package", "get-schema", "cmf")) as { resources: object };
    expect(Object.keys(schema.resources)).toContain("cmf:index:Application");
    await initStack(run);
    await run("config", "set", "cmf:emulator", "cmf-state.json");
    // The test reads the embedded emulator's state through its own server on the same file afterwards;
    // during the run, the plugin's emulator is the only one: check its effects through Pulumi instead.
    const up = await run("up", "--yes", "--skip-preview");
    expect(up).toMatch(/jobState +: "RUNNING"/);
    expect(fs.existsSync(path.join(dir, "cmf-state.json"))).toBe(true);
    expect(await run("preview", "--expect-no-changes")).toMatch(/5 unchanged/);
    await run("config", "set", "parallelism", "2");
    expect(await run("up", "--yes", "--skip-preview")).toMatch(/1 updated/);
    expect(await run("refresh", "--yes", "--skip-preview")).toMatch(/5 unchanged/);
    const onDisk = await CmfEmulator.start({ dataFile: path.join(dir, "cmf-state.json") });
    const reader = new CmfClient({ url: onDisk.url });
    try {
      expect((await reader.applications.get("yaml-prod", "orders"))?.spec.job?.parallelism).toBe(2);
    } finally {
      await reader.close();
      await onDisk.close();
    }
    expect(await run("destroy", "--yes", "--skip-preview")).toMatch(/deleted/);
    // The installed plugin runs from the sandbox's plugin cache: none of its processes is left.
    expect(await reapProcesses(sandbox.root)).toEqual([]);
  });

  it("CMF SQL from YAML: secret, mapping, catalog, database, pool and statements; stop by config; destroy", async () => {
    const { run, dir } = project("yaml-sql");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), sqlProgram(pluginDir));
    await run("stack", "init", "dev");
    await run("config", "set", "cmf:url", emulator.url);
    await run("config", "set", "--secret", "cmf:token", TOKEN);

    const up = await run("up", "--yes", "--skip-preview");
    expect(up).toMatch(/10 created/); // 9 CMF objects and the stack
    expect(up).toMatch(/insertPhase *: "RUNNING"/);
    expect((await client.secretMappings.get("yaml-sql", "kafka-conn"))?.spec?.secretName).toBe(
      "yaml-kafka-creds",
    );
    expect(await client.kafkaDatabases.get("yaml-cat", "yaml-db")).toBeDefined();
    expect((await client.statements.get("yaml-sql", "insert-orders"))?.status?.phase).toBe("RUNNING");
    expect(await run("preview", "--expect-no-changes")).toMatch(/10 unchanged/);
    // The secret's value is a secret: never in the state in plain text.
    expect(await run("stack", "export")).not.toContain(SQL_SECRET_VALUE);

    // Stop the streaming statement by a config flag: an update in place, not a replacement.
    await run("config", "set", "stopped", "true");
    const stop = await run("up", "--yes", "--skip-preview");
    expect(stop).toMatch(/1 updated/);
    expect((await client.statements.get("yaml-sql", "insert-orders"))?.status?.phase).toBe("STOPPED");

    expect(await run("destroy", "--yes", "--skip-preview")).toMatch(/10 deleted/);
    expect(await client.environments.get("yaml-sql")).toBeUndefined();
    expect(await client.secrets.get("yaml-kafka-creds")).toBeUndefined();
    expect(await client.kafkaCatalogs.get("yaml-cat")).toBeUndefined();
  });

  it("leaves no plugin process behind", async () => {
    expect(await reapProcesses(pluginDir)).toEqual([]);
  });
});
