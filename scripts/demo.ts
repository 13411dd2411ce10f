/**
 * `npm run demo [-- [sql] up|preview|refresh|destroy]`: the quickstart project (root Pulumi.yaml, program
 * in examples/quickstart) against the embedded CMF emulator, with everything kept in `.pulumi-demo/`.
 * With `sql` first: examples/flink-sql instead (CMF SQL: secret, catalog, database, pool, DDL and a
 * streaming INSERT), copied into the demo folder as its README says, on the same emulator. It is a demo of
 * its own rather than part of the quickstart because loading the emulator's SQL parser makes every `up`
 * about 40% slower.
 *
 * Nothing global is touched: the Pulumi home, the state backend, the stack's config file and the emulator's
 * data file all live in the demo folder, passed to `pulumi` through per-process variables and flags.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { offlinePulumiEnv } from "./pulumi-env";

const REPO = path.resolve(__dirname, "..", "..");
const ACTIONS = ["up", "preview", "refresh", "destroy"] as const;
type Action = (typeof ACTIONS)[number];
/** The word before the action that selects examples/flink-sql. */
const SQL = "sql";
/** The example's `kafkaJaasConfig` (secret config): the emulator connects to no Kafka, any value does. */
const DEMO_JAAS_CONFIG =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="demo" password="demo";';

function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(1);
}

function parseArgs(args: string[]): { sql: boolean; action: Action } {
  const sql = args[0] === SQL;
  const action = (sql ? args[1] : args[0]) ?? "up";
  if (!(ACTIONS as readonly string[]).includes(action)) {
    fail(`unknown action '${action}'; use one of: ${ACTIONS.join(", ")} (after '${SQL}' for the SQL demo)`);
  }
  return { sql, action: action as Action };
}

/** The foundation script finds or builds the CLI; its progress goes straight to the terminal. */
function pulumiBinDir(): string {
  const result = spawnSync("bash", [path.join(REPO, "scripts", "pulumi-cli.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (result.status !== 0) {
    fail(
      "the Pulumi CLI is not available and could not be built.\n" +
        "  Install it from https://www.pulumi.com/docs/iac/download-install/ (any version >= 3.180),\n" +
        "  or install Go >= 1.26 so that scripts/pulumi-cli.sh can build it, then run `npm run demo` again.",
    );
  }
  return result.stdout.trim().split("\n").pop() ?? "";
}

/**
 * The dynamic-provider process loads `pulumi-cmf/provider` by package name from its working directory, the
 * repo root, where the package is not in node_modules (a user's project has it there). NODE_PATH points that
 * lookup at a folder holding a `pulumi-cmf` link to this checkout.
 */
function packageLinkDir(demoDir: string): string {
  const dir = path.join(demoDir, "node_path");
  const link = path.join(dir, "pulumi-cmf");
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(link)) fs.symlinkSync(REPO, link, "dir");
  return dir;
}

function displayPath(file: string): string {
  const relative = path.relative(REPO, file);
  return relative.startsWith("..") ? file : relative;
}

/**
 * `cp -r examples/flink-sql` into the demo folder (the README's first step), again at each run so that the
 * program is the checkout's; the stack config written there stays. node_modules links the checkout's.
 */
function sqlProject(demoDir: string): string {
  const source = path.join(REPO, "examples", "flink-sql");
  const dir = path.join(demoDir, "flink-sql");
  fs.cpSync(source, dir, { recursive: true });
  const modules = path.join(dir, "node_modules");
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(REPO, "node_modules"), modules, "dir");
  return dir;
}

function main(): void {
  const { sql, action } = parseArgs(process.argv.slice(2));
  const demoDir = path.resolve(process.env.PULUMI_CMF_DEMO_DIR ?? path.join(REPO, ".pulumi-demo"));
  const stack = sql ? "demo" : (process.env.PULUMI_CMF_DEMO_STACK ?? "quickstart");
  const emulatorFile = path.join(demoDir, "cmf-emulator.json");
  fs.mkdirSync(demoDir, { recursive: true });
  const projectDir = sql ? sqlProject(demoDir) : REPO;
  // The quickstart's config lives in the demo folder, not next to the checkout's Pulumi.yaml; the SQL
  // example's copy is in the demo folder already.
  const configFile = path.join(sql ? projectDir : demoDir, `Pulumi.${stack}.yaml`);

  const binDir = pulumiBinDir();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...offlinePulumiEnv({
      pulumiHome: path.join(demoDir, "home"),
      backendDir: path.join(demoDir, "state"),
      binDir,
    }),
    NODE_PATH: [packageLinkDir(demoDir), process.env.NODE_PATH].filter(Boolean).join(path.delimiter),
    // `npm run typecheck` checks the example; compiling it without type checking keeps each run quick.
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };

  const pulumi = (args: string[], quiet = false): number => {
    const result = spawnSync("pulumi", args, {
      cwd: projectDir,
      env,
      stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit",
    });
    return result.status ?? 1;
  };
  const inStack = (args: string[]) => [...args, "--stack", stack, "--config-file", configFile];

  if (pulumi(["stack", "select", "--create", stack], true) !== 0)
    fail(`could not select the stack '${stack}'`);
  // Creating the stack writes its secrets salt next to Pulumi.yaml; the demo keeps its config in its folder.
  const rootConfig = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(rootConfig) && !fs.existsSync(configFile)) fs.renameSync(rootConfig, configFile);
  const config = sql
    ? [
        "config",
        "set-all",
        "--plaintext",
        `cmf:emulator=${emulatorFile}`,
        "--secret",
        `kafkaJaasConfig=${DEMO_JAAS_CONFIG}`,
      ]
    : ["config", "set", "cmf:emulator", emulatorFile];
  if (pulumi(inStack(config), true) !== 0) fail("could not set the stack configuration");

  const args: Record<Action, string[]> = {
    up: ["up", "--yes", "--skip-preview"],
    preview: ["preview"],
    refresh: ["refresh", "--yes", "--skip-preview"],
    destroy: ["destroy", "--yes", "--skip-preview"],
  };
  const status = pulumi(inStack(args[action]));
  if (status === 0 && action === "up") {
    const again = sql ? `npm run demo -- ${SQL}` : "npm run demo";
    process.stdout.write(
      `\nThe emulator keeps its data in ${displayPath(emulatorFile)}. ` +
        `Run \`${again}\` again to see no changes, \`npm run demo -- ${sql ? `${SQL} ` : ""}destroy\` to remove ` +
        (sql
          ? "it. examples/flink-sql/README.md says what each resource does and how to run the example on its own.\n"
          : "everything. `npm run demo -- sql` shows CMF SQL.\n"),
    );
  }
  process.exit(status);
}

main();
