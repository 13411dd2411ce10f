/**
 * The README's emulator commands, run as written: `npm run emulator -- --port …` and every curl block of
 * the README and of docs/emulator.md, with the documented port replaced by the one the emulator got.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const REPO = path.resolve(__dirname, "..");
const README = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
const EMULATOR_DOC = fs.readFileSync(path.join(REPO, "docs", "emulator.md"), "utf8");

function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

function startEmulator(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "emulator", "--", "--port", "0"], {
      cwd: REPO,
      detached: true,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const timer = setTimeout(() => reject(new Error("the emulator did not start within 20 s")), 20_000);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^CMF emulator listening on (\S+)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.once("exit", (code) => reject(new Error(`npm run emulator exited with ${code}: ${output}`)));
  });
}

describe("README: the emulator section works as written", () => {
  let emulator: { child: ChildProcess; url: string };

  beforeAll(async () => {
    expect(README).toContain("npm run emulator -- --port 8080");
    emulator = await startEmulator();
  });

  // Waits for the exit: a child still running when the file ends keeps Jest's worker from exiting.
  afterAll(async () => {
    const child = emulator?.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    await exited;
  });

  it("runs every curl block against the running emulator", async () => {
    const blocks = [...shellBlocks(README), ...shellBlocks(EMULATOR_DOC)].filter((block) =>
      block.includes("curl "),
    );
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    let output = "";
    for (const block of blocks) {
      const script = block.replaceAll("http://127.0.0.1:8080", emulator.url);
      const { stdout } = await execFileAsync("bash", ["-euo", "pipefail", "-c", script]);
      output += stdout;
    }
    expect(output).not.toMatch(/"errors"/);
    expect(output).toMatch(/"name":"curl-lab"/);
    expect(output).toMatch(/"state":"RUNNING"/);
    expect(output).toMatch(/"lifecycleState":"STABLE"/);
    expect(output).toMatch(/"kind":"FlinkApplicationEvent"/);
    const faults = await (await fetch(`${emulator.url}/_emulator/faults`)).json();
    expect(JSON.stringify(faults)).toContain("429");
  });

  it("gives the curl session and the TypeScript example different names (both run against one emulator)", () => {
    const curl = shellBlocks(README)
      .filter((block) => block.includes("curl "))
      .join("\n");
    const typescript = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).join("\n");
    const tsNames = [...typescript.matchAll(/new Cmf\w+\("([^"]+)"/g)].map((m) => m[1]);
    expect(tsNames).toEqual(expect.arrayContaining(["prod", "orders"]));
    for (const name of tsNames) expect(curl).not.toContain(`"name":"${name}"`);
  });
});
