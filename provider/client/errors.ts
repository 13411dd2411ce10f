import { inspect } from "node:util";

/**
 * The client's typed errors. Each message is complete on its own and meant for a terminal (Pulumi
 * prints `message`), so `stack` is reduced to the name and message: the frames of the client's
 * internals would only bury what CMF said. None of them ever carries the token or the client key.
 */
abstract class CmfError extends Error {
  protected constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
    this.stack = `${name}: ${message}`;
  }

  [inspect.custom](): string {
    return `${this.name}: ${this.message}`;
  }
}

export interface CmfApiErrorDetails {
  readonly method: string;
  /** The request path, query string included, e.g. `/cmf/api/v1/environments/prod?force=true`. */
  readonly path: string;
  readonly status: number;
  readonly statusText: string;
  /** CMF's messages; never empty (falls back to the raw body, then to the status text). */
  readonly messages: readonly string[];
  readonly requestId?: string | undefined;
  /** Attempts made, retries included. */
  readonly attempts: number;
  /** The operation name, e.g. `environments.upsert`. */
  readonly operation: string;
  /** Why retrying stopped early, e.g. a Retry-After beyond the deadline. */
  readonly note?: string;
}

/** CMF answered with a status that is not a success (after any retries). */
export class CmfApiError extends CmfError {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly statusText: string;
  readonly messages: string[];
  readonly requestId?: string;
  readonly attempts: number;
  readonly operation: string;

  constructor(details: CmfApiErrorDetails) {
    super("CmfApiError", renderApiErrorMessage(details));
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.statusText = details.statusText;
    this.messages = [...details.messages];
    if (details.requestId !== undefined) this.requestId = details.requestId;
    this.attempts = details.attempts;
    this.operation = details.operation;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isConflict(): boolean {
    return this.status === 409;
  }
}

/**
 * ```
 * CMF rejected POST /cmf/api/v1/environments (400 Bad Request):
 *   name: size must be between 4 and 2147483647
 *   Environment's kubernetesNamespace 'fl' does not exist.
 *   (request id 4f1c..., 3 attempts)
 * ```
 */
export function renderApiErrorMessage(details: CmfApiErrorDetails): string {
  const status = details.statusText === "" ? `${details.status}` : `${details.status} ${details.statusText}`;
  const lines = [`CMF rejected ${details.method} ${details.path} (${status}):`];
  for (const message of details.messages) {
    for (const line of message.split(/\r?\n/)) lines.push(`  ${line}`);
  }
  const notes: string[] = [];
  if (details.requestId !== undefined) notes.push(`request id ${details.requestId}`);
  if (details.attempts > 1) notes.push(`${details.attempts} attempts`);
  if (details.note !== undefined) notes.push(details.note);
  if (notes.length > 0) lines.push(`  (${notes.join(", ")})`);
  return lines.join("\n");
}

export interface CmfConnectionErrorDetails {
  /** Full request URL without credentials, e.g. `https://cmf:8080/cmf/api/v1/environments`. */
  readonly url: string;
  readonly method: string;
  readonly kind: "refused" | "dns" | "tls" | "timeout" | "reset" | "other";
  readonly code?: string | undefined;
  readonly reason: string;
  readonly attempts: number;
  readonly elapsedMs: number;
  readonly operation: string;
  readonly cause?: unknown;
}

/** No usable HTTP answer: refused, DNS, TLS verification, timeout, reset. */
export class CmfConnectionError extends CmfError {
  readonly url: string;
  readonly method: string;
  readonly kind: CmfConnectionErrorDetails["kind"];
  readonly code?: string;
  readonly reason: string;
  readonly attempts: number;
  readonly operation: string;

  constructor(details: CmfConnectionErrorDetails) {
    const attempts = details.attempts === 1 ? "1 attempt" : `${details.attempts} attempts`;
    const elapsed =
      details.elapsedMs >= 1000 ? `${(details.elapsedMs / 1000).toFixed(1)} s` : `${details.elapsedMs} ms`;
    super(
      "CmfConnectionError",
      `Cannot reach CMF: ${details.method} ${details.url} failed: ${details.reason} (${attempts} in ${elapsed})`,
      { cause: details.cause },
    );
    this.url = details.url;
    this.method = details.method;
    this.kind = details.kind;
    if (details.code !== undefined) this.code = details.code;
    this.reason = details.reason;
    this.attempts = details.attempts;
    this.operation = details.operation;
  }
}

/** A 2xx response whose body does not have the shape the operation expects. */
export class CmfResponseError extends CmfError {
  readonly method: string;
  readonly path: string;
  readonly operation: string;
  /** `"<field.path>: <reason>"` lines. */
  readonly issues: string[];

  constructor(details: { method: string; path: string; operation: string; issues: readonly string[] }) {
    super(
      "CmfResponseError",
      [
        `CMF sent an unexpected response to ${details.method} ${details.path} (${details.operation}):`,
        ...details.issues.map((issue) => `  ${issue}`),
      ].join("\n"),
    );
    this.method = details.method;
    this.path = details.path;
    this.operation = details.operation;
    this.issues = [...details.issues];
  }
}

/** The `CmfConnection` settings or an operation's arguments are unusable; `field` names the culprit. */
export class CmfConfigurationError extends CmfError {
  readonly field: string;

  constructor(field: string, problem: string) {
    super("CmfConfigurationError", `Invalid CMF connection setting ${field}: ${problem}`);
    this.field = field;
  }
}

/** An operation was given an argument it cannot send (empty name, negative page, ...). */
export class CmfArgumentError extends CmfError {
  readonly operation: string;
  readonly argument: string;

  constructor(operation: string, argument: string, problem: string) {
    super("CmfArgumentError", `${operation}: ${argument} ${problem}`);
    this.operation = operation;
    this.argument = argument;
  }
}

/** A request was made after `close()`. */
export class CmfClientClosedError extends CmfError {
  constructor(operation: string) {
    super("CmfClientClosedError", `${operation}: this CmfClient was closed; create a new one`);
  }
}
