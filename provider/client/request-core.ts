import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import { CMF_ALPHA_API_PATH, CMF_API_PATH, type ResolvedConnection } from "./connection";
import { errorMessagesFromBody } from "./error-body";
import { CmfApiError, CmfArgumentError, CmfResponseError } from "./errors";
import { errorMessage } from "./error-message";
import { ResponseValidator } from "./response-validation";
import type { HttpMethod, HttpTransport, TransportRequest, TransportResponse } from "./http-transport";

const REQUEST_ID_HEADERS = ["x-request-id", "x-correlation-id", "request-id"] as const;

export interface Call {
  readonly operation: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly body?: unknown;
  readonly idempotent: boolean;
}

/** Any 2xx is success (CMF moved between 200/201/204 across versions); 304 means "no change". */
export function isSuccess(status: number): boolean {
  return (status >= 200 && status < 300) || status === 304;
}

export function requestIdOf(headers: IncomingHttpHeaders): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== "") return first;
  }
  return undefined;
}

/**
 * Turns operations into requests and answers into values: path building, JSON encoding, status
 * mapping and response validation. The transport below it owns connections and retries.
 */
export class RequestCore {
  readonly #transport: HttpTransport;
  readonly #apiBase: string;
  readonly #alphaApiBase: string;
  readonly #token: string | undefined;
  readonly #validator = new ResponseValidator();

  constructor(connection: ResolvedConnection, transport: HttpTransport) {
    this.#transport = transport;
    this.#apiBase = connection.pathPrefix + CMF_API_PATH;
    this.#alphaApiBase = connection.pathPrefix + CMF_ALPHA_API_PATH;
    this.#token = connection.token;
  }

  /** `/cmf/api/v1/environments/<env>/...` with each segment percent-encoded. */
  path(segments: readonly string[], query = ""): string {
    return `${this.#apiBase}/${segments.join("/")}${query}`;
  }

  alphaPath(segments: readonly string[], query = ""): string {
    return `${this.#alphaApiBase}/${segments.join("/")}${query}`;
  }

  exchange(call: Call): Promise<TransportResponse> {
    const request: TransportRequest = {
      operation: call.operation,
      method: call.method,
      path: call.path,
      idempotent: call.idempotent,
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    };
    return this.#transport.send(request);
  }

  apiError(call: Call, response: TransportResponse): CmfApiError {
    const messages = errorMessagesFromBody(
      response.body,
      headerText(response.headers["content-type"]),
      response.statusText,
    ).map((message) => this.#redact(message));
    if (response.status === 401) {
      messages.push(
        this.#token !== undefined
          ? "hint: CMF did not accept the bearer token (expired or wrong?)"
          : "hint: CMF requires authentication; set token in the connection",
      );
    }
    return new CmfApiError({
      method: call.method,
      path: call.path,
      status: response.status,
      statusText: response.statusText,
      messages,
      requestId: requestIdOf(response.headers),
      attempts: response.attempts,
      operation: call.operation,
      ...(response.note === undefined ? {} : { note: response.note }),
    });
  }

  /** A server that echoes the Authorization header must not leak the token into our messages. */
  #redact(text: string): string {
    const token = this.#token;
    return token === undefined || !text.includes(token) ? text : text.split(token).join("[redacted]");
  }

  /** Parses a success body with `schema`; `undefined` for an empty body (e.g. 204 or 304). */
  parse<S extends z.ZodType>(call: Call, response: TransportResponse, schema: S): z.output<S> | undefined {
    const text = response.body;
    if (text.length === 0) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      if (text.trim() === "") return undefined;
      const reason = errorMessage(err);
      throw new CmfResponseError({
        method: call.method,
        path: call.path,
        operation: call.operation,
        issues: [`body: not valid JSON (${reason})`],
      });
    }
    const result = this.#validator.validate(schema, call.path, text, json);
    if (!result.ok) {
      throw new CmfResponseError({
        method: call.method,
        path: call.path,
        operation: call.operation,
        issues: result.issues,
      });
    }
    return result.value;
  }

  /** A success body is required: throws when the body is empty. */
  parseRequired<S extends z.ZodType>(call: Call, response: TransportResponse, schema: S): z.output<S> {
    const value = this.parse(call, response, schema);
    if (value === undefined) {
      throw new CmfResponseError({
        method: call.method,
        path: call.path,
        operation: call.operation,
        issues: [`body: empty (status ${response.status}), expected JSON`],
      });
    }
    return value;
  }

  /** GET returning `undefined` on 404. */
  async getOptional<S extends z.ZodType>(call: Call, schema: S): Promise<z.output<S> | undefined> {
    const response = await this.exchange(call);
    if (response.status === 404) return undefined;
    if (!isSuccess(response.status)) throw this.apiError(call, response);
    return this.parseRequired(call, response, schema);
  }

  /** Any request whose success body must match `schema`. */
  async fetch<S extends z.ZodType>(call: Call, schema: S): Promise<z.output<S>> {
    const response = await this.exchange(call);
    if (!isSuccess(response.status)) throw this.apiError(call, response);
    return this.parseRequired(call, response, schema);
  }

  /** A request whose success body, when there is one, must match `schema`; `undefined` when empty. */
  async fetchMaybeEmpty<S extends z.ZodType>(call: Call, schema: S): Promise<z.output<S> | undefined> {
    const response = await this.exchange(call);
    if (!isSuccess(response.status)) throw this.apiError(call, response);
    return this.parse(call, response, schema);
  }

  /** A request whose success body is ignored; a 404 counts as success when `allowNotFound`. */
  async send(call: Call, options: { allowNotFound: boolean }): Promise<void> {
    const response = await this.exchange(call);
    if (isSuccess(response.status)) return;
    if (response.status === 404 && options.allowNotFound) return;
    throw this.apiError(call, response);
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/** A path segment from a caller-supplied name; rejects what could never name a CMF object. */
export function segment(operation: string, argument: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    throw new CmfArgumentError(
      operation,
      argument,
      `must be a non-empty string (got ${value === "" ? '""' : typeof value})`,
    );
  }
  if (value === "." || value === "..") {
    throw new CmfArgumentError(operation, argument, `must not be "${value}"`);
  }
  return encodeURIComponent(value);
}
