/**
 * How Pulumi's parallelism reaches CMF: `up` of 1 environment + N applications through a counting proxy
 * in front of the standalone emulator, once with the engine's default parallelism and once per bound
 * given, reporting the most requests and connections CMF saw at once and how long `up` took.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { forget, openEngineHarness, resetEmulator } from "./engine-harness";
import { APPLICATIONS_GRAPH } from "./engine-graphs";
import { startStandaloneEmulator } from "./fixtures";
import { timeMs } from "./stats";

export interface ConcurrencyRun {
  /** The engine's `--parallel`; undefined = its default. */
  parallel?: number;
  upMs: number;
  requests: number;
  maxInFlightRequests: number;
  maxOpenConnections: number;
}

export interface ConcurrencyBenchResult {
  applications: number;
  runs: ConcurrencyRun[];
}

interface CountingProxy {
  url: string;
  reset(): void;
  counts(): { requests: number; maxInFlightRequests: number; maxOpenConnections: number };
  close(): Promise<void>;
}

async function countingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  let inFlight = 0;
  let open = 0;
  let requests = 0;
  let maxInFlight = 0;
  let maxOpen = 0;
  const server = http.createServer((req, res) => {
    requests++;
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    res.on("close", () => inFlight--);
    req.pipe(forward);
  });
  server.on("connection", (socket) => {
    maxOpen = Math.max(maxOpen, ++open);
    socket.on("close", () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    reset: () => {
      requests = 0;
      maxInFlight = inFlight;
      maxOpen = open;
    },
    counts: () => ({ requests, maxInFlightRequests: maxInFlight, maxOpenConnections: maxOpen }),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function benchConcurrency(
  options: { applications?: number; parallel?: number[] } = {},
): Promise<ConcurrencyBenchResult> {
  const applications = options.applications ?? 500;
  const bounds: (number | undefined)[] = [undefined, ...(options.parallel ?? [16, 4])];
  const harness = openEngineHarness("concurrency");
  const emulator = await startStandaloneEmulator();
  const proxy = await countingProxy(emulator.url);
  try {
    const runs: ConcurrencyRun[] = [];
    for (const parallel of bounds) {
      const stack = await harness.stack(harness.cmfProgram(APPLICATIONS_GRAPH, applications), {
        CONFLUENT_CMF_URL: proxy.url,
      });
      proxy.reset();
      const upMs = await timeMs(() => stack.up(parallel === undefined ? {} : { parallel }));
      runs.push({ parallel, upMs, ...proxy.counts() });
      await forget(stack);
      await resetEmulator(emulator.url);
    }
    return { applications, runs };
  } finally {
    await proxy.close();
    await emulator.stop();
    harness.close();
  }
}
