import { readFileSync } from "node:fs";
import { normalizeToken } from "../core/connection-settings";
import { CmfConfigurationError } from "./errors";
import { errorMessage } from "./error-message";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy";

/**
 * How to reach one CMF. Shared by the client and the Pulumi resources (their provider configuration).
 * Empty strings count as "not set", because Pulumi config and environment variables often yield them.
 */
export interface CmfConnection {
  /** `https://cmf.example.com:8080`, with or without the `/cmf/api/v1` suffix; a path prefix is kept. */
  url: string;
  /** Bearer token (secret). Sent as `Authorization: Bearer <token>`; a leading `Bearer ` is tolerated. */
  token?: string;
  /** PEM bundle that replaces the system CAs for verifying CMF's certificate. */
  caCertificate?: string;
  caCertificatePath?: string;
  /** Client certificate chain (PEM) for mTLS; needs the key. */
  clientCertificate?: string;
  clientCertificatePath?: string;
  /** Client private key (PEM, secret) for mTLS; needs the certificate. */
  clientKey?: string;
  clientKeyPath?: string;
  /** Accept any server certificate. Only for throwaway labs with self-signed certificates. */
  insecureSkipTlsVerify?: boolean;
  /** Budget of one request attempt (connect, headers and body), default 30000. */
  timeoutMs?: number;
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; deadlineMs?: number };
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const CMF_API_PATH = "/cmf/api/v1";
export const CMF_ALPHA_API_PATH = "/cmf/api/v1alpha1";

export interface ResolvedTls {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly rejectUnauthorized: boolean;
}

/** A validated connection: every file read, every default applied. */
export interface ResolvedConnection {
  /** `https://host:port`. */
  readonly origin: string;
  /** Path before `/cmf/api/v1` (a reverse-proxy prefix), `""` for none; no trailing slash. */
  readonly pathPrefix: string;
  /** `origin + pathPrefix`, for messages. */
  readonly baseUrl: string;
  readonly token?: string;
  readonly tls?: ResolvedTls;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
}

export type FileReader = (path: string) => string;

const readUtf8: FileReader = (path) => readFileSync(path, "utf8");

const MAX_TIMER_MS = 2 ** 31 - 1;

function present(value: string | undefined): value is string {
  return typeof value === "string" && value.trim() !== "";
}

function checkType(field: string, value: unknown, type: "string" | "boolean"): void {
  if (value !== undefined && value !== null && typeof value !== type) {
    throw new CmfConfigurationError(field, `must be a ${type} (got ${typeof value})`);
  }
}

function resolveUrl(raw: unknown): { origin: string; pathPrefix: string } {
  if (typeof raw !== "string" || raw.trim() === "") {
    throw new CmfConfigurationError("url", "is required, e.g. https://cmf.example.com:8080");
  }
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    // Echoed only when it cannot hold credentials (user:password@host).
    const shown = raw.includes("@") ? "the value" : JSON.stringify(raw);
    throw new CmfConfigurationError(
      "url",
      `${shown} is not an absolute URL (expected e.g. https://cmf.example.com:8080)`,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new CmfConfigurationError(
      "url",
      `scheme must be http or https (got ${parsed.protocol.replace(":", "")})`,
    );
  }
  if (parsed.username !== "" || parsed.password !== "") {
    // The URL is not echoed here: it holds credentials.
    throw new CmfConfigurationError(
      "url",
      "must not contain credentials (user:password@); use token instead",
    );
  }
  if (parsed.search !== "" || parsed.hash !== "") {
    // The query is not echoed: it may carry a token.
    throw new CmfConfigurationError(
      "url",
      `must not have a query (?...) or fragment (#...); use ${parsed.origin}${parsed.pathname}`,
    );
  }
  let path = parsed.pathname.replace(/\/+$/, "");
  if (path.endsWith(CMF_API_PATH)) path = path.slice(0, -CMF_API_PATH.length);
  return { origin: parsed.origin, pathPrefix: path };
}

function looksLikePem(text: string, kind: "CERTIFICATE" | "KEY"): boolean {
  return kind === "CERTIFICATE"
    ? /-----BEGIN [A-Z0-9 ]*CERTIFICATE-----/.test(text)
    : /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text);
}

/** PEM contents from either the inline field or the path field; the contents are never echoed. */
function pemMaterial(
  connection: CmfConnection,
  inlineField: "caCertificate" | "clientCertificate" | "clientKey",
  pathField: "caCertificatePath" | "clientCertificatePath" | "clientKeyPath",
  kind: "CERTIFICATE" | "KEY",
  readFile: FileReader,
): string | undefined {
  const inline = connection[inlineField];
  const path = connection[pathField];
  checkType(inlineField, inline, "string");
  checkType(pathField, path, "string");
  if (present(inline) && present(path)) {
    throw new CmfConfigurationError(inlineField, `and ${pathField} are both set; set only one of them`);
  }
  const expected = kind === "CERTIFICATE" ? "-----BEGIN CERTIFICATE-----" : "-----BEGIN PRIVATE KEY-----";
  if (present(inline)) {
    if (!looksLikePem(inline, kind)) {
      const hint = inline.includes("-----BEGIN") ? "" : ` (to read a file, set ${pathField} instead)`;
      throw new CmfConfigurationError(inlineField, `must hold PEM contents (${expected} ...)${hint}`);
    }
    return inline;
  }
  if (present(path)) {
    if (path.includes("-----BEGIN")) {
      throw new CmfConfigurationError(
        pathField,
        `holds PEM contents, not a file path; set ${inlineField} instead`,
      );
    }
    let contents: string;
    try {
      contents = readFile(path);
    } catch (err) {
      const detail = errorMessage(err);
      throw new CmfConfigurationError(pathField, `cannot read ${JSON.stringify(path)}: ${detail}`);
    }
    if (!looksLikePem(contents, kind)) {
      throw new CmfConfigurationError(
        pathField,
        `file ${JSON.stringify(path)} does not hold PEM data (${expected} ...)`,
      );
    }
    return contents;
  }
  return undefined;
}

