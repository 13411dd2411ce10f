import { createHash } from "node:crypto";
import { restError } from "../models";
import type { EmulatorRequest, EmulatorResponse } from "./exchange";

/** What a route handler answers; `body` is JSON text. */
export interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Add an ETag (given, or computed from the body) and honour `If-None-Match` with 304. */
  etag?: string | true;
}

export const jsonReply = (status: number, value: unknown, etag?: true): Reply => ({
  status,
  body: JSON.stringify(value),
  ...(etag ? { etag } : {}),
});

export const emptyReply = (status: number): Reply => ({ status });

export function errorReply(status: number, messages: string[], headers?: Record<string, string>): Reply {
  return { status, body: JSON.stringify(restError(messages)), headers };
}

/** Spring's `ShallowEtagHeaderFilter` format: `"0" + md5(body)` in quotes. */
export function computeEtag(body: string): string {
  return `"0${createHash("md5").update(body).digest("hex")}"`;
}

function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}

export function send(req: EmulatorRequest, res: EmulatorResponse, reply: Reply): void {
  if (res.writableEnded || res.destroyed) return;
  const headers: Record<string, string | number> = { ...reply.headers };
  let body = reply.body;
  let status = reply.status;
  if (reply.etag !== undefined && body !== undefined && status === 200) {
    const etag = reply.etag === true ? computeEtag(body) : reply.etag;
    headers.ETag = etag;
    const ifNoneMatch = req.headers["if-none-match"];
    if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, etag)) {
      status = 304;
      body = undefined;
    }
  }
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = Buffer.byteLength(body);
  } else if (status !== 204 && status !== 304) {
    headers["Content-Length"] = 0;
  }
  res.writeHead(status, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}
