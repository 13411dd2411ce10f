/**
 * Installing pulumi-cmf as a user does today, then the README's "Using it in your project" word for word.
 *
 * 1. `npm pack` in a copy of this working tree without dist/ (a fresh clone): `prepack` builds, and the
 *    tarball holds the compiled package.
 * 2. In an empty directory, every command and file of the README section, with five substitutions: the
 *    tarball's path, the URL of a standalone emulator for `https://cmf.example.com:8080` (its token in
 *    token.txt), `pulumi up --yes` for the interactive `pulumi up`, a state folder of the test's own for
 *    `pulumi login --local` (whose `~` is the account's home from /etc/passwd, whatever $HOME says, and
 *    must not be touched), and, with PULUMI_CMF_SDK_VERSION set
 *    (`.ci/run` sets the lowest version package.json claims), `@pulumi/pulumi@<that version>`. The
 *    Pulumi CLI step is the one thing not run: the CLI comes from scripts/pulumi-cli.sh. npm installs
 *    from the registry through the user's npm cache.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CmfEmulator } from "pulumi-cmf/emulator";
import { describeWithPulumi, makeTempDir } from "../support/pulumi";
import { copyWorkingTree } from "../support/working-tree";

const REPO = path.resolve(__dirname, "../..");
const README = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
const TOKEN = "user-project-token-7c1d";

/** The README section between `## <title>` and the next `## `. */
function readmeSection(title: string): string {
  const start = README.indexOf(`## ${title}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = README.indexOf("\n## ", start + 3);
  return README.slice(start, end === -1 ? undefined : end);
}

function run(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", command], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

describeWithPulumi("installing the package and using it in a project, as the README says", (tools) => {
  jest.setTimeout(10 * 60 * 1000);
  let root: string;
  let tarball: string;
  let emulator: CmfEmulator;

  beforeAll(async () => {
    root = makeTempDir("user-project");
    emulator = await CmfEmulator.start({ port: 0, token: TOKEN });
  });

  afterAll(async () => {
    await emulator?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("npm pack on a fresh clone builds dist/ first (prepack) and packs the compiled package", async () => {
    const clone = copyWorkingTree(path.join(root, "clone"));
    expect(fs.existsSync(path.join(clone, "dist"))).toBe(false);
    const packed = await run(`npm pack --pack-destination "${root}"`, clone, process.env);
    expect(packed.code).toBe(0);
    tarball = path.join(root, packed.out.trim().split("\n").pop() as string);
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
    expect(files).toEqual(
      expect.arrayContaining([
        "package/package.json",
        "package/README.md",
        "package/dist/sdk/index.js",
        "package/dist/sdk/index.d.ts",
        "package/dist/sdk/environment-provider.js",
        "package/dist/provider/resources/runtime.js",
        "package/dist/provider/emulator/cli.js",
        "package/dist/provider/node-guard.js",
      ]),
    );
    expect(
      files.filter((f) => /^package\/(test|scripts|examples|dist\/(test|scripts|bench))\//.test(f)),
    ).toEqual([]);
  });

  it("follows 'Using it in your project' in an empty directory: pulumi up creates a RUNNING application", async () => {
    const section = readmeSection("Using it in your project");
    const commands = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
    const files = [...section.matchAll(/^`([^`]+)`(?:[^\n]|\n(?!\n))*:\n\n```\w+\n([\s\S]*?)```/gm)].map(
      (m) => ({
        name: m[1],
        text: m[2],
      }),
    );
    expect(commands).toHaveLength(2);
    expect(files.map((f) => f.name)).toEqual(["Pulumi.yaml", "tsconfig.json", "index.ts"]);

    const sdkVersion = process.env.PULUMI_CMF_SDK_VERSION;
    const setup = commands[0]
      .replaceAll("/path/to/pulumi-cmf-0.1.0.tgz", tarball)
      .replace(
        /(npm install [^\n]*)@pulumi\/pulumi\b/,
        sdkVersion ? `$1@pulumi/pulumi@${sdkVersion}` : "$1@pulumi/pulumi",
      );
    expect(setup).toMatch(/^mkdir flink-infra && cd flink-infra$/m);
    expect(setup).toMatch(/npm install --save-dev typescript@5 @types\/node@22/);

    const home = path.join(root, "home");
    fs.mkdirSync(home);
    const npmCache = execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim();
    // The test's own environment (the machine's proxy and CA settings reach npm), minus any Pulumi
    // settings, with a home of its own.
    const env: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !key.startsWith("PULUMI_") || key.startsWith("PULUMI_CMF_"),
      ),
    );
    Object.assign(env, {
      PATH: [tools.binDir, ...(process.env.PATH ?? "").split(path.delimiter)].join(path.delimiter),
      HOME: home,
      PULUMI_HOME: path.join(home, ".pulumi"),
      npm_config_cache: npmCache,
      npm_config_audit: "false",
      npm_config_fund: "false",
      PULUMI_SKIP_UPDATE_CHECK: "true",
    });
    const installed = await run(setup, root, env);
    expect(installed.out).not.toMatch(/npm error/);
    expect(installed.code).toBe(0);

    const project = path.join(root, "flink-infra");
    for (const file of files) fs.writeFileSync(path.join(project, file.name), file.text);
    fs.writeFileSync(path.join(project, "token.txt"), TOKEN);
    // One copy of the SDK: pulumi-cmf's caret range dedupes with the project's own @pulumi/pulumi.
    expect(fs.existsSync(path.join(project, "node_modules/pulumi-cmf/node_modules/@pulumi/pulumi"))).toBe(
      false,
    );
    const sdk = JSON.parse(
      fs.readFileSync(path.join(project, "node_modules/@pulumi/pulumi/package.json"), "utf8"),
    );
    if (sdkVersion) expect(sdk.version).toBe(sdkVersion);

    const deploy = commands[1]
      .replaceAll("https://cmf.example.com:8080", emulator.url)
      .replace(/^pulumi up$/m, "pulumi up --yes --non-interactive")
      .replace(/^pulumi login --local\b/m, `pulumi login file://${path.join(home, "state")}`);
    fs.mkdirSync(path.join(home, "state"));
    expect(deploy).toMatch(/^pulumi login file:/m);
    expect(deploy).toMatch(/pulumi up --yes/);
    const up = await run(deploy, project, env);
    expect(up.out).toMatch(/\+ +3 created/);
    expect(up.out).toMatch(/jobState: "RUNNING"/);
    expect(up.code).toBe(0);

    const res = await fetch(`${emulator.url}/cmf/api/v1/environments/prod/applications/orders`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const app = (await res.json()) as { status?: { jobStatus?: { state?: string } } };
    expect(app.status?.jobStatus?.state).toBe("RUNNING");
    const state = execFileSync("pulumi", ["stack", "export"], { cwd: project, env, encoding: "utf8" });
    expect(state).not.toContain(TOKEN);
  });
});
