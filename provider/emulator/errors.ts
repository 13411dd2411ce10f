/**
 * An error that the HTTP layer turns into a RestError answer. The pure modules (environments,
 * applications, listing, ...) throw it; nothing else in them knows about HTTP.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly messages: string[];
  readonly headers: Record<string, string>;
  constructor(status: number, messages: string | string[], headers: Record<string, string> = {}) {
    const list = Array.isArray(messages) ? messages : [messages];
    super(list.join("; "));
    this.name = "ApiError";
    this.status = status;
    this.messages = list;
    this.headers = headers;
  }
}

export const badRequest = (messages: string | string[]) => new ApiError(400, messages);
export const notFound = (message: string) => new ApiError(404, message);
/** CMF's bodies are JSON objects; anything else is refused before field validation. */
export function requireObjectBody(body: unknown): Record<string, unknown> {
  if (typeof body === "object" && body !== null && !Array.isArray(body))
    return body as Record<string, unknown>;
  const type = body === null ? "null" : Array.isArray(body) ? "array" : typeof body;
  throw badRequest(`body: must be a JSON object (got ${type})`);
}

export const conflict = (message: string) => new ApiError(409, message);

/** Raised at start when the data file cannot be used; the file is left untouched. */
export class EmulatorDataFileError extends Error {
  readonly file: string;
  constructor(
    file: string,
    reason: string,
    advice = "It was left untouched; fix it, or move it away to start empty.",
  ) {
    super(`CMF emulator: data file ${file} ${reason}. ${advice}`);
    this.name = "EmulatorDataFileError";
    this.file = file;
  }
}

/** Invalid options given to CmfEmulator.start or to a control (faults, clock). */
export class EmulatorOptionsError extends Error {
  readonly messages: string[];
  constructor(messages: string[]) {
    super(`CMF emulator: invalid options:\n  ${messages.join("\n  ")}`);
    this.name = "EmulatorOptionsError";
    this.messages = messages;
  }
}
