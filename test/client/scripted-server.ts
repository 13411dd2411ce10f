import type { FlinkApplicationSpec, PostFlinkApplication } from "../../provider/client";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { performance } from "node:perf_hooks";

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** performance.now() when the request head arrived. */
  readonly atMs: number;
}

/** `index` counts requests from 0; the handler may answer, destroy the socket, or never answer. */
export type ScriptHandler = (request: RecordedRequest, response: ServerResponse, index: number) => void;

export interface ScriptedServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A loopback HTTP server whose every answer is scripted by the test, for faults the emulator cannot make. */
export async function startScriptedServer(handler: ScriptHandler): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((req, res) => {
    const atMs = performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        atMs,
      };
      requests.push(recorded);
      handler(recorded, res, requests.length - 1);
    });
  });
  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * One scripted server for a whole test file: started before its tests, its request log cleared
 * before each test, closed after them. `handler` is called for every request, so a file can swap
 * what it answers between tests.
 */
export function scriptedServerPerFile(handler: ScriptHandler): ScriptedServer {
  let started: ScriptedServer | undefined;
  const running = (): ScriptedServer => {
    if (started === undefined) throw new Error("the scripted server runs only during its file's tests");
    return started;
  };
  beforeAll(async () => {
    started = await startScriptedServer(handler);
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(() => {
    running().requests.length = 0;
  });
  return {
    get url() {
      return running().url;
    },
    get requests() {
      return running().requests;
    },
    connections: () => running().connections(),
    close: () => running().close(),
  };
}

export function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(text);
}

/** A port on which nothing listens (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const SAMPLE_ENVIRONMENT = {
  name: "prod-env",
  kubernetesNamespace: "flink-prod",
  created_time: "2026-05-01T12:00:00.000Z",
  updated_time: "2026-05-01T12:00:00.000Z",
};

export function sampleApplication(
  name = "orders-app",
  state: "running" | "suspended" = "running",
): PostFlinkApplication & { spec: FlinkApplicationSpec } {
  return {
    apiVersion: "cmf.confluent.io/v1",
    kind: "FlinkApplication",
    metadata: { name },
    spec: {
      image: "confluentinc/cp-flink:1.19.3-cp2",
      flinkVersion: "v1_19",
      flinkConfiguration: { "taskmanager.numberOfTaskSlots": "2" },
      job: { jarURI: "local:///opt/flink/examples/streaming/StateMachineExample.jar", parallelism: 1, state },
    },
  };
}
