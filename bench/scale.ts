/**
 * Scale: `listAll` over 1,000 and 10,000 applications (time and peak RSS of the client process, the
 * emulator's RSS), the 10k/1k time ratio (linear is ~10) and the emulator's memory per application.
 * The emulator and each listing run in their own processes so that their memory is their own.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { benchApplication, startStandaloneEmulator } from "./fixtures";
import { summarize, type Summary } from "./stats";

const execFileAsync = promisify(execFile);
const DIST = path.resolve(__dirname, "..");
const ENVIRONMENT = "scale-env";

export interface ScaleOptions {
  sizes?: number[];
  rounds?: number;
  pageSize?: number;
}

export interface ScalePoint {
  applications: number;
  listAllMs: Summary;
  clientPeakRssMb: Summary;
  emulatorRssMb: number;
}

export interface ScaleResult {
  pageSize: number;
  points: ScalePoint[];
  /** Time of the largest size over the smallest; ~10 for 10k/1k when linear. */
  timeRatio: number;
  emulatorBytesPerApplication: number;
}

function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url} → ${response.status}: ${await response.text()}`);
}

async function seed(api: string, from: number, to: number, concurrency = 16): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const i = next++;
      await post(
        `${api}/environments/${ENVIRONMENT}/applications`,
        benchApplication(`app-${String(i).padStart(6, "0")}`, { team: `team-${i % 10}` }),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function listAllOnce(url: string, pageSize: number, expected: number) {
  const { stdout } = await execFileAsync(process.execPath, [
    path.join(DIST, "bench", "scale-client.js"),
    url,
    ENVIRONMENT,
    String(pageSize),
  ]);
  const result = JSON.parse(stdout) as { count: number; ms: number; maxRssKb: number };
  if (result.count !== expected)
    throw new Error(`listAll returned ${result.count} applications, not ${expected}`);
  return result;
}

export async function benchScale(options: ScaleOptions = {}): Promise<ScaleResult> {
  const sizes = [...(options.sizes ?? [1000, 10000])].sort((a, b) => a - b);
  const rounds = options.rounds ?? 3;
  const pageSize = options.pageSize ?? 100;
  const emulator = await startStandaloneEmulator();
  try {
    const api = `${emulator.url}/cmf/api/v1`;
    await post(`${api}/environments`, { name: ENVIRONMENT, kubernetesNamespace: "scale" });
    const points: ScalePoint[] = [];
    let seeded = 0;
    for (const size of sizes) {
      await seed(api, seeded, size);
      seeded = size;
      const runs = [];
      for (let i = 0; i < rounds; i++) runs.push(await listAllOnce(emulator.url, pageSize, size));
      points.push({
        applications: size,
        listAllMs: summarize(runs.map((r) => r.ms)),
        clientPeakRssMb: summarize(runs.map((r) => r.maxRssKb / 1024)),
        emulatorRssMb: rssBytes(emulator.process.pid as number) / 2 ** 20,
      });
    }
    const first = points[0];
    const last = points[points.length - 1];
    return {
      pageSize,
      points,
      timeRatio: last.listAllMs.median / first.listAllMs.median,
      emulatorBytesPerApplication:
        ((last.emulatorRssMb - first.emulatorRssMb) * 2 ** 20) / (last.applications - first.applications),
    };
  } finally {
    await emulator.stop();
  }
}
