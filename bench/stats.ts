/** Summaries for benchmark samples: medians with their spread, and ratios taken pair by pair. */

export interface Summary {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) throw new Error("summarize: no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], samples };
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) throw new Error("percentile: no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export interface Paired {
  a: Summary;
  b: Summary;
  /** a/b per round, so that a noisy minute of the shared machine hits both sides of a ratio alike. */
  ratio: Summary;
}

/**
 * Runs A then B, A then B, … for `rounds` rounds (after `warmup` unmeasured rounds) and summarises each side
 * and the per-round ratio A/B. Each function returns the figure it measured (usually milliseconds).
 */
export async function paired(
  rounds: number,
  a: () => Promise<number>,
  b: () => Promise<number>,
  warmup = 1,
): Promise<Paired> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const x = await a();
    const y = await b();
    as.push(x);
    bs.push(y);
    ratios.push(x / y);
  }
  return { a: summarize(as), b: summarize(bs), ratio: summarize(ratios) };
}

/**
 * Runs every step once per repetition, the order rotating by one each time (A B C, B C A, C A B, …;
 * `start` rotates the first), so that neither going first nor a noisy moment falls on one side only.
 * Returns each step's figures in repetition order: the i-th of each were taken side by side.
 *
 * `warmup` names a step run once, unmeasured, before the first repetition: whatever ran before (an
 * `up` of 500 resources) leaves the machine slower for the next step, which would otherwise be
 * measured on the side that happens to go first.
 */
export async function interleaved<K extends string>(
  repeats: number,
  steps: Record<K, () => Promise<number>>,
  start = 0,
  warmup?: NoInfer<K>,
): Promise<Record<K, number[]>> {
  if (warmup !== undefined) await steps[warmup]();
  const keys = Object.keys(steps) as K[];
  const figures = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<K, number[]>;
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[(start + repeat + i) % keys.length];
      figures[key].push(await steps[key]());
    }
  }
  return figures;
}

export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function formatSummary(s: Summary, digits = 1): string {
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}
