import { STATUS_CODES, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import type { DispatchedAnswer, DispatchedRequest } from "../client/http-transport";
import type { EmulatorRequest, EmulatorResponse } from "./exchange";

/*
 * Requests served without HTTP, for a client in the emulator's own process: the provider and its
 * embedded emulator. Over a loopback socket, undici on one side and node:http on the other took about
 * half of the provider's CPU in a refresh (docs/benchmarks.md); here the request goes to the same
 * handler (routes, auth, faults, stats, data-file writes) as plain values. Faults keep their meaning:
 * a `drop` rejects as a connection reset before any byte, a `hang` never answers (the client's own
 * timeout ends the wait, as over HTTP), and a client that stops waiting is seen as gone.
 */

export type RequestListener = (req: EmulatorRequest, res: EmulatorResponse) => void;

/**
 * A connection closed by the emulator before it answered (a `drop` fault), with the code and the
 * `socket.bytesRead` a socket error has, so the client tells it apart as it does over HTTP.
 */
export class InProcessReset extends Error {
  readonly code = "ECONNRESET";
  readonly socket = { bytesRead: 0 };
  constructor() {
    super("the emulator closed the connection");
    this.name = "InProcessReset";
  }
}

/** The emulator is closed: what a connect to its port would meet. */
export class InProcessRefused extends Error {
  readonly code = "ECONNREFUSED";
  constructor() {
    super("the emulator is closed");
    this.name = "InProcessRefused";
  }
}

class InProcessResponse implements EmulatorResponse {
  destroyed = false;
  writableEnded = false;
  #status = 200;
  readonly #headers: IncomingHttpHeaders = {};

  constructor(private readonly answer: (answer: DispatchedAnswer) => void) {}

  writeHead(status: number, headers: OutgoingHttpHeaders): this {
    this.#status = status;
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) this.#headers[name.toLowerCase()] = String(value);
    }
    return this;
  }

  end(body?: string): this {
    if (this.writableEnded) return this;
    this.writableEnded = true;
    if (!this.destroyed) {
      this.answer({
        status: this.#status,
        statusText: STATUS_CODES[this.#status] ?? "",
        headers: this.#headers,
        body: body ?? "",
      });
    }
    return this;
  }
}

/**
 * Hands `request` to `listener` and settles with its answer. `signal` is the client giving up (its
 * timeout): the promise rejects with the signal's reason and the handler sees the response destroyed.
 */
export function dispatchInProcess(
  listener: RequestListener,
  request: DispatchedRequest,
  signal?: AbortSignal,
): Promise<DispatchedAnswer> {
  return new Promise<DispatchedAnswer>((resolve, reject) => {
    const headers: IncomingHttpHeaders = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    const body = request.body === undefined ? undefined : Buffer.from(request.body, "utf8");
    if (body !== undefined) headers["content-length"] = String(body.length);

    const response = new InProcessResponse((answer) => {
      signal?.removeEventListener("abort", onAbort);
      resolve(answer);
    });
    const close = (error: unknown) => {
      response.destroyed = true;
      signal?.removeEventListener("abort", onAbort);
      reject(error);
    };
    const onAbort = () => close(signal?.reason);
    const req: EmulatorRequest = Object.assign(Readable.from(body === undefined ? [] : [body]), {
      method: request.method,
      url: request.path,
      headers,
      socket: { destroy: () => close(new InProcessReset()) },
    });
    if (signal !== undefined) {
      if (signal.aborted) {
        close(signal.reason);
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
    }
    listener(req, response);
  });
}
