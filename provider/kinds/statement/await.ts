/**
 * Pure decisions about statements: the phase to wait for, where an observed statement stands, SQL
 * text equality up to CMF's normalisation, and which statements are DDL.
 */
import type { Statement } from "../../models";
import type { StatementWaitFor } from "./definition";

export type StatementAssessment =
  { state: "ready" } | { state: "pending"; detail: string } | { state: "failed"; detail: string };

/** What the inputs wait for: `waitFor`, else STOPPED for a stopped statement, else RUNNING or COMPLETED. */
export function statementTarget(
  waitFor: StatementWaitFor | undefined,
  spec: unknown,
): StatementWaitFor | "RUNNING_OR_COMPLETED" {
  if (waitFor !== undefined) return waitFor;
  return (spec as { stopped?: unknown } | undefined)?.stopped === true ? "STOPPED" : "RUNNING_OR_COMPLETED";
}

export function describeStatement(statement: Statement | undefined): string {
  const status = statement?.status;
  if (!status) return "no status reported yet";
  return status.detail ? `phase ${status.phase}: ${status.detail}` : `phase ${status.phase}`;
}

export function assessStatement(
  statement: Statement,
  target: ReturnType<typeof statementTarget>,
): StatementAssessment {
  const phase = statement.status?.phase;
  if (target === "none") return { state: "ready" };
  if (phase === "FAILED") return { state: "failed", detail: describeStatement(statement) };
  const ready =
    target === "RUNNING_OR_COMPLETED" ? phase === "RUNNING" || phase === "COMPLETED" : phase === target;
  if (ready) return { state: "ready" };
  // A bounded statement that completed cannot become RUNNING (or STOPPED): that is not a wait.
  if (phase === "COMPLETED") {
    return {
      state: "failed",
      detail: `it COMPLETED (a bounded statement or DDL); use waitFor: "COMPLETED" (or omit waitFor)`,
    };
  }
  return { state: "pending", detail: describeStatement(statement) };
}

/**
 * SQL as compared: CMF may return the text re-spaced or without the final semicolon; such a
 * difference is not a change.
 */
export function normalizeSql(sql: string): string {
  return sql
    .replace(/\s+/g, " ")
    .trim()
    .replace(/\s*;\s*$/, "");
}

/** DDL statements' effects outlive them (a table stays when its CREATE TABLE is deleted). */
export function isDdl(sqlKind: unknown): boolean {
  return typeof sqlKind === "string" && /^(CREATE|DROP|ALTER)_/.test(sqlKind);
}
