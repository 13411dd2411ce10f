import {
  attemptTimeoutMs,
  backoffDelayMs,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  MIN_ATTEMPT_BUDGET_MS,
  parseRetryAfter,
  type AttemptOutcome,
  type RetryInput,
  type RetryPolicy,
} from "../../provider/client/retry-policy";

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, deadlineMs: 10_000 };
const NOW = Date.parse("2026-05-01T12:00:00Z");

function input(outcome: AttemptOutcome, overrides: Partial<RetryInput> = {}): RetryInput {
  return {
    outcome,
    idempotent: true,
    attempt: 1,
    startedAtMs: NOW,
    nowMs: NOW,
    policy,
    random: () => 0.5,
    ...overrides,
  };
}

const status = (code: number, retryAfter?: string): AttemptOutcome => ({
  kind: "status",
  status: code,
  retryAfter,
});
const refused: AttemptOutcome = { kind: "network", transient: true, requestSent: false };
const reset: AttemptOutcome = { kind: "network", transient: true, requestSent: true };
const tlsFailure: AttemptOutcome = { kind: "network", transient: false, requestSent: false };

describe("isRetryableStatus", () => {
  it.each([429, 502, 503, 504])("retries %i", (code) => expect(isRetryableStatus(code)).toBe(true));
  it.each([200, 204, 304, 400, 401, 403, 404, 409, 410, 422, 500, 501])("does not retry %i", (code) =>
    expect(isRetryableStatus(code)).toBe(false),
  );
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("3", NOW)).toBe(3000);
    expect(parseRetryAfter(" 0 ", NOW)).toBe(0);
  });
  it("reads an HTTP date relative to now, clamping the past to 0", () => {
    expect(parseRetryAfter(new Date(NOW + 7000).toUTCString(), NOW)).toBe(7000);
    expect(parseRetryAfter(new Date(NOW - 7000).toUTCString(), NOW)).toBe(0);
  });
  it("ignores absent, empty and garbage values", () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter("", NOW)).toBeUndefined();
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter("-5", NOW)).toBeUndefined();
    expect(parseRetryAfter("1.5", NOW)).toBeUndefined();
  });
});

describe("backoffDelayMs (full jitter)", () => {
  it("draws uniformly below an exponentially growing window", () => {
    const almostOne = () => 0.999999;
    expect(backoffDelayMs(1, policy, almostOne)).toBe(99);
    expect(backoffDelayMs(2, policy, almostOne)).toBe(199);
    expect(backoffDelayMs(3, policy, almostOne)).toBe(399);
    expect(backoffDelayMs(4, policy, almostOne)).toBe(799);
  });
  it("caps the window at maxDelayMs, also for huge attempt numbers", () => {
    expect(backoffDelayMs(5, policy, () => 0.999999)).toBe(999);
    expect(backoffDelayMs(1000, policy, () => 0.999999)).toBe(999);
  });
  it("can be zero (full jitter) and scales with the random source", () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(3, policy, () => 0.25)).toBe(100);
  });
});

