import type { IncomingHttpHeaders } from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { Pool as UndiciPool } from "undici";
import { bufferedExchange } from "./buffered-exchange";
import type { ResolvedConnection } from "./connection";
import { debugEnabled, debugLogAttempt } from "./debug-log";
import { CmfClientClosedError, CmfConnectionError } from "./errors";
import { classifyNetworkError, type NetworkFailure } from "./network-failure";
import { attemptTimeoutMs, decideRetry, isRetryableStatus, type AttemptOutcome } from "./retry-policy";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface TransportRequest {
  /** e.g. `applications.start`, for messages. */
  readonly operation: string;
  readonly method: HttpMethod;
  /** Absolute path on the origin, prefix and query string included. */
  readonly path: string;
  /** JSON text; sent with `Content-Type: application/json`. */
  readonly body?: string;
  readonly idempotent: boolean;
}

export interface TransportResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly attempts: number;
  /** Why retrying stopped although the status is retryable. */
  readonly note?: string;
}

/** One exchange as an in-process server takes it (the embedded emulator's `dispatch`). */
export interface DispatchedRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface DispatchedAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * Serves requests in this process instead of over HTTP. It rejects as a socket would fail (an error
 * with a `code` such as ECONNRESET) and, when `signal` aborts (the attempt's timeout), with its reason.
 */
export type InProcessDispatch = (
  request: DispatchedRequest,
  signal?: AbortSignal,
) => Promise<DispatchedAnswer>;

export interface TransportDependencies {
  readonly random?: () => number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Requests go here, not to a pool: the provider's embedded emulator, in the same process. Retries,
   * timeouts (one timer per attempt), failures and messages are those of HTTP.
   */
  readonly dispatch?: InProcessDispatch;
}

type Headers = Record<string, string>;

let PoolClass: typeof UndiciPool | undefined;

/*
 * undici's main module loads every dispatcher, fetch, WebSocket, the caches and the mocks, about 0.4 MB
 * of the provider runtime's bundle beyond what the client runs. The client needs a Pool, whose
 * `dispatch` it drives itself (buffered-exchange.ts); so that module is loaded directly. Loaded at the
 * first request over HTTP: a transport that dispatches in process never needs it.
 */
function poolClass(): typeof UndiciPool {
  return (PoolClass ??= require("undici/lib/dispatcher/pool") as typeof UndiciPool);
}

/** Connects can take long only when something is wrong; beyond this it is a "connect timeout" and retried. */
const MAX_CONNECT_TIMEOUT_MS = 10_000;

/**
 * undici's header and body timers tick with a resolution of about a second, which is cheap and fine
 * for the default 30 s; shorter budgets get a precise timer of their own (an AbortController).
 */
const PRECISE_TIMEOUT_BELOW_MS = 5_000;

function noResponseWithin(timeoutMs: number): string {
  return `no response within ${timeoutMs} ms`;
}

/**
 * One keep-alive undici `Pool` per client, created at the first request and closed by `close()`, plus
 * the retry loop. Returns every HTTP answer that is final under the retry policy; callers map statuses.
 *
 * The per-attempt timeout is undici's own `headersTimeout` (request sent → response head) and
 * `bodyTimeout` (between body chunks), plus the pool's connect timeout: undici re-arms one timer per
 * socket for these, which keeps the hot path free of an AbortController and a timer per request.
 * Budgets under {@link PRECISE_TIMEOUT_BELOW_MS} are enforced by a timer per attempt instead, as is
 * every attempt given to an in-process server (`dispatch`), which has no socket to time.
 */
export class HttpTransport {
  readonly #connection: ResolvedConnection;
  readonly #plainHeaders: Headers;
  readonly #jsonBodyHeaders: Headers;
  readonly #connectTimeoutMs: number;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #dispatch: InProcessDispatch | undefined;
  #pool: UndiciPool | undefined;
  #closed = false;

  constructor(connection: ResolvedConnection, dependencies: TransportDependencies = {}) {
    this.#connection = connection;
    this.#plainHeaders = { accept: "application/json" };
    if (connection.token !== undefined) this.#plainHeaders.authorization = `Bearer ${connection.token}`;
    this.#jsonBodyHeaders = { ...this.#plainHeaders, "content-type": "application/json" };
    this.#connectTimeoutMs = Math.min(connection.timeoutMs, MAX_CONNECT_TIMEOUT_MS);
    this.#random = dependencies.random ?? Math.random;
    this.#now = dependencies.now ?? Date.now;
    this.#sleep = dependencies.sleep ?? ((ms) => sleep(ms).then(() => undefined));
    this.#dispatch = dependencies.dispatch;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pool = this.#pool;
    this.#pool = undefined;
    if (pool !== undefined) await pool.close();
  }

  #getPool(): UndiciPool {
    if (this.#pool !== undefined) return this.#pool;
    const { tls, timeoutMs } = this.#connection;
    this.#pool = new (poolClass())(this.#connection.origin, {
      keepAliveTimeout: 10_000,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect: {
        timeout: this.#connectTimeoutMs,
        ...(tls === undefined
          ? {}
          : {
              rejectUnauthorized: tls.rejectUnauthorized,
              ...(tls.ca === undefined ? {} : { ca: tls.ca }),
              ...(tls.cert === undefined ? {} : { cert: tls.cert }),
              ...(tls.key === undefined ? {} : { key: tls.key }),
            }),
      },
    });
    return this.#pool;
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    const policy = this.#connection.retry;
    const startedAtMs = this.#now();
    const debug = debugEnabled();
    // The last retryable answer: what to report if the deadline then cuts a retry short.
    let lastAnswer: Mutable<TransportResponse> | undefined;
    for (let attempt = 1; ; attempt++) {
      if (this.#closed) throw new CmfClientClosedError(request.operation);
      // Before the attempt's clock starts: the first request over HTTP loads undici and creates the pool.
      const via = this.#dispatch ?? this.#getPool();
      const attemptStart = debug ? performance.now() : 0;
      const timeoutMs = attemptTimeoutMs({
        attempt,
        timeoutMs: this.#connection.timeoutMs,
        startedAtMs,
        nowMs: attempt === 1 ? startedAtMs : this.#now(),
        policy,
      });
      let result: { response: Mutable<TransportResponse> } | { failure: NetworkFailure; cause: unknown };
      const precise =
        typeof via === "function" || timeoutMs < PRECISE_TIMEOUT_BELOW_MS ? new AbortController() : undefined;
      const timer = precise === undefined ? undefined : setTimeout(() => precise.abort(), timeoutMs);
      try {
        const answer = await this.#exchange(request, via, timeoutMs, precise?.signal);
        result = { response: { ...answer, attempts: attempt } };
      } catch (err) {
        const failure: NetworkFailure =
          precise?.signal.aborted === true
            ? { kind: "timeout", reason: noResponseWithin(timeoutMs), transient: true, requestSent: true }
            : this.#withTimeoutReason(classifyNetworkError(err), timeoutMs);
        result = { failure, cause: err };
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }

      const logAttempt = (retryInMs?: number) =>
        debugLogAttempt({
          method: request.method,
          path: request.path,
          attempt,
          maxAttempts: policy.maxAttempts,
          durationMs: performance.now() - attemptStart,
          result: "response" in result ? String(result.response.status) : describeFailure(result.failure),
          ...(retryInMs === undefined ? {} : { retryInMs }),
        });
      const response = "response" in result ? result.response : undefined;
      if (response !== undefined && !isRetryableStatus(response.status)) {
        if (debug) logAttempt();
        return response;
      }

      const outcome: AttemptOutcome =
        "response" in result
          ? {
              kind: "status",
              status: result.response.status,
              retryAfter: headerValue(result.response.headers["retry-after"]),
            }
          : { kind: "network", transient: result.failure.transient, requestSent: result.failure.requestSent };
      const decision = decideRetry({
        outcome,
        idempotent: request.idempotent,
        attempt,
        startedAtMs,
        nowMs: this.#now(),
        policy,
        random: this.#random,
      });
      if (debug) logAttempt(decision.retry ? decision.delayMs : undefined);

      if (decision.retry) {
        if (response !== undefined) lastAnswer = response;
        await this.#sleep(decision.delayMs);
        continue;
      }
      if (
        lastAnswer !== undefined &&
        "failure" in result &&
        result.failure.kind === "timeout" &&
        timeoutMs < this.#connection.timeoutMs
      ) {
        // The attempt had only what was left of the deadline: CMF's own answer says more than that timeout.
        lastAnswer.attempts = attempt;
        lastAnswer.note =
          `attempt ${attempt} had no response within the ${timeoutMs} ms left ` +
          `of the retry deadline of ${policy.deadlineMs} ms`;
        return lastAnswer;
      }
      if ("response" in result) {
        if (decision.retryAfterMs !== undefined) {
          result.response.note =
            `CMF asked to retry after ${Math.ceil(decision.retryAfterMs / 1000)} s, ` +
            `beyond the retry deadline of ${policy.deadlineMs} ms`;
        }
        return result.response;
      }
      throw new CmfConnectionError({
        url: this.#connection.origin + request.path,
        method: request.method,
        kind: result.failure.kind,
        code: result.failure.code,
        reason: this.#withMtlsHint(result.failure),
        attempts: attempt,
        elapsedMs: Math.max(0, this.#now() - startedAtMs),
        operation: request.operation,
        cause: result.cause,
      });
    }
  }

  /** One attempt: to the in-process server, or over the pool. */
  async #exchange(
    request: TransportRequest,
    via: InProcessDispatch | UndiciPool,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<DispatchedAnswer> {
    const headers = request.body === undefined ? this.#plainHeaders : this.#jsonBodyHeaders;
    if (typeof via === "function") {
      const { method, path, body } = request;
      return via({ method, path, headers, ...(body === undefined ? {} : { body }) }, signal);
    }
    return bufferedExchange(
      via,
      {
        path: request.path,
        method: request.method,
        headers,
        body: request.body ?? null,
        // The pool's own timeouts are the full per-request timeout; only later attempts get less.
        ...(timeoutMs === this.#connection.timeoutMs
          ? {}
          : { headersTimeout: timeoutMs, bodyTimeout: timeoutMs }),
      },
      signal,
    );
  }

  /**
   * With TLS 1.3 a server that refuses the client certificate completes the handshake and then just
   * closes the connection; the client sees nothing more specific than that.
   */
  #withMtlsHint(failure: NetworkFailure): string {
    if (failure.kind !== "reset" || failure.nothingReceived !== true || this.#connection.tls === undefined) {
      return failure.reason;
    }
    const presented =
      this.#connection.tls.cert === undefined
        ? "no client certificate was set"
        : "check that CMF trusts the client certificate";
    return `${failure.reason}; an mTLS endpoint does this when it refuses the client certificate (${presented})`;
  }

  /** undici's timeout errors do not say how long they waited; the message should. */
  #withTimeoutReason(failure: NetworkFailure, timeoutMs: number): NetworkFailure {
    if (failure.kind !== "timeout") return failure;
    const reason =
      failure.code === "UND_ERR_CONNECT_TIMEOUT"
        ? `could not connect within ${this.#connectTimeoutMs} ms`
        : noResponseWithin(timeoutMs);
    return { ...failure, reason };
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describeFailure(failure: NetworkFailure): string {
  return failure.code === undefined ? failure.kind : `${failure.kind} (${failure.code})`;
}
