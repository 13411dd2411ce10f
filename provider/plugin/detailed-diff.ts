/**
 * The detailed diff the CLI prints (`~ spec.job.parallelism`, `+ labels["team"]`, `replace` with the
 * property that forces it). The core decides whether there is a change and which top-level fields force
 * a replacement; this only names the leaves that differ inside the fields the core compares, so that a
 * preview shows each changed property and the reason for a replace. Pure.
 */
import { isPlainObject, prune, type JsonObject } from "../core/normalize";
import { UNKNOWN } from "../core/unknown";

export type ChangeKind = "add" | "delete" | "update";

export interface PropertyChange {
  /** Pulumi property path: `spec.flinkConfiguration["taskmanager.numberOfTaskSlots"]`. */
  path: string;
  kind: ChangeKind;
  replace: boolean;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One path segment in Pulumi's property path syntax. */
export function appendPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  if (IDENTIFIER.test(key)) return base === "" ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

function leafChanges(olds: unknown, news: unknown, path: string, out: { path: string; kind: ChangeKind }[]) {
  if (news === UNKNOWN) {
    out.push({ path, kind: olds === undefined ? "add" : "update" });
    return;
  }
  if (olds === undefined && news === undefined) return;
  if (olds === undefined) {
    out.push({ path, kind: "add" });
    return;
  }
  if (news === undefined) {
    out.push({ path, kind: "delete" });
    return;
  }
  if (isPlainObject(olds) && isPlainObject(news)) {
    const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].sort();
    for (const key of keys) leafChanges(olds[key], news[key], appendPath(path, key), out);
    return;
  }
  if (JSON.stringify(olds) !== JSON.stringify(news)) out.push({ path, kind: "update" });
}

/**
 * The changed leaves of `fields` between the previous outputs and the checked inputs, values compared
 * as the core compares them (empty objects, `null` and absence are the same). A field the core reports
 * changed but whose leaves look equal here (e.g. it holds an unknown) is reported whole.
 */
export function detailedDiff(
  olds: JsonObject,
  news: JsonObject,
  changedFields: readonly string[],
  replaceFields: readonly string[],
): PropertyChange[] {
  const changes: PropertyChange[] = [];
  for (const field of changedFields) {
    const leaves: { path: string; kind: ChangeKind }[] = [];
    leafChanges(prune(olds[field]), prune(news[field]), appendPath("", field), leaves);
    if (leaves.length === 0) leaves.push({ path: appendPath("", field), kind: "update" });
    const replace = replaceFields.includes(field);
    for (const leaf of leaves) changes.push({ ...leaf, replace });
  }
  return changes;
}
