import { z } from "zod";

/** CMF's one error body for every failing call: `{"errors":[{"message":"..."}]}` (both parts optional). */
export const RestErrorItemSchema = z.looseObject({ message: z.string().optional() });
export const RestErrorSchema = z.looseObject({ errors: z.array(RestErrorItemSchema).optional() });
export type RestError = z.infer<typeof RestErrorSchema>;

export function restError(messages: readonly string[]): RestError {
  return { errors: messages.map((message) => ({ message })) };
}

/** The messages of a RestError body; an empty list when the body is not one. */
export function restErrorMessages(body: unknown): string[] {
  const parsed = RestErrorSchema.safeParse(body);
  if (!parsed.success || !parsed.data.errors) return [];
  return parsed.data.errors.flatMap((e) => (typeof e.message === "string" ? [e.message] : []));
}
