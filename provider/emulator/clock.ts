/** RFC 3339 needs a four-digit year: the last instant a timestamp may show is 9999-12-31T23:59:59.999Z. */
export const MAX_TIMESTAMP_MS = 253402300799999;
/**
 * POLICY: `clock/advance` may move the clock at most 100 years ahead in total; more would only serve
 * to push timestamps out of range (which once broke every later answer).
 */
export const MAX_CLOCK_OFFSET_MS = 100 * 365.25 * 24 * 3600 * 1000;

/**
 * The emulator's notion of time: wall-clock time plus an offset that `clock/advance` moves forward,
 * so that time-based lifecycles and timestamps can be driven by tests without sleeping.
 */
export class EmulatorClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** How far the clock may still be advanced. */
  get remainingMs(): number {
    return MAX_CLOCK_OFFSET_MS - this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms < 0 || ms > this.remainingMs) {
      throw new RangeError(`clock advance of ${ms} ms is out of range (0..${this.remainingMs})`);
    }
    this.offsetMs += ms;
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** Restores a persisted offset so that reloaded lifecycles do not jump backwards. */
  restore(offsetMs: number): void {
    this.offsetMs = Math.max(this.offsetMs, offsetMs);
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

/** RFC 3339, UTC, millisecond precision: `2025-03-31T11:34:01.503Z`. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString();
}