function positiveInteger(field: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > MAX_TIMER_MS) {
    throw new CmfConfigurationError(
      field,
      `must be an integer between ${min} and ${MAX_TIMER_MS} (got ${String(value)})`,
    );
  }
  return value;
}

function resolveRetry(retry: CmfConnection["retry"]): RetryPolicy {
  if (retry === undefined || retry === null) return DEFAULT_RETRY_POLICY;
  if (typeof retry !== "object") throw new CmfConfigurationError("retry", "must be an object");
  const maxAttempts = positiveInteger(
    "retry.maxAttempts",
    retry.maxAttempts,
    DEFAULT_RETRY_POLICY.maxAttempts,
    1,
  );
  if (maxAttempts > 100) {
    throw new CmfConfigurationError("retry.maxAttempts", `must be at most 100 (got ${maxAttempts})`);
  }
  const baseDelayMs = positiveInteger(
    "retry.baseDelayMs",
    retry.baseDelayMs,
    DEFAULT_RETRY_POLICY.baseDelayMs,
    0,
  );
  const maxDelayMs = positiveInteger(
    "retry.maxDelayMs",
    retry.maxDelayMs,
    Math.max(DEFAULT_RETRY_POLICY.maxDelayMs, baseDelayMs),
    0,
  );
  if (maxDelayMs < baseDelayMs) {
    throw new CmfConfigurationError(
      "retry.maxDelayMs",
      `must be at least retry.baseDelayMs (${maxDelayMs} < ${baseDelayMs})`,
    );
  }
  const deadlineMs = positiveInteger(
    "retry.deadlineMs",
    retry.deadlineMs,
    DEFAULT_RETRY_POLICY.deadlineMs,
    0,
  );
  return Object.freeze({ maxAttempts, baseDelayMs, maxDelayMs, deadlineMs });
}

function resolveToken(raw: unknown): string | undefined {
  checkType("token", raw, "string");
  if (!present(raw as string | undefined)) return undefined;
  // Header injection guard; the value itself is a secret and never appears in the message.
  const normalized = normalizeToken(raw as string);
  if ("problem" in normalized) throw new CmfConfigurationError("token", normalized.problem);
  return normalized.token;
}

/** Validates a connection and loads its TLS material; throws {@link CmfConfigurationError}. */
export function resolveConnection(
  connection: CmfConnection,
  readFile: FileReader = readUtf8,
): ResolvedConnection {
  if (typeof connection !== "object" || connection === null) {
    throw new CmfConfigurationError("connection", "must be an object with at least a url");
  }
  const { origin, pathPrefix } = resolveUrl(connection.url);
  const token = resolveToken(connection.token);
  checkType("insecureSkipTlsVerify", connection.insecureSkipTlsVerify, "boolean");
  const ca = pemMaterial(connection, "caCertificate", "caCertificatePath", "CERTIFICATE", readFile);
  const cert = pemMaterial(connection, "clientCertificate", "clientCertificatePath", "CERTIFICATE", readFile);
  const key = pemMaterial(connection, "clientKey", "clientKeyPath", "KEY", readFile);
  if (key !== undefined && cert === undefined) {
    throw new CmfConfigurationError("clientKey", "is set but clientCertificate is not; mTLS needs both");
  }
  if (cert !== undefined && key === undefined) {
    throw new CmfConfigurationError("clientCertificate", "is set but clientKey is not; mTLS needs both");
  }
  const insecure = connection.insecureSkipTlsVerify === true;
  const usesTlsSettings = ca !== undefined || cert !== undefined || insecure;
  if (usesTlsSettings && origin.startsWith("http:")) {
    const which =
      ca !== undefined ? "caCertificate" : cert !== undefined ? "clientCertificate" : "insecureSkipTlsVerify";
    throw new CmfConfigurationError(which, `is a TLS setting but url uses http; use an https URL`);
  }
  const timeoutMs = positiveInteger("timeoutMs", connection.timeoutMs, DEFAULT_TIMEOUT_MS, 1);
  const retry = resolveRetry(connection.retry);

  const resolved: ResolvedConnection = {
    origin,
    pathPrefix,
    baseUrl: origin + pathPrefix,
    timeoutMs,
    retry,
    ...(token === undefined ? {} : { token }),
    ...(origin.startsWith("https:")
      ? {
          tls: {
            ...(ca === undefined ? {} : { ca }),
            ...(cert === undefined ? {} : { cert }),
            ...(key === undefined ? {} : { key }),
            rejectUnauthorized: !insecure,
          },
        }
      : {}),
  };
  return resolved;
}
