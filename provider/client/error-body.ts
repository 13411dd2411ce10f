/**
 * What CMF (or a proxy in front of it) said in an error body, as a list of lines: RestError messages
 * when the body is one, a Spring-style `message`/`error` otherwise, else the trimmed raw text (an HTML
 * page reduced to its text), else the status text.
 */

const MAX_RAW_CHARS = 1000;

function messagesFromJson(value: unknown): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.errors)) {
    const messages = record.errors.flatMap((item): string[] => {
      if (typeof item === "string") return [item];
      if (typeof item === "object" && item !== null) {
        const message = (item as Record<string, unknown>).message;
        if (typeof message === "string" && message.trim() !== "") return [message.trim()];
      }
      return [];
    });
    if (messages.length > 0) return messages;
  }
  for (const key of ["message", "error", "detail", "title"]) {
    const candidate = record[key];
    if (typeof candidate === "string" && candidate.trim() !== "") return [candidate.trim()];
  }
  return [];
}

/** `{}` or `{"errors":[]}`: JSON that says nothing beyond the status. */
function isEmptyRestError(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.keys(value).every((key) => key === "errors");
}

function truncate(text: string): string {
  return text.length > MAX_RAW_CHARS ? `${text.slice(0, MAX_RAW_CHARS)}… (${text.length} chars)` : text;
}

function htmlText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const source = title !== undefined && title.trim() !== "" ? title : html;
  return source
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function errorMessagesFromBody(
  body: string,
  contentType: string | undefined,
  statusText: string,
): string[] {
  const trimmed = body.trim();
  if (trimmed !== "") {
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        const messages = messagesFromJson(parsed);
        if (messages.length > 0) return messages;
        if (isEmptyRestError(parsed)) return [statusText === "" ? "(no error message)" : statusText];
      } catch {
        // Not JSON after all: fall through to the raw text.
      }
    }
    const text =
      /html/i.test(contentType ?? "") || /^<(!doctype|html)/i.test(trimmed) ? htmlText(trimmed) : trimmed;
    if (text !== "") return [truncate(text)];
  }
  return [statusText === "" ? "(empty response body)" : statusText];
}
