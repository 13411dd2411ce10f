/** Starts a server as a child process and reads the URL it announces on its first line of output. */
import { spawn, type ChildProcess } from "node:child_process";

export interface ChildServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function startChildServer(command: string, args: string[], timeoutMs = 20_000): Promise<ChildServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${args.join(" ")} did not announce a URL within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /listening on (\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.removeAllListeners("data");
      child.stdout?.resume();
      resolve({
        url: match[1],
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited with code ${code} before announcing a URL`));
    });
  });
}
