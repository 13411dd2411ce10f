/**
 * When to retry a CMF request and how long to wait: pure functions over an injected clock reading and
 * random source, so that the policy is unit-tested without timers or sockets.
 */

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  readonly maxAttempts: number;
  /** Cap of the first backoff window; window n is `baseDelayMs * 2^(n-1)`. */
  readonly baseDelayMs: number;
  /** Cap of every backoff window. */
  readonly maxDelayMs: number;
  /**
   * Total budget from the start of the first attempt: no wait extends beyond it, no retry starts with
   * less than {@link MIN_ATTEMPT_BUDGET_MS} of it left, and retries get at most what is left.
   */
  readonly deadlineMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  deadlineMs: 60_000,
});

/**
 * A retry is started only if at least this much of the deadline is left after the wait: an attempt
 * squeezed into a few milliseconds would time out for sure and hide the real failure behind a timeout.
 */
export const MIN_ATTEMPT_BUDGET_MS = 100;

/** 429 and the gateway-ish 5xx that mean "not processed, try again"; 500 is a server bug, not a blip. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** How an attempt ended, reduced to what the policy needs. */
export type AttemptOutcome =
  | { readonly kind: "status"; readonly status: number; readonly retryAfter?: string | undefined }
  | {
      readonly kind: "network";
      /** Transient transport failure (refused, reset, timeout, temporary DNS failure). */
      readonly transient: boolean;
      /** False only when the request provably never left this process (e.g. connection refused). */
      readonly requestSent: boolean;
    };

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | {
      readonly retry: false;
      readonly reason: "not-retryable" | "attempts-exhausted" | "deadline";
      /** Set when the server asked for a wait (Retry-After) that the deadline does not allow. */
      readonly retryAfterMs?: number;
    };

export interface RetryInput {
  readonly outcome: AttemptOutcome;
  /** GET, DELETE and the upserts; a repeated non-idempotent POST could act twice. */
  readonly idempotent: boolean;
  /** 1-based number of the attempt that just ended. */
  readonly attempt: number;
  readonly startedAtMs: number;
  readonly nowMs: number;
  readonly policy: RetryPolicy;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

/**
 * `Retry-After` as a delay in ms from `nowMs`: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unparseable; a date in the past yields 0.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date always names a month; without letters V8's lenient Date.parse accepts "-5" or "1.5".
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): uniform in [0, window). */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.floor(random() * window);
}

function isRetryableOutcome(outcome: AttemptOutcome, idempotent: boolean): boolean {
  if (outcome.kind === "status") {
    // A status means the request reached CMF; a non-idempotent POST may already have acted.
    return idempotent && isRetryableStatus(outcome.status);
  }
  if (!outcome.transient) return false;
  return idempotent || !outcome.requestSent;
}

export function decideRetry(input: RetryInput): RetryDecision {
  const { outcome, policy } = input;
  if (!isRetryableOutcome(outcome, input.idempotent)) return { retry: false, reason: "not-retryable" };
  if (input.attempt >= policy.maxAttempts) return { retry: false, reason: "attempts-exhausted" };

  const backoff = backoffDelayMs(input.attempt, policy, input.random);
  const retryAfterMs =
    outcome.kind === "status" ? parseRetryAfter(outcome.retryAfter, input.nowMs) : undefined;
  // Retry-After is a floor: waiting less would ignore the server, waiting more is harmless.
  const delayMs = Math.max(backoff, retryAfterMs ?? 0);
  const elapsedAfterWait = input.nowMs + delayMs - input.startedAtMs;
  if (policy.deadlineMs - elapsedAfterWait < MIN_ATTEMPT_BUDGET_MS) {
    return retryAfterMs === undefined
      ? { retry: false, reason: "deadline" }
      : { retry: false, reason: "deadline", retryAfterMs };
  }
  return { retry: true, delayMs };
}

/**
 * Time budget of one attempt: the full per-request timeout for the first one (a lone request is never
 * cut short by the retry deadline), the rest of the deadline for later ones.
 */
export function attemptTimeoutMs(input: {
  readonly attempt: number;
  readonly timeoutMs: number;
  readonly startedAtMs: number;
  readonly nowMs: number;
  readonly policy: RetryPolicy;
}): number {
  if (input.attempt <= 1) return input.timeoutMs;
  const remaining = input.policy.deadlineMs - (input.nowMs - input.startedAtMs);
  return Math.max(1, Math.min(input.timeoutMs, remaining));
}
