import type { IncomingMessage } from "node:http";
import { ApiError, badRequest } from "./errors";

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** How much of an oversized body is read and discarded so the client can see the 413 answer. */
const DRAIN_FACTOR = 8;

function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(";")[0].trim().toLowerCase();
  return (
    mediaType === "application/json" || (mediaType.startsWith("application/") && mediaType.endsWith("+json"))
  );
}

function drain(req: IncomingMessage, budget: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      req.removeAllListeners("data");
      resolve();
    };
    req.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > budget) done();
    });
    req.on("end", done);
    req.on("error", done);
    req.on("close", done);
  });
}

/**
 * Reads a JSON request body: 415 for another content type (Spring's answer, including when the header
 * is missing), 413 above the limit, 400 for an empty body or malformed JSON, with Spring-like messages.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const contentType = req.headers["content-type"];
  if (!isJsonContentType(contentType)) {
    await drain(req, limit * DRAIN_FACTOR);
    throw new ApiError(
      415,
      `Content-Type '${contentType ?? "application/octet-stream"}' is not supported; send application/json`,
    );
  }
  const tooLarge = () =>
    new ApiError(413, `Request body is larger than the limit of ${limit} bytes`, { Connection: "close" });
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    await drain(req, limit * DRAIN_FACTOR);
    throw tooLarge();
  }

  const chunks: Buffer[] = [];
  let size = 0;
  let exceeded = false;
  await new Promise<void>((resolve, reject) => {
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        exceeded = true;
        if (size > limit * DRAIN_FACTOR) {
          req.removeAllListeners("data");
          resolve();
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve());
    req.on("error", reject);
  });
  if (exceeded) throw tooLarge();

  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw badRequest("Required request body is missing");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`JSON parse error: ${(err as Error).message}`);
  }
}
