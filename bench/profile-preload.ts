/**
 * Loaded with `node --require` into the dynamic-provider process by the profile benchmark. `--cpu-prof`
 * alone writes nothing there: the engine ends its plugins with SIGINT, which skips node's exit hooks. So
 * this profiles through the inspector and writes the profile itself on SIGINT, SIGTERM or exit, with
 * the process's CPU time (all threads) beside it.
 */
import * as fs from "node:fs";
import * as inspector from "node:inspector";
import * as path from "node:path";

const dir = process.env.PULUMI_CMF_PROFILE_DIR;
if (dir && process.argv.some((arg) => arg.includes("dynamic-provider"))) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  session.post("Profiler.start");
  let written = false;
  // An in-thread inspector session answers synchronously, so this completes before the process ends.
  const write = () => {
    if (written) return;
    written = true;
    session.post("Profiler.stop", (error, result) => {
      if (!error) {
        fs.writeFileSync(
          path.join(dir, `provider-${process.pid}.cpuprofile`),
          JSON.stringify(result.profile),
        );
      }
    });
    // The whole process, all threads: the profile above samples the main thread only.
    const usage = process.cpuUsage();
    fs.writeFileSync(
      path.join(dir, `provider-${process.pid}.usage.json`),
      JSON.stringify({ cpuMs: (usage.user + usage.system) / 1000 }),
    );
  };
  process.on("exit", write);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      write();
      process.exit(0);
    });
  }
}
