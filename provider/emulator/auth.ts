import { createHash, timingSafeEqual } from "node:crypto";

export type AuthResult = "ok" | "missing" | "invalid";

/**
 * Bearer-token check, constant-time: both sides are hashed first so that neither the comparison nor
 * its length check depends on how much of the token matched.
 */
export function bearerChecker(token: string): (authorization: string | undefined) => AuthResult {
  const expected = createHash("sha256").update(token).digest();
  return (authorization) => {
    if (authorization === undefined) return "missing";
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!match) return "invalid";
    const given = createHash("sha256").update(match[1]).digest();
    return timingSafeEqual(expected, given) ? "ok" : "invalid";
  };
}
