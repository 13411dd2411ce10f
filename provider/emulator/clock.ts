/**
 * The emulator's notion of time: wall-clock time plus an offset that `clock/advance` moves forward,
 * so that time-based lifecycles and timestamps can be driven by tests without sleeping.
 */
export class EmulatorClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
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
