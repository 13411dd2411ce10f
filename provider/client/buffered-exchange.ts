import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import type { DispatchedAnswer } from "./http-transport";

/** The part of undici's handler controller this uses (undici ≥ 7's `Dispatcher.DispatchController`). */
interface Controller {
  abort(reason: Error): void;
}

/**
 * One request on an undici dispatcher, its answer gathered into a string.
 *
 * This is what `request()` followed by `body.text()` does, without the Readable stream, the
 * AsyncResource and the body mixin those build per request: CMF's answers are small JSON documents
 * read whole. A first pass of 501 GETs (8 in flight) in a fresh process took about a fifth less
 * client CPU this way (docs/benchmarks.md). Errors are undici's own, as `request()` reports them.
 *
 * `signal` aborts the attempt with its reason: at once if the request already started, and otherwise
 * the promise rejects now and the request is aborted as soon as the dispatcher starts it.
 */
export function bufferedExchange(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal?: AbortSignal,
): Promise<DispatchedAnswer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const handler = new BufferingHandler(resolve, reject, signal);
    dispatcher.dispatch(options, handler as unknown as Dispatcher.DispatchHandler);
  });
}

class BufferingHandler {
  #controller: Controller | undefined;
  #settled = false;
  #status = 0;
  #statusText = "";
  #headers: IncomingHttpHeaders = {};
  readonly #chunks: Buffer[] = [];
  #length = 0;
  readonly #resolve: (answer: DispatchedAnswer) => void;
  readonly #reject: (err: unknown) => void;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort: (() => void) | undefined;

  constructor(
    resolve: (answer: DispatchedAnswer) => void,
    reject: (err: unknown) => void,
    signal?: AbortSignal,
  ) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#signal = signal;
    if (signal !== undefined) {
      this.#onAbort = () => {
        const reason = signal.reason as Error;
        if (this.#controller !== undefined) this.#controller.abort(reason);
        else this.#fail(reason);
      };
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
  }

  onRequestStart(controller: Controller): void {
    // Aborted while it waited for a connection: the caller has its answer already.
    if (this.#signal?.aborted === true) controller.abort(this.#signal.reason as Error);
    else this.#controller = controller;
  }

  onResponseStart(
    _controller: Controller,
    status: number,
    headers: IncomingHttpHeaders,
    statusText: string,
  ): void {
    if (status < 200) return; // 1xx: informational, the answer follows
    this.#status = status;
    this.#statusText = statusText;
    this.#headers = headers;
  }

  onResponseData(_controller: Controller, chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#detach();
    this.#resolve({
      status: this.#status,
      statusText: this.#statusText,
      headers: this.#headers,
      body: decode(this.#chunks, this.#length),
    });
  }

  onResponseError(_controller: Controller | null, err: Error): void {
    this.#fail(err);
  }

  #fail(err: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#detach();
    this.#reject(err);
  }

  #detach(): void {
    if (this.#onAbort !== undefined) this.#signal?.removeEventListener("abort", this.#onAbort);
  }
}

/** UTF-8, a leading byte order mark skipped, as undici's `body.text()` does. */
function decode(chunks: readonly Buffer[], length: number): string {
  if (length === 0) return "";
  const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
  const start = length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  return buffer.toString("utf8", start);
}
