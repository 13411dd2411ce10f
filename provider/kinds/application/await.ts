/**
 * Where an application stands while pulumi-cmf waits for it: pure functions from an observed
 * FlinkApplication to ready / pending (why) / failed (why).
 */
import type { FlinkApplication } from "../../models";
import type { WaitFor } from "./definition";

export type Assessment =
  { state: "ready" } | { state: "pending"; detail: string } | { state: "failed"; detail: string };

const RUNNING_LIFECYCLES = new Set(["DEPLOYED", "STABLE"]);

/** "job RUNNING, lifecycle STABLE, job manager READY" from whatever the status holds. */
export function describeStatus(app: FlinkApplication | undefined): string {
  const status = app?.status;
  if (!status) return "no status reported yet";
  const parts: string[] = [];
  if (status.jobStatus?.state) parts.push(`job ${status.jobStatus.state}`);
  if (status.lifecycleState) parts.push(`lifecycle ${status.lifecycleState}`);
  if (status.jobManagerDeploymentStatus) parts.push(`job manager ${status.jobManagerDeploymentStatus}`);
  if (status.error) parts.push(`error: ${status.error}`);
  return parts.length > 0 ? parts.join(", ") : "no status reported yet";
}

/**
 * Where an application stands relative to `target`:
 * - running: job RUNNING and lifecycle DEPLOYED or STABLE, and, when `expectedInstance` is given and
 *   CMF reports a deployed instance, that it is this one (so that the status of the previous spec is
 *   not mistaken for the new one's);
 * - suspended: lifecycle SUSPENDED;
 * - failed: job or lifecycle FAILED, or an error reported, whatever the target.
 */
export function assessApplication(
  app: FlinkApplication,
  target: Exclude<WaitFor, "none">,
  expectedInstance?: string,
): Assessment {
  const status = app.status;
  const jobState = status?.jobStatus?.state ?? undefined;
  const lifecycle = status?.lifecycleState ?? undefined;
  if (jobState === "FAILED" || lifecycle === "FAILED" || (status?.error ?? "") !== "") {
    return { state: "failed", detail: describeStatus(app) };
  }
  if (target === "suspended") {
    return lifecycle === "SUSPENDED" ? { state: "ready" } : { state: "pending", detail: describeStatus(app) };
  }
  const running = jobState === "RUNNING" && lifecycle !== undefined && RUNNING_LIFECYCLES.has(lifecycle);
  const deployed = status?.currentDeployedInstanceName ?? undefined;
  const onExpectedInstance =
    expectedInstance === undefined || deployed === undefined || deployed === expectedInstance;
  return running && onExpectedInstance
    ? { state: "ready" }
    : { state: "pending", detail: describeStatus(app) };
}

/** The target implied by the inputs: `waitFor` when given, else the desired job state. */
export function waitTarget(waitFor: WaitFor | undefined, jobState: unknown): WaitFor {
  if (waitFor !== undefined) return waitFor;
  return jobState === "suspended" ? "suspended" : "running";
}
