/**
 * `npm run demo [-- up|preview|refresh|destroy]`: the quickstart project (root Pulumi.yaml, program in
 * examples/quickstart) against the embedded CMF emulator, with everything kept in `.pulumi-demo/`.
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

function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(1);
}

function parseAction(arg: string | undefined): Action {
  const action = arg ?? "up";
  if (!(ACTIONS as readonly string[]).includes(action)) {
    fail(`unknown action '${action}'; use one of: ${ACTIONS.join(", ")}`);
  }
  return action as Action;
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

function main(): void {
  const action = parseAction(process.argv[2]);
  const demoDir = path.resolve(process.env.PULUMI_CMF_DEMO_DIR ?? path.join(REPO, ".pulumi-demo"));
  const stack = process.env.PULUMI_CMF_DEMO_STACK ?? "quickstart";
  const configFile = path.join(demoDir, `Pulumi.${stack}.yaml`);
  const emulatorFile = path.join(demoDir, "cmf-emulator.json");

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
      cwd: REPO,
      env,
      stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit",
    });
    return result.status ?? 1;
  };
  const inStack = (args: string[]) => [...args, "--stack", stack, "--config-file", configFile];

  if (pulumi(["stack", "select", "--create", stack], true) !== 0)
    fail(`could not select the stack '${stack}'`);
  // Creating the stack writes its secrets salt next to Pulumi.yaml; the demo keeps its config in its folder.
  const rootConfig = path.join(REPO, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(rootConfig) && !fs.existsSync(configFile)) fs.renameSync(rootConfig, configFile);
  if (pulumi(inStack(["config", "set", "cmf:emulator", emulatorFile]), true) !== 0) {
    fail("could not set cmf:emulator");
  }

  const args: Record<Action, string[]> = {
    up: ["up", "--yes", "--skip-preview"],
    preview: ["preview"],
    refresh: ["refresh", "--yes", "--skip-preview"],
    destroy: ["destroy", "--yes", "--skip-preview"],
  };
  const status = pulumi(inStack(args[action]));
  if (status === 0 && action === "up") {
    process.stdout.write(
      `\nThe emulator keeps its data in ${displayPath(emulatorFile)}. ` +
        "Run `npm run demo` again to see no changes, `npm run demo -- destroy` to remove everything.\n",
    );
  }
  process.exit(status);
}

main();
