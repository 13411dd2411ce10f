import { DocumentParseError, parseDocumentText, type DocumentFormat } from "../models";
import { ApiError, badRequest } from "./errors";
import type { EmulatorRequest } from "./exchange";

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** How much of an oversized body is read and discarded so the client can see the 413 answer. */
const DRAIN_FACTOR = 8;

/** CMF offers every request body as JSON and as YAML (the docs post FlinkApplication YAML files with curl). */
function bodyFormat(contentType: string | undefined): DocumentFormat | undefined {
  if (!contentType) return undefined;
  const mediaType = contentType.split(";")[0].trim().toLowerCase();
  if (
    mediaType === "application/json" ||
    (mediaType.startsWith("application/") && mediaType.endsWith("+json"))
  ) {
    return "json";
  }
  if (mediaType === "application/yaml" || mediaType === "application/x-yaml") return "yaml";
  return undefined;
}

function drain(req: EmulatorRequest, budget: number): Promise<void> {
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
 * Reads a JSON or YAML request body: 415 for another content type (Spring's answer, including when the
 * header is missing), 413 above the limit, 400 for an empty body or malformed JSON/YAML, with
 * Spring-like messages; depth, alias and cycle limits as {@link parseDocumentText} sets them.
 */
export async function readRequestBody(req: EmulatorRequest, limit: number): Promise<unknown> {
  const contentType = req.headers["content-type"];
  const format = bodyFormat(contentType);
  if (!format) {
    await drain(req, limit * DRAIN_FACTOR);
    throw new ApiError(
      415,
      `Content-Type '${contentType ?? "application/octet-stream"}' is not supported; send application/json or application/yaml`,
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
    return parseDocumentText(text, format);
  } catch (err) {
    if (err instanceof DocumentParseError) throw badRequest(err.message);
    throw err;
  }
}
