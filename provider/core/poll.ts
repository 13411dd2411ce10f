/**
 * Waiting for CMF's asynchronous state: CMF has no watch API, so the provider polls GET with a growing
 * interval, bounded in time.
 */
export interface PollOptions {
  timeoutMs: number;
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type PollResult<T> =
  | { outcome: "done"; value: T }
  | { outcome: "failed"; value: T; detail: string }
  | { outcome: "timeout"; last: T | undefined; detail: string };

export type PollStep<T> =
  | { done: true; value: T }
  | { done: false; value: T; detail: string }
  | { failed: true; value: T; detail: string };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` until it reports done or failed, or until `timeoutMs` has passed (at least one probe
 * always runs). Intervals grow by half each time, from `initialIntervalMs` to `maxIntervalMs`.
 */
export async function poll<T>(
  probe: () => Promise<PollStep<T>>,
  options: PollOptions,
): Promise<PollResult<T>> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const deadline = now() + options.timeoutMs;
  let interval = options.initialIntervalMs ?? 250;
  const maxInterval = options.maxIntervalMs ?? 5_000;
  for (;;) {
    const step = await probe();
    if ("failed" in step) return { outcome: "failed", value: step.value, detail: step.detail };
    if (step.done) return { outcome: "done", value: step.value };
    const remaining = deadline - now();
    if (remaining <= 0) return { outcome: "timeout", last: step.value, detail: step.detail };
    await sleep(Math.min(interval, remaining));
    interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
  }
}
