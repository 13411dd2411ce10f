/**
 * Request tracing on stderr when `PULUMI_CMF_DEBUG=1` (read at every call, so it can be switched on in
 * a running process). Lines carry method, path, status, duration and attempt, never headers or bodies:
 * those hold the token and user data.
 */

export const DEBUG_ENV_VAR = "PULUMI_CMF_DEBUG";

export function debugEnabled(): boolean {
  const value = process.env[DEBUG_ENV_VAR];
  return value === "1" || value === "true";
}

export interface AttemptLogEntry {
  readonly method: string;
  readonly path: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly durationMs: number;
  /** HTTP status, or the failure kind and code for a transport failure. */
  readonly result: string;
  /** Set when another attempt follows. */
  readonly retryInMs?: number;
}

export function formatAttemptLog(entry: AttemptLogEntry): string {
  const retry = entry.retryInMs === undefined ? "" : `, retrying in ${entry.retryInMs} ms`;
  return (
    `[pulumi-cmf] ${entry.method} ${entry.path} -> ${entry.result} in ${entry.durationMs.toFixed(1)} ms` +
    ` (attempt ${entry.attempt}/${entry.maxAttempts}${retry})`
  );
}

/** Callers check {@link debugEnabled} first, so that a disabled log costs no entry object. */
export function debugLogAttempt(entry: AttemptLogEntry): void {
  process.stderr.write(`${formatAttemptLog(entry)}\n`);
}
