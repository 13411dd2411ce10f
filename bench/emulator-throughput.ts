/**
 * Emulator throughput: GET application, upsert application and GET statement, requests per second and p50/p99 latency under
 * autocannon on loopback, against a bare node:http server answering the same bytes (the HTTP floor here).
 * Emulator and floor each run in a child process; rounds alternate emulator, floor, emulator, floor, …
 * Statement create is timed apart (sequential creates, the Flink SQL parse included, parser warm).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startChildServer, type ChildServer } from "./child-server";
import { benchApplication, startStandaloneEmulator } from "./fixtures";
import { load, type LoadResult } from "./load";
import { summarize, type Summary } from "./stats";

export interface ThroughputOptions {
  rounds?: number;
  durationSeconds?: number;
  connections?: number;
}

export interface ThroughputCase {
  emulatorRps: Summary;
  floorRps: Summary;
  /** emulator rps / floor rps, per round. */
  ratio: Summary;
  emulatorP50Ms: Summary;
  emulatorP99Ms: Summary;
  floorP50Ms: Summary;
  floorP99Ms: Summary;
}

export interface ThroughputResult {
  get: ThroughputCase;
  upsert: ThroughputCase;
  statementGet: ThroughputCase;
  /** Milliseconds per statement create (`SELECT <n>`), per round. */
  statementCreateMs: Summary;
  connections: number;
  durationSeconds: number;
  rounds: number;
}

const DIST = path.resolve(__dirname, "..");
const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" };

const APPLICATION = benchApplication("bench-app");

async function request(method: string, url: string, body?: unknown): Promise<Response> {
  const response = await fetch(url, {
    method,
    headers: JSON_HEADERS,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status}: ${await response.text()}`);
  return response;
}

const statement = (name: string, sql: string) => ({
  apiVersion: "cmf.confluent.io/v1",
  kind: "Statement",
  metadata: { name },
  spec: { statement: sql, computePoolName: "bench-pool" },
});

async function seedEmulator(url: string) {
  const api = `${url}/cmf/api/v1`;
  await request("POST", `${api}/environments`, { name: "bench-env", kubernetesNamespace: "bench" });
  const appsUrl = `${api}/environments/bench-env/applications`;
  await request("POST", appsUrl, APPLICATION);
  const appUrl = `${appsUrl}/bench-app`;
  const body = Buffer.from(await (await request("GET", appUrl)).arrayBuffer());
  await request("POST", `${api}/environments/bench-env/compute-pools`, {
    apiVersion: "cmf.confluent.io/v1",
    kind: "ComputePool",
    metadata: { name: "bench-pool" },
    spec: { type: "DEDICATED", clusterSpec: { jobManager: { resource: { memory: "1024m" } } } },
  });
  const statementsUrl = `${api}/environments/bench-env/statements`;
  await request("POST", statementsUrl, statement("bench-statement", "SELECT 1 AS answer"));
  const statementUrl = `${statementsUrl}/bench-statement`;
  const statementBody = Buffer.from(await (await request("GET", statementUrl)).arrayBuffer());
  return { appUrl, appsUrl, body, statementsUrl, statementUrl, statementBody };
}

/** Sequential creates of distinct statements of one shape; ms per create. */
async function timeStatementCreates(statementsUrl: string, round: number, count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    await request("POST", statementsUrl, statement(`bench-create-${round}-${i}`, `SELECT ${i}`));
  }
  return (performance.now() - started) / count;
}

async function compare(
  rounds: number,
  emulator: () => Promise<LoadResult>,
  floor: () => Promise<LoadResult>,
): Promise<ThroughputCase> {
  const e: LoadResult[] = [];
  const f: LoadResult[] = [];
  for (let i = 0; i < rounds; i++) {
    e.push(checked(await emulator(), "emulator"));
    f.push(checked(await floor(), "floor"));
  }
  return {
    emulatorRps: summarize(e.map((r) => r.requestsPerSecond)),
    floorRps: summarize(f.map((r) => r.requestsPerSecond)),
    ratio: summarize(e.map((r, i) => r.requestsPerSecond / f[i].requestsPerSecond)),
    emulatorP50Ms: summarize(e.map((r) => r.p50Ms)),
    emulatorP99Ms: summarize(e.map((r) => r.p99Ms)),
    floorP50Ms: summarize(f.map((r) => r.p50Ms)),
    floorP99Ms: summarize(f.map((r) => r.p99Ms)),
  };
}

function checked(result: LoadResult, who: string): LoadResult {
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${who}: ${result.errors} errors and ${result.non2xx} non-2xx answers under load`);
  }
  return result;
}

export async function benchEmulatorThroughput(options: ThroughputOptions = {}): Promise<ThroughputResult> {
  const rounds = options.rounds ?? 3;
  const durationSeconds = options.durationSeconds ?? 3;
  const connections = options.connections ?? 10;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-bench-http-"));
  const servers: ChildServer[] = [];
  try {
    const emulator = await startStandaloneEmulator();
    servers.push(emulator);
    const { appUrl, appsUrl, body, statementsUrl, statementUrl, statementBody } = await seedEmulator(
      emulator.url,
    );
    const floorWith = async (name: string, bytes: Buffer) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      const server = await startChildServer(process.execPath, [
        path.join(DIST, "bench", "floor-server.js"),
        file,
      ]);
      servers.push(server);
      return server;
    };
    const floor = await floorWith("application.json", body);
    const statementFloor = await floorWith("statement.json", statementBody);
    const floorUrl = `${floor.url}/cmf/api/v1/environments/bench-env/applications/bench-app`;
    const run = (url: string, method: "GET" | "POST") => () =>
      load({
        url,
        method,
        headers: JSON_HEADERS,
        body: method === "POST" ? JSON.stringify(APPLICATION) : undefined,
        connections,
        durationSeconds,
      });

    const get = await compare(rounds, run(appUrl, "GET"), run(floorUrl, "GET"));
    const upsert = await compare(rounds, run(appsUrl, "POST"), run(floorUrl, "POST"));
    const statementGet = await compare(rounds, run(statementUrl, "GET"), run(statementFloor.url, "GET"));
    const creates: number[] = [];
    for (let round = 0; round < rounds; round++)
      creates.push(await timeStatementCreates(statementsUrl, round, 50));
    const statementCreateMs = summarize(creates);
    return { get, upsert, statementGet, statementCreateMs, connections, durationSeconds, rounds };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchEmulatorThroughput().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
