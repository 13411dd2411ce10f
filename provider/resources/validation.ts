/**
 * Building blocks of `check`: each returns one failure per broken rule, naming the field and the rule,
 * and skips any value that is unknown during preview.
 */
import type { z } from "zod";
import { cmfIssueMessage, formatPath, nameProblems, type NameRule } from "../models";
import { isPlainObject, type JsonObject } from "./normalize";
import { isUnknown, isUnknownAt } from "./unknown";
import { CREDENTIAL_KEYS, OWNER_ANNOTATION, type ConnectionInput } from "./types";

export interface CheckFailure {
  property: string;
  reason: string;
}

export type Failures = CheckFailure[];

/** Validates `value` (found at `prefix` in the inputs) against a zod schema, CMF-style messages. */
export function schemaFailures(schema: z.ZodType, value: unknown, prefix: string): Failures {
  if (isUnknown(value)) return [];
  const result = schema.safeParse(value, { error: cmfIssueMessage });
  if (result.success) return [];
  const failures: Failures = [];
  const seen = new Set<string>();
  for (const issue of result.error.issues) {
    if (isUnknownAt(value, issue.path)) continue;
    const property = formatPath(issue.path, prefix);
    const key = `${property}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    failures.push({ property, reason: issue.message });
  }
  return failures;
}

export function requiredString(inputs: JsonObject, field: string): Failures {
  const value = inputs[field];
  if (isUnknown(value)) return [];
  if (value === undefined || value === null) return [{ property: field, reason: "is required" }];
  if (typeof value !== "string")
    return [{ property: field, reason: `must be a string (got ${typeName(value)})` }];
  if (value.trim() === "") return [{ property: field, reason: "must not be empty" }];
  return [];
}

export function optionalType(
  inputs: JsonObject,
  field: string,
  type: "string" | "boolean" | "object",
  prefix = "",
): Failures {
  const value = inputs[field];
  if (value === undefined || value === null || isUnknown(value)) return [];
  const ok = type === "object" ? isPlainObject(value) : typeof value === type;
  if (ok) return [];
  const expected = type === "object" ? "an object" : `a ${type}`;
  return [{ property: `${prefix}${field}`, reason: `must be ${expected} (got ${typeName(value)})` }];
}

export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** A name under one of CMF's rules; `ruleText` says the rule in words, since regexes are hard to read. */
export function nameFailures(inputs: JsonObject, field: string, rule: NameRule, ruleText: string): Failures {
  const value = inputs[field];
  if (typeof value !== "string" || value.trim() === "" || isUnknown(value)) return [];
  const problems = nameProblems(value, rule);
  if (problems.length === 0) return [];
  return [{ property: field, reason: `${problems.join("; ")} (${ruleText}; got "${value}")` }];
}

export function unknownFieldFailures(inputs: JsonObject, allowed: readonly string[], prefix = ""): Failures {
  const extra = Object.keys(inputs).filter((key) => !allowed.includes(key) && inputs[key] !== undefined);
  return extra.map((key) => ({
    property: `${prefix}${key}`,
    reason: `is not a known field (known fields: ${allowed.filter((k) => !k.startsWith("__")).join(", ")})`,
  }));
}

export function stringMapFailures(inputs: JsonObject, field: string, prefix = ""): Failures {
  const value = inputs[field];
  if (value === undefined || value === null || isUnknown(value)) return [];
  const property = `${prefix}${field}`;
  if (!isPlainObject(value))
    return [{ property, reason: `must be a map of strings (got ${typeName(value)})` }];
  const failures: Failures = [];
  for (const [key, member] of Object.entries(value)) {
    if (isUnknown(member) || member === undefined) continue;
    if (typeof member !== "string") {
      failures.push({
        property: formatPath([key], property),
        reason: `must be a string (got ${typeName(member)})`,
      });
    }
  }
  return failures;
}

export function annotationFailures(inputs: JsonObject, field: string): Failures {
  const failures = stringMapFailures(inputs, field);
  const value = inputs[field];
  if (isPlainObject(value) && OWNER_ANNOTATION in value) {
    failures.push({
      property: formatPath([OWNER_ANNOTATION], field),
      reason: "is reserved: pulumi-cmf writes it to recognise the objects it created",
    });
  }
  return failures;
}

export function integerInRange(inputs: JsonObject, field: string, min: number, max: number): Failures {
  const value = inputs[field];
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const got = typeof value === "number" ? String(value) : typeName(value);
    return [{ property: field, reason: `must be an integer from ${min} to ${max} (got ${got})` }];
  }
  return [];
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

export function memoryFailures(spec: unknown, prefix: string): Failures {
  const failures: Failures = [];
  if (!isPlainObject(spec)) return failures;
  for (const role of ["jobManager", "taskManager"]) {
    const resource = (spec[role] as JsonObject | undefined)?.resource;
    if (!isPlainObject(resource)) continue;
    for (const field of ["memory", "ephemeralStorage"]) {
      const value = resource[field];
      if (typeof value !== "string" || isUnknown(value)) continue;
      const problem = memoryProblem(value);
      if (problem) failures.push({ property: `${prefix}.${role}.resource.${field}`, reason: problem });
    }
  }
  return failures;
}

const CONNECTION_FIELDS: readonly (keyof ConnectionInput)[] = [
  "url",
  ...CREDENTIAL_KEYS,
  "insecureSkipTlsVerify",
  "requestTimeoutSeconds",
];

const PEM_PAIRS = [
  ["caCertificate", "caCertificatePath"],
  ["clientCertificate", "clientCertificatePath"],
  ["clientKey", "clientKeyPath"],
] as const;

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

/**
 * Problems of a URL as a CMF endpoint, worded without the URL itself: it may carry credentials, and
 * check failures are printed and logged.
 */
export function urlProblem(value: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    return "must be an absolute URL such as https://cmf.example.com:8080";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "must use the http or https scheme";
  if (parsed.username !== "" || parsed.password !== "") {
    return "must not contain credentials (user:password@); set token instead";
  }
  if (parsed.search !== "" || parsed.hash !== "") return "must not have a query string or fragment";
  return undefined;
}

/** Validates a `connection` input; never echoes a value, since most of them are secrets. */
export function connectionFailures(connection: unknown, prefix = "connection"): Failures {
  if (connection === undefined || connection === null || isUnknown(connection)) return [];
  if (!isPlainObject(connection)) {
    return [
      { property: prefix, reason: `must be an object with at least a url (got ${typeName(connection)})` },
    ];
  }
  const failures: Failures = unknownFieldFailures(connection, CONNECTION_FIELDS, `${prefix}.`);
  const url = connection.url;
  if (!isUnknown(url)) {
    if (!present(url))
      failures.push({ property: `${prefix}.url`, reason: "is required when connection is set" });
    else if (typeof url !== "string") {
      failures.push({ property: `${prefix}.url`, reason: `must be a string (got ${typeName(url)})` });
    } else {
      const problem = urlProblem(url);
      if (problem) failures.push({ property: `${prefix}.url`, reason: problem });
    }
  }
  for (const field of CONNECTION_FIELDS) {
    if (field === "url" || field === "insecureSkipTlsVerify" || field === "requestTimeoutSeconds") continue;
    failures.push(...optionalType(connection, field, "string", `${prefix}.`));
  }
  failures.push(...optionalType(connection, "insecureSkipTlsVerify", "boolean", `${prefix}.`));
  const timeout = connection.requestTimeoutSeconds;
  if (present(timeout) && !isUnknown(timeout)) {
    if (typeof timeout !== "number" || !(timeout > 0) || timeout > 3600) {
      failures.push({
        property: `${prefix}.requestTimeoutSeconds`,
        reason: "must be a number of seconds greater than 0 and at most 3600",
      });
    }
  }
  for (const [inline, path] of PEM_PAIRS) {
    if (present(connection[inline]) && present(connection[path])) {
      failures.push({
        property: `${prefix}.${inline}`,
        reason: `and ${prefix}.${path} are both set; set only one`,
      });
    }
  }
  const hasCert = present(connection.clientCertificate) || present(connection.clientCertificatePath);
  const hasKey = present(connection.clientKey) || present(connection.clientKeyPath);
  if (hasCert !== hasKey) {
    failures.push({
      property: `${prefix}.${hasCert ? "clientKey" : "clientCertificate"}`,
      reason: "is required for mTLS: set both the client certificate and the client key",
    });
  }
  if (typeof url === "string" && url.trim().toLowerCase().startsWith("http:")) {
    const tlsField = [
      "caCertificate",
      "caCertificatePath",
      "clientCertificate",
      "clientCertificatePath",
    ].find((field) => present(connection[field]));
    const insecure = connection.insecureSkipTlsVerify === true ? "insecureSkipTlsVerify" : undefined;
    const culprit = tlsField ?? insecure;
    if (culprit) {
      failures.push({
        property: `${prefix}.${culprit}`,
        reason: "is a TLS setting but the url uses http; use https",
      });
    }
  }
  return failures;
}

/** The settings every kind takes besides its CMF fields: metadata, adoption, deletion, connection. */
export function commonFailures(inputs: JsonObject): Failures {
  return [
    ...stringMapFailures(inputs, "labels"),
    ...annotationFailures(inputs, "annotations"),
    ...optionalType(inputs, "adopt", "boolean"),
    ...optionalType(inputs, "forceDelete", "boolean"),
    ...optionalType(inputs, "owner", "string"),
    ...connectionFailures(inputs.connection),
  ];
}
