import { z } from "zod";
import { parseModel } from "../models";

/**
 * Fault injection for `/cmf/...` requests, deterministic for a given seed: the same configuration and
 * the same request sequence give the same faults, so tests that exercise retries are repeatable.
 */
export const FaultConfigSchema = z.strictObject({
  seed: z.number().int().optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  statuses: z.array(z.number().int().min(400).max(599)).min(1).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  dropRate: z.number().min(0).max(1).optional(),
  hangRate: z.number().min(0).max(1).optional(),
  pathPrefix: z.string().optional(),
  methods: z.array(z.string().min(1)).optional(),
  count: z.number().int().min(0).optional(),
});
export type FaultConfig = z.infer<typeof FaultConfigSchema>;

export type FaultAction =
  | { kind: "none" }
  | { kind: "drop" }
  | { kind: "hang" }
  | { kind: "error"; status: number; retryAfterSeconds?: number };

export interface FaultDecision {
  latencyMs: number;
  action: FaultAction;
}

export const DEFAULT_FAULT_SEED = 1;
const DEFAULT_STATUSES = [503];

/** Validates a fault configuration; `messages` holds one `"<field>: <reason>"` per problem. */
export function parseFaultConfig(
  input: unknown,
): { ok: true; value: FaultConfig } | { ok: false; messages: string[] } {
  const parsed = parseModel(FaultConfigSchema, input);
  if (!parsed.ok) return parsed;
  const c = parsed.value;
  const total = (c.errorRate ?? 0) + (c.dropRate ?? 0) + (c.hangRate ?? 0);
  if (total > 1) {
    return { ok: false, messages: [`errorRate + dropRate + hangRate: must be at most 1 (got ${total})`] };
  }
  return parsed;
}

/** mulberry32: tiny, fast and good enough for choosing faults. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private config: FaultConfig | undefined;
  private random: () => number = mulberry32(DEFAULT_FAULT_SEED);
  private remaining: number | undefined;
  private errorRate = 0;
  private methods: Set<string> | undefined;
  injected = 0;

  /**
   * Replaces the configuration. When no rate and no latency is given, `errorRate` is 1, so that
   * `{ "statuses": [429], "count": 2 }` means "answer the next two requests with 429".
   */
  configure(config: FaultConfig): void {
    this.config = { ...config };
    this.random = mulberry32(config.seed ?? DEFAULT_FAULT_SEED);
    this.remaining = config.count;
    const nothingElse =
      config.dropRate === undefined && config.hangRate === undefined && config.latencyMs === undefined;
    this.errorRate = config.errorRate ?? (nothingElse ? 1 : 0);
    this.methods = config.methods ? new Set(config.methods.map((m) => m.toUpperCase())) : undefined;
  }

  clear(): void {
    this.config = undefined;
    this.remaining = undefined;
  }

  reset(): void {
    this.clear();
    this.injected = 0;
  }

  get current(): FaultConfig | undefined {
    return (
      this.config && { ...this.config, ...(this.remaining !== undefined ? { count: this.remaining } : {}) }
    );
  }

  /** What to do with a request; undefined when no fault configuration applies to it. */
  decide(method: string, path: string): FaultDecision | undefined {
    const c = this.config;
    if (!c) return undefined;
    if (c.pathPrefix !== undefined && !path.startsWith(c.pathPrefix)) return undefined;
    if (this.methods && !this.methods.has(method)) return undefined;
    if (this.remaining !== undefined) {
      if (this.remaining <= 0) return undefined;
      this.remaining--;
    }
    const roll = this.random();
    const drop = c.dropRate ?? 0;
    const hang = c.hangRate ?? 0;
    let action: FaultAction = { kind: "none" };
    if (roll < drop) action = { kind: "drop" };
    else if (roll < drop + hang) action = { kind: "hang" };
    else if (roll < drop + hang + this.errorRate) {
      const statuses = c.statuses ?? DEFAULT_STATUSES;
      const status = statuses[Math.floor(this.random() * statuses.length)];
      action = { kind: "error", status, retryAfterSeconds: c.retryAfterSeconds };
    }
    if (action.kind !== "none") this.injected++;
    return { latencyMs: c.latencyMs ?? 0, action };
  }
}
