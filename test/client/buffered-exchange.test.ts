import { getEventListeners } from "node:events";
import type { ServerResponse } from "node:http";
import { Pool } from "undici";
import { bufferedExchange } from "../../provider/client/buffered-exchange";
import { scriptedServerPerFile, type ScriptHandler } from "./scripted-server";

let handler: ScriptHandler = (_req, res) => res.end();
const server = scriptedServerPerFile((req, res, index) => handler(req, res, index));
let pool: Pool;
const hung: ServerResponse[] = [];

beforeEach(() => {
  pool = new Pool(server.url, { connections: 1 });
});

afterEach(async () => {
  for (const res of hung.splice(0)) res.end();
  await pool.destroy();
});

function get(path: string, signal?: AbortSignal) {
  return bufferedExchange(pool, { path, method: "GET", headers: { accept: "application/json" } }, signal);
}

describe("bufferedExchange", () => {
  it("gathers a body sent in several chunks, skips a UTF-8 byte order mark, and leaves no listener", async () => {
    handler = (_req, res) => {
      res.writeHead(201, "Made", { "content-type": "application/json", "x-trace": "t-1" });
      res.write(Buffer.from([0xef, 0xbb, 0xbf]));
      res.write('{"name":"caf');
      setTimeout(() => res.end('é"}'), 10);
    };
    const signal = new AbortController().signal;
    const answer = await get("/a", signal);
    expect(answer).toMatchObject({ status: 201, statusText: "Made", body: '{"name":"café"}' });
    expect(answer.headers["x-trace"]).toBe("t-1");
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  it("answers an empty body as an empty string", async () => {
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    await expect(get("/a")).resolves.toMatchObject({ status: 204, body: "" });
  });

  it("rejects with the signal's reason when aborted during the exchange", async () => {
    handler = (_req, res) => void hung.push(res);
    const controller = new AbortController();
    const pending = get("/hang", controller.signal);
    await waitFor(() => server.requests.length === 1);
    const reason = new Error("attempt timed out");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it("rejects at once when aborted while queued, and never sends that request", async () => {
    // One connection: the second request waits behind a hung first one.
    handler = (req, res) => (req.url === "/hang" ? void hung.push(res) : res.end("{}"));
    const first = get("/hang");
    await waitFor(() => server.requests.length === 1);
    const controller = new AbortController();
    const queued = get("/queued", controller.signal);
    const reason = new Error("attempt timed out");
    controller.abort(reason);
    await expect(queued).rejects.toBe(reason);
    hung.splice(0).forEach((res) => res.end("{}"));
    await expect(first).resolves.toMatchObject({ status: 200 });
    await expect(get("/after")).resolves.toMatchObject({ status: 200 });
    expect(server.requests.map((r) => r.url)).toEqual(["/hang", "/after"]);
  });

  it("rejects without dispatching when the signal is already aborted", async () => {
    const reason = new Error("no time left");
    await expect(get("/a", AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });

  it("rejects with undici's error when the server drops the connection", async () => {
    handler = (_req, res) => res.socket?.destroy();
    await expect(get("/drop")).rejects.toMatchObject({ code: "UND_ERR_SOCKET" });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error("waitFor: condition not met within 1 s");
}