describe("decideRetry", () => {
  it.each([429, 502, 503, 504])("retries idempotent requests on %i", (code) => {
    expect(decideRetry(input(status(code)))).toEqual({ retry: true, delayMs: 50 });
  });

  it.each([400, 401, 403, 404, 409, 422, 500])("never retries %i", (code) => {
    expect(decideRetry(input(status(code)))).toEqual({ retry: false, reason: "not-retryable" });
  });

  it("retries idempotent requests on refused, reset and timeout", () => {
    expect(decideRetry(input(refused)).retry).toBe(true);
    expect(decideRetry(input(reset)).retry).toBe(true);
  });

  it("never retries permanent transport failures such as TLS verification", () => {
    expect(decideRetry(input(tlsFailure))).toEqual({ retry: false, reason: "not-retryable" });
  });

  it("retries a non-idempotent POST only when it never left (connection refused)", () => {
    expect(decideRetry(input(refused, { idempotent: false })).retry).toBe(true);
    expect(decideRetry(input(reset, { idempotent: false }))).toEqual({
      retry: false,
      reason: "not-retryable",
    });
    expect(decideRetry(input(status(503), { idempotent: false }))).toEqual({
      retry: false,
      reason: "not-retryable",
    });
    expect(decideRetry(input(status(429), { idempotent: false }))).toEqual({
      retry: false,
      reason: "not-retryable",
    });
  });

  it("stops after maxAttempts", () => {
    expect(decideRetry(input(status(503), { attempt: 4 })).retry).toBe(true);
    expect(decideRetry(input(status(503), { attempt: 5 }))).toEqual({
      retry: false,
      reason: "attempts-exhausted",
    });
  });

  it("honours Retry-After as a floor over the jittered backoff", () => {
    expect(decideRetry(input(status(503, "2")))).toEqual({ retry: true, delayMs: 2000 });
    expect(decideRetry(input(status(429, new Date(NOW + 4000).toUTCString())))).toEqual({
      retry: true,
      delayMs: 4000,
    });
    // A Retry-After shorter than the backoff does not shorten the wait.
    expect(decideRetry(input(status(503, "0"), { attempt: 4, random: () => 0.5 }))).toEqual({
      retry: true,
      delayMs: 400,
    });
  });

  it("does not start a wait that ends beyond the deadline, nor a retry with almost nothing left", () => {
    expect(decideRetry(input(status(503), { nowMs: NOW + 9_800, random: () => 0.5 }))).toEqual({
      retry: true,
      delayMs: 50,
    });
    expect(decideRetry(input(status(503), { nowMs: NOW + 9_960, attempt: 2, random: () => 0.5 }))).toEqual({
      retry: false,
      reason: "deadline",
    });
    // 50 ms of backoff would leave 80 ms, below MIN_ATTEMPT_BUDGET_MS.
    expect(MIN_ATTEMPT_BUDGET_MS).toBe(100);
    expect(decideRetry(input(status(503), { nowMs: NOW + 9_870, random: () => 0.5 }))).toEqual({
      retry: false,
      reason: "deadline",
    });
  });

  it("gives up at once, saying so, when Retry-After exceeds the deadline", () => {
    expect(decideRetry(input(status(429, "60")))).toEqual({
      retry: false,
      reason: "deadline",
      retryAfterMs: 60_000,
    });
  });

  it("uses the injected random source, so a seeded sequence gives a reproducible schedule", () => {
    const draws = [0.1, 0.9, 0.3];
    let i = 0;
    const random = () => draws[i++ % draws.length];
    const delays = [1, 2, 3].map((attempt) => {
      const decision = decideRetry(input(status(503), { attempt, random }));
      return decision.retry ? decision.delayMs : -1;
    });
    expect(delays).toEqual([10, 180, 120]);
  });
});

describe("attemptTimeoutMs", () => {
  it("gives the first attempt the whole per-request timeout, even beyond the deadline", () => {
    const tight = { ...policy, deadlineMs: 1000 };
    expect(
      attemptTimeoutMs({ attempt: 1, timeoutMs: 5000, startedAtMs: NOW, nowMs: NOW, policy: tight }),
    ).toBe(5000);
  });
  it("bounds later attempts by the rest of the deadline", () => {
    expect(
      attemptTimeoutMs({ attempt: 2, timeoutMs: 5000, startedAtMs: NOW, nowMs: NOW + 7000, policy }),
    ).toBe(3000);
    expect(
      attemptTimeoutMs({ attempt: 2, timeoutMs: 2000, startedAtMs: NOW, nowMs: NOW + 7000, policy }),
    ).toBe(2000);
    expect(
      attemptTimeoutMs({ attempt: 3, timeoutMs: 2000, startedAtMs: NOW, nowMs: NOW + 20_000, policy }),
    ).toBe(1);
  });
});

describe("DEFAULT_RETRY_POLICY", () => {
  it("is frozen and sane", () => {
    expect(Object.isFrozen(DEFAULT_RETRY_POLICY)).toBe(true);
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 5,
      baseDelayMs: 250,
      maxDelayMs: 8000,
      deadlineMs: 60_000,
    });
  });
});
