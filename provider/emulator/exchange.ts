import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";

/*
 * One request and its answer as the emulator's handler sees them: node's `IncomingMessage` and
 * `ServerResponse` when the request came over HTTP, or the stand-ins of `in-process.ts` when the
 * provider's embedded emulator serves a request of its own process. Only what the handler uses.
 */

/** The request line, the headers, the body as a stream, and the connection (a `drop` fault closes it). */
export interface EmulatorRequest extends Readable {
  readonly method?: string;
  readonly url?: string;
  readonly headers: IncomingHttpHeaders;
  readonly socket: { destroy(): unknown };
}

export interface EmulatorResponse {
  /** The client is gone (its connection closed, or its wait ended): nothing more is sent. */
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
  writeHead(status: number, headers: OutgoingHttpHeaders): unknown;
  end(body?: string): unknown;
}
