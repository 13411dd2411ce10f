/**
 * The README's quickstart: `npm run demo` twice (the second run changes nothing), then
 * `npm run demo -- destroy`, which leaves the embedded emulator empty. `npm run demo` compiles and then
 * runs dist/scripts/demo.js; `npm test` has compiled already, so the test runs the script directly
 * (recompiling while other test files read dist/ would race them).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { CmfEmulator } from "pulumi-cmf/emulator";
import { describeWithPulumi, makeTempDir } from "../support/pulumi";

const execFileAsync = promisify(execFile);
const REPO = path.resolve(__dirname, "../..");
const DEMO = path.join(REPO, "dist", "scripts", "demo.js");

describeWithPulumi("npm run demo (quickstart on the embedded emulator)", () => {
  jest.setTimeout(5 * 60 * 1000);
  const demoDir = makeTempDir("demo");
  const stack = `demo-test-${process.pid}`;

  async function demo(...args: string[]): Promise<string> {
    const { stdout } = await execFileAsync(process.execPath, [DEMO, ...args], {
      cwd: REPO,
      env: { ...process.env, PULUMI_CMF_DEMO_DIR: demoDir, PULUMI_CMF_DEMO_STACK: stack },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  }

  afterAll(() => fs.rmSync(path.join(REPO, `Pulumi.${stack}.yaml`), { force: true }));

  it("is what the README and package.json say", () => {
    const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toContain("npm run demo -- destroy");
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
    expect(pkg.scripts.demo).toMatch(/&& node dist\/scripts\/demo\.js$/);
  });

  it("creates the environment and a RUNNING application, then changes nothing on a second run", async () => {
    const first = await demo();
    expect(first).toMatch(/\+ +3 created/);
    expect(first).toMatch(/environmentName\s*: "demo"/);
    expect(first).toMatch(/applicationName\s*: "orders"/);
    expect(first).toMatch(/jobState\s*: "RUNNING"/);

    const second = await demo();
    expect(second).toMatch(/3 unchanged/);
    expect(second).not.toMatch(/created|updated|replaced/);
    expect(fs.existsSync(path.join(REPO, `Pulumi.${stack}.yaml`))).toBe(false);
  });

  it("destroy removes everything from the emulator", async () => {
    const out = await demo("destroy");
    expect(out).toMatch(/- +3 deleted/);
    const emulator = await CmfEmulator.start({ dataFile: path.join(demoDir, "cmf-emulator.json") });
    try {
      const res = await fetch(`${emulator.url}/cmf/api/v1/environments`);
      const page = (await res.json()) as { items: unknown[]; metadata: { size: number } };
      expect(page.metadata.size).toBe(0);
    } finally {
      await emulator.close();
    }
  });
});
