/**
 * The plugin process's life: it ends on SIGTERM, even one sent as soon as it prints its port, and on
 * its own when the engine that started it dies without closing it (a crashed or killed `pulumi`), so
 * that no plugin is ever left behind.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { signalProbe, SIGTERM_LISTENERS } from "../support/signal-probe";
import { builtPlugin } from "./plugin-process";

function alive(pid: number): boolean {
  // A zombie (exited, not yet reaped) counts as gone.
  try {
    return !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

describe("the plugin process", () => {
  it("exits by itself when the process that started it is killed", async () => {
    const launcher = path.join((await builtPlugin()).binDir, "pulumi-resource-cmf");
    // A stand-in for the engine: starts the plugin, reports its pid and port, then is SIGKILLed.
    const engine = spawn(
      process.execPath,
      [
        "-e",
        `const c = require("node:child_process").spawn(${JSON.stringify(launcher)}, ["127.0.0.1:1"], { stdio: ["ignore", "pipe", "inherit"] });
         c.stdout.once("data", (d) => process.stdout.write(c.pid + " " + d));
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const [pid, port] = await new Promise<number[]>((resolve, reject) => {
      engine.once("exit", () => reject(new Error("the stand-in engine exited early")));
      engine.stdout?.once("data", (d: Buffer) => resolve(String(d).trim().split(/\s+/).map(Number)));
    });
    expect(port).toBeGreaterThan(0);
    expect(alive(pid)).toBe(true);
    engine.kill("SIGKILL");
    const gone = await waitGone(pid, 5_000);
    if (!gone) process.kill(pid, "SIGKILL");
    expect(gone).toBe(true);
  });

  it("handles SIGTERM from the moment it prints its port", async () => {
    const launcher = path.join((await builtPlugin()).binDir, "pulumi-resource-cmf");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-plugin-signal-"));
    const child = spawn(launcher, ["127.0.0.1:1"], {
      env: { ...process.env, NODE_OPTIONS: signalProbe(dir, /^\d+\n$/) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += String(d)));
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.once("exit", () => reject(new Error(`the plugin exited early: ${stderr}`)));
        child.stdout?.once("data", () => resolve());
      });
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
      expect(SIGTERM_LISTENERS.exec(stderr)?.[1]).toBe("1");
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
