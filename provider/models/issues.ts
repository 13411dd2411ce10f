import { z } from "zod";

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;
type PathSegment = PropertyKey;

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/**
 * `spec.jobManager.resource.cpu`, `spec.job.args[0]`, `spec.flinkConfiguration[taskmanager.numberOfTaskSlots]`:
 * the property-path style of Spring's bean-validation messages, with map keys that are not plain
 * identifiers in brackets so that dotted Flink configuration keys stay readable.
 */
export function formatPath(path: readonly PathSegment[], prefix?: string): string {
  let out = prefix ?? "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const key = String(segment);
      if (IDENTIFIER.test(key)) out += out === "" ? key : `.${key}`;
      else out += `[${key}]`;
    }
  }
  return out;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function expectedName(expected: string): string {
  switch (expected) {
    case "object":
      return "an object";
    case "array":
      return "an array";
    case "int":
      return "an integer";
    default:
      return `a ${expected}`;
  }
}

/**
 * Messages in the style of CMF (Spring bean validation), used for every parse made through
 * {@link parseModel}: `must not be null` for a missing required field, `must be a string (got number)`
 * for a wrong type, `must be one of: running, suspended (got "x")` for enum values.
 */
export function cmfIssueMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined || issue.input === null) return "must not be null";
      return `must be ${expectedName(String(issue.expected))} (got ${typeName(issue.input)})`;
    }
    case "invalid_value":
      if (issue.input === undefined || issue.input === null) return "must not be null";
      return `must be one of: ${issue.values.map(String).join(", ")} (got ${JSON.stringify(issue.input)})`;
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string" || issue.origin === "array") {
        return `size must be at least ${min}`;
      }
      return issue.inclusive === false
        ? `must be greater than ${min}`
        : `must be greater than or equal to ${min}`;
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string" || issue.origin === "array") return `size must be at most ${max}`;
      return issue.inclusive === false ? `must be less than ${max}` : `must be less than or equal to ${max}`;
    }
    case "invalid_format":
      return issue.format === "regex" && "pattern" in issue
        ? `must match "${String(issue.pattern)}"`
        : `must be a valid ${issue.format}`;
    case "unrecognized_keys":
      return `unknown field(s): ${issue.keys.join(", ")}`;
    case "invalid_union":
      return "does not match any allowed shape";
    default:
      return undefined;
  }
}

/** `"<field.path>: <reason>"`, one per issue, in the order zod found them; identical lines are merged. */
export function formatIssues(error: z.ZodError | readonly Issue[], prefix?: string): string[] {
  const issues = Array.isArray(error) ? (error as readonly Issue[]) : (error as z.ZodError).issues;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const issue of issues) {
    const field = formatPath(issue.path, prefix);
    const line = field === "" ? issue.message : `${field}: ${issue.message}`;
    if (!seen.has(line)) {
      seen.add(line);
      out.push(line);
    }
  }
  return out;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; messages: string[] };

/** Validate with CMF-style messages; never throws on bad input. */
export function parseModel<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix?: string,
): ParseResult<z.output<S>> {
  const result = schema.safeParse(input, { error: cmfIssueMessage });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, messages: formatIssues(result.error, prefix) };
}

/** Thrown by {@link parseModelOrThrow}; `messages` holds one `"<field>: <reason>"` line per problem. */
export class ModelValidationError extends Error {
  readonly messages: string[];
  constructor(what: string, messages: string[]) {
    super(`invalid ${what}:\n  ${messages.join("\n  ")}`);
    this.name = "ModelValidationError";
    this.messages = messages;
  }
}

export function parseModelOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  prefix?: string,
): z.output<S> {
  const result = parseModel(schema, input, prefix);
  if (result.ok) return result.value;
  throw new ModelValidationError(what, result.messages);
}
