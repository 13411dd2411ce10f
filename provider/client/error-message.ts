/**
 * The message of anything thrown. Duck-typed, because errors made by Node core fail `instanceof Error`
 * when the caller runs in another realm (a vm context, a jest sandbox).
 */
export function errorMessage(err: unknown): string {
  if (typeof err === "object" && err !== null) {
    const message = (err as { message?: unknown }).message;
    if (typeof message === "string") return message;
  }
  return String(err);
}
