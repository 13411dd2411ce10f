/**
 * CPU time of whole processes, all threads included. A V8 profile samples the main thread only, so
 * garbage collection's helper threads and the optimising compiler's are missing from it; and the
 * engine (the `pulumi` CLI, a Go process) is not profiled at all. Linux only: elsewhere the figures
 * are left out.
 */
import * as fs from "node:fs";

/** Clock ticks per second of `/proc` times: USER_HZ, 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

export interface StatTimes {
  /** This process's own user + system time, ms. */
  selfMs: number;
  /** User + system time of its children that it has waited for (and of theirs), ms. */
  childrenMs: number;
}

/**
 * Parses the text of `/proc/<pid>/stat`. The command name (second field) is in parentheses and may
 * hold spaces or parentheses itself, so the fields are counted from the last ")".
 */
export function parseProcStat(text: string): StatTimes {
  const close = text.lastIndexOf(")");
  if (close < 0) throw new Error("not a /proc/<pid>/stat line");
  // Fields from the third on: state(3) … utime(14) stime(15) cutime(16) cstime(17).
  const fields = text.slice(close + 2).split(" ");
  const ticks = (n: number) => {
    const value = Number(fields[n - 3]);
    if (!Number.isFinite(value)) throw new Error(`/proc stat field ${n} is not a number`);
    return value;
  };
  const ms = (t: number) => (t * 1000) / TICKS_PER_SECOND;
  return { selfMs: ms(ticks(14) + ticks(15)), childrenMs: ms(ticks(16) + ticks(17)) };
}

/** This process's times, or undefined where there is no `/proc`. */
export function ownStatTimes(): StatTimes | undefined {
  try {
    return parseProcStat(fs.readFileSync("/proc/self/stat", "utf8"));
  } catch {
    return undefined;
  }
}
