import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import { parseModel } from "../models";

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: string[] };

/** Bodies larger than this are validated every time rather than remembered. */
const MAX_REMEMBERED_CHARS = 32 * 1024;
/** Request paths whose last body is remembered (oldest dropped first). */
const MAX_REMEMBERED_PATHS = 128;

interface Remembered {
  readonly schema: z.ZodType;
  readonly text: string;
}

/**
 * Validates JSON response bodies against the models' zod schemas.
 *
 * Polling (waiting for an application to reach RUNNING, refresh loops) fetches the same bytes from
 * the same path over and over, and the zod parse is the largest per-call cost of the client. So the
 * last body of each path is remembered when it passed validation unchanged (zod's output deep-equals
 * the JSON document: no defaults filled in, nothing transformed), and the very same text from that
 * path is then answered with its fresh `JSON.parse`, which is exactly what zod would have returned.
 * Anything else is validated in full. The value returned is always a new object: callers may mutate it.
 */
export class ResponseValidator {
  readonly #lastPassed = new Map<string, Remembered>();

  validate<S extends z.ZodType>(
    schema: S,
    path: string,
    text: string,
    json: unknown,
  ): Validation<z.output<S>> {
    const last = this.#lastPassed.get(path);
    if (last !== undefined && last.text === text && last.schema === schema) {
      return { ok: true, value: json as z.output<S> };
    }
    const result = parseModel(schema, json);
    if (!result.ok) return { ok: false, issues: result.messages };
    if (text.length <= MAX_REMEMBERED_CHARS && isDeepStrictEqual(result.value, json)) {
      this.#remember(path, { schema, text });
      // Same content as zod's output, in the server's key order, like every later answer.
      return { ok: true, value: json as z.output<S> };
    }
    return { ok: true, value: result.value };
  }

  #remember(path: string, entry: Remembered): void {
    // Re-inserting moves the path last: a Map iterates in insertion order, so the first key is the oldest.
    this.#lastPassed.delete(path);
    this.#lastPassed.set(path, entry);
    if (this.#lastPassed.size > MAX_REMEMBERED_PATHS) {
      const oldest = this.#lastPassed.keys().next();
      if (oldest.done !== true) this.#lastPassed.delete(oldest.value);
    }
  }
}
