/**
 * CmfClient overhead: sequential GETs of one application through `CmfClient` (A) against the same
 * requests made with bare undici (B: a keep-alive `Client`, `request()` + `body.json()`), both on one
 * keep-alive connection to an in-process emulator with the "instant" lifecycle. Rounds alternate
 * A B A B ...; the figure of merit is the median of the per-round ratios A/B, so that a noisy moment
 * of a shared machine hits both sides of a ratio alike.
 *
 * Run: npm run build && node dist/bench/client-vs-undici.js [--requests 1000] [--rounds 15] [--json]
 */
import { performance } from "node:perf_hooks";
import { Client } from "undici";
import { CmfClient } from "../provider/client";
import { CmfEmulator } from "../provider/emulator";
import { benchApplication } from "./fixtures";
import { paired, type Summary } from "./stats";

export interface ClientBenchOptions {
  /** Sequential GETs per side and round (default 1000). */
  requests?: number;
  /** Measured rounds (default 15); three unmeasured warm-up rounds come first. */
  rounds?: number;
}

export interface ClientBenchResult {
  requests: number;
  rounds: number;
  /** Milliseconds per round of `requests` GETs through CmfClient. */
  clientMs: Summary;
  /** Milliseconds per round of `requests` GETs through bare undici. */
  undiciMs: Summary;
  /** clientMs / undiciMs per round (samples included). */
  ratio: Summary;
  /** Median extra microseconds per request spent in CmfClient. */
  overheadUsPerRequest: number;
  target: number;
  withinTarget: boolean;
}

export const TARGET_RATIO = 1.15;
const WARMUP_ROUNDS = 3;
const ENVIRONMENT = "bench-env";
const APPLICATION = "bench-app";

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1)
    throw new Error(`benchClient: ${name} must be a positive integer`);
  return chosen;
}

export async function benchClient(opts: ClientBenchOptions = {}): Promise<ClientBenchResult> {
  const requests = positiveInteger("requests", opts.requests, 1000);
  const rounds = positiveInteger("rounds", opts.rounds, 15);
  const emulator = await CmfEmulator.start({ lifecycle: "instant" });
  const client = new CmfClient({ url: emulator.url });
  const bare = new Client(emulator.url, { pipelining: 1 });
  try {
    await client.environments.upsert({ name: ENVIRONMENT, kubernetesNamespace: "bench" });
    await client.applications.upsert(ENVIRONMENT, benchApplication(APPLICATION));
    const path = `/cmf/api/v1/environments/${ENVIRONMENT}/applications/${APPLICATION}`;
    const headers = { accept: "application/json" };

    const viaClient = async (): Promise<number> => {
      const start = performance.now();
      for (let i = 0; i < requests; i++) {
        const app = await client.applications.get(ENVIRONMENT, APPLICATION);
        if (app === undefined) throw new Error("benchClient: the application vanished");
      }
      return performance.now() - start;
    };
    const viaUndici = async (): Promise<number> => {
      const start = performance.now();
      for (let i = 0; i < requests; i++) {
        const response = await bare.request({ path, method: "GET", headers });
        const app = (await response.body.json()) as { metadata?: { name?: string } };
        if (response.statusCode !== 200 || app.metadata?.name !== APPLICATION) {
          throw new Error(`benchClient: bare undici got ${response.statusCode}`);
        }
      }
      return performance.now() - start;
    };

    const { a: clientMs, b: undiciMs, ratio } = await paired(rounds, viaClient, viaUndici, WARMUP_ROUNDS);
    return {
      requests,
      rounds,
      clientMs,
      undiciMs,
      ratio,
      overheadUsPerRequest: ((clientMs.median - undiciMs.median) * 1000) / requests,
      target: TARGET_RATIO,
      withinTarget: ratio.median <= TARGET_RATIO,
    };
  } finally {
    await client.close();
    await bare.close();
    await emulator.close();
  }
}

function argument(args: readonly string[], name: string): number | undefined {
  const index = args.indexOf(`--${name}`);
  if (index === -1) return undefined;
  const value = Number(args[index + 1]);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
}

function format(result: ClientBenchResult): string {
  const ms = (s: Summary) =>
    `median ${s.median.toFixed(1)} ms (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)})`;
  return [
    `CmfClient vs bare undici: ${result.requests} sequential GETs of one application, ${result.rounds} rounds (A B A B ...)`,
    `  CmfClient   ${ms(result.clientMs)}  = ${((result.clientMs.median * 1000) / result.requests).toFixed(1)} us/request`,
    `  bare undici ${ms(result.undiciMs)}  = ${((result.undiciMs.median * 1000) / result.requests).toFixed(1)} us/request`,
    `  ratio per round: median ${result.ratio.median.toFixed(3)} (min ${result.ratio.min.toFixed(3)}, max ${result.ratio.max.toFixed(3)})`,
    `  overhead ${result.overheadUsPerRequest.toFixed(1)} us/request; target <= ${result.target}x: ${result.withinTarget ? "met" : "MISSED"}`,
  ].join("\n");
}

if (require.main === module) {
  const args = process.argv.slice(2);
  benchClient({ requests: argument(args, "requests"), rounds: argument(args, "rounds") })
    .then((result) => {
      process.stdout.write(`${args.includes("--json") ? JSON.stringify(result, null, 2) : format(result)}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
