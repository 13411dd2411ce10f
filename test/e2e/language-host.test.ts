/**
 * scripts/pulumi-language-nodejs.js (the language host pulumi-cli.sh installs where the real one is
 * missing) exits when the engine that started it goes away, e.g. `pulumi` killed with SIGKILL: it must
 * never live on as an orphan.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../..");
const HOST = path.join(REPO, "scripts", "pulumi-language-nodejs.js");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the repo's Node.js language host", () => {
  it("exits within seconds once its parent (the engine) is killed", async () => {
    // A stand-in engine: a shell that starts the host, reports its pid and port, and is then SIGKILLed.
    const engine = spawn("sh", ["-c", `"${process.execPath}" "${HOST}" & echo "pid $!"; wait`], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    const hostPid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the host did not start: ${output}`)), 60_000);
      engine.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const pid = /^pid (\d+)$/m.exec(output);
        // The host prints its port once it listens: only then is it fully up.
        if (pid && /^\d+$/m.test(output)) {
          clearTimeout(timer);
          resolve(Number(pid[1]));
        }
      });
    });
    expect(alive(hostPid)).toBe(true);

    engine.kill("SIGKILL");
    const deadline = Date.now() + 10_000;
    while (alive(hostPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const survived = alive(hostPid);
    if (survived) process.kill(hostPid, "SIGKILL");
    expect(survived).toBe(false);
  });
});
