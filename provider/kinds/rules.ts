/**
 * Rules the kinds attach to their fields: CMF's name rules, the CMF contract's zod models, Flink memory
 * sizes. Each returns field-level failures and skips unknown values.
 */
import type { z } from "zod";
import { cmfIssueMessage, formatPath, nameProblems, type NameRule } from "../models";
import type { CheckFailure, FieldRule } from "../core/schema";
import { isUnknownAt } from "../core/unknown";

type JsonObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A name under one of CMF's rules; `ruleText` says the rule in words, since regexes are hard to read. */
export function nameRule(rule: NameRule, ruleText: string): FieldRule {
  return (value, property) => {
    if (typeof value !== "string" || value.trim() === "") return [];
    const problems = nameProblems(value, rule);
    if (problems.length === 0) return [];
    return [{ property, reason: `${problems.join("; ")} (${ruleText}; got "${value}")` }];
  };
}

/** Validates a value against a model of the CMF contract, with CMF-style messages. */
export function schemaRule(schema: z.ZodType): FieldRule {
  return (value, property) => schemaFailures(schema, value, property);
}

export function schemaFailures(schema: z.ZodType, value: unknown, prefix: string): CheckFailure[] {
  const result = schema.safeParse(value, { error: cmfIssueMessage });
  if (result.success) return [];
  const failures: CheckFailure[] = [];
  for (const issue of result.error.issues) {
    if (isUnknownAt(value, issue.path)) continue;
    failures.push({
      property: formatPath(issue.path, prefix),
      reason: withNumber(issue.message, valueAt(value, issue.path)),
    });
  }
  return failures;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) {
    if (!isPlainObject(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** "must be an integer (got number)" does not say what is wrong with 1.5: numbers are shown. */
function withNumber(message: string, value: unknown): string {
  return typeof value === "number" ? message.replace(/\(got number\)$/, `(got ${value})`) : message;
}

/**
 * Flink's `MemorySize` units (b, k/kb, m/mb, g/gb, t/tb, with their long forms, any case) and the
 * Kubernetes quantity suffixes the operator also accepts (Ki, Mi, Gi, ..., k, M, G, ...).
 */
const MEMORY_PATTERN =
  /^(\d+(?:\.\d+)?)\s*(b|bytes|k|kb|kibibytes|m|mb|mebibytes|g|gb|gibibytes|t|tb|tebibytes|ki|mi|gi|ti|pi|ei|p|e)?$/i;

export function memoryProblem(value: string): string | undefined {
  const match = MEMORY_PATTERN.exec(value.trim());
  if (!match) {
    return `must be a memory size such as "1024m", "2g" or "2Gi" (a number and an optional unit: b, k, m, g, t, Ki, Mi, Gi, Ti; got "${value}")`;
  }
  if (Number(match[1]) <= 0) return `must be greater than zero (got "${value}")`;
  return undefined;
}

/** The job and task managers' memory sizes in a FlinkApplication spec. */
export const memoryRule: FieldRule = (spec, prefix) => {
  const failures: CheckFailure[] = [];
  if (!isPlainObject(spec)) return failures;
  for (const role of ["jobManager", "taskManager"]) {
    const resource = (spec[role] as JsonObject | undefined)?.resource;
    if (!isPlainObject(resource)) continue;
    for (const member of ["memory", "ephemeralStorage"]) {
      const value = resource[member];
      if (typeof value !== "string" || isUnknownAt(value, [])) continue;
      const problem = memoryProblem(value);
      if (problem) failures.push({ property: `${prefix}.${role}.resource.${member}`, reason: problem });
    }
  }
  return failures;
};
