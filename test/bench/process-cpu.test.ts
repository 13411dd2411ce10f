import { ownStatTimes, parseProcStat } from "../../bench/process-cpu";

describe("whole-process CPU from /proc", () => {
  it("reads utime+stime and cutime+cstime, counting fields from the command name's last parenthesis", () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
    const line = "4242 (node (a) b) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 30 1200 80 20 0 11 0";
    expect(parseProcStat(line)).toEqual({ selfMs: 2800, childrenMs: 12800 });
  });

  it("rejects what is not a stat line", () => {
    expect(() => parseProcStat("nothing here")).toThrow(/not a \/proc/);
    expect(() => parseProcStat("1 (x) S 1")).toThrow(/field 14 is not a number/);
  });

  it("counts a waited-for child's CPU in this process's children time", () => {
    const before = ownStatTimes();
    if (before === undefined) return; // no /proc on this platform: the benchmark leaves the figure out
    const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
    // A child that burns 300 ms of CPU (not of wall time: a loaded machine would give it less), then is
    // waited for.
    const burn = "while ((process.cpuUsage().user + process.cpuUsage().system) / 1000 < 300);";
    spawnSync(process.execPath, ["-e", burn]);
    const after = ownStatTimes();
    expect(after!.childrenMs - before.childrenMs).toBeGreaterThanOrEqual(200);
  });
});
