/**
 * Where a compute pool stands while pulumi-cmf waits for it: pure functions from the declared spec and
 * an observed pool to ready / pending / failed.
 */
import type { ComputePool } from "../../models";

export type PoolAssessment =
  { state: "ready" } | { state: "pending"; detail: string } | { state: "failed"; detail: string };

/** The phase a pool settles in: DEDICATED at once; SHARED in RUNNING, or SUSPENDED when asked. */
export function poolTarget(spec: unknown): "DEDICATED" | "RUNNING" | "SUSPENDED" {
  const s = (spec ?? {}) as { type?: unknown; state?: unknown };
  if (s.type === "DEDICATED") return "DEDICATED";
  return s.state === "SUSPENDED" ? "SUSPENDED" : "RUNNING";
}

export function describePool(pool: ComputePool | undefined): string {
  const status = pool?.status;
  if (!status) return "no status reported yet";
  return status.message ? `phase ${status.phase}: ${status.message}` : `phase ${status.phase}`;
}

export function assessPool(pool: ComputePool, spec: unknown): PoolAssessment {
  const phase = pool.status?.phase;
  if (phase === "FAILED") return { state: "failed", detail: describePool(pool) };
  return phase === poolTarget(spec) ? { state: "ready" } : { state: "pending", detail: describePool(pool) };
}
