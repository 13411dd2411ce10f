/**
 * Turns the errors Node and undici raise for a failed exchange into one of a few kinds a user can act
 * on, with a one-line reason and the two facts the retry policy needs.
 */
import { errorMessage } from "./error-message";

export type NetworkFailureKind = "refused" | "dns" | "tls" | "timeout" | "reset" | "other";

export interface NetworkFailure {
  readonly kind: NetworkFailureKind;
  /** `ECONNREFUSED`, `UND_ERR_SOCKET`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, ... when known. */
  readonly code?: string;
  /** Human reason, e.g. "connection refused", "TLS verification failed: self-signed certificate". */
  readonly reason: string;
  readonly transient: boolean;
  /** False only when the request provably never left this process. */
  readonly requestSent: boolean;
  /** The server closed the connection without sending a single byte back. */
  readonly nothingReceived?: boolean;
}

const TEMPORARY_DNS_CODES = new Set(["EAI_AGAIN"]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA"]);
const RESET_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "ENETRESET",
]);
const UNREACHABLE_CODES = new Set(["EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN"]);
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);
/** OpenSSL / Node certificate verification codes (tls.TLSSocket#authorizationError and friends). */
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_|DEPTH_ZERO|ERR_TLS|ERR_SSL|^SSL_|HOSTNAME_MISMATCH/;
/**
 * What OpenSSL reports when the bytes it gets back are not TLS at all: an `https://` URL pointed at a
 * plain-http server answers the ClientHello with an HTTP 400, whose first bytes read as a record header
 * of an unknown version. Nothing about certificates: the URL's scheme is the likely mistake.
 */
const NOT_TLS_CODE = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|RECORD_LAYER_FAILURE/;

function errorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** `AggregateError#errors`, duck-typed for the same realm reason as {@link errorMessage}. */
function aggregateMembers(err: unknown): readonly unknown[] | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const members = (err as { errors?: unknown }).errors;
  return Array.isArray(members) ? members : undefined;
}

function bytesRead(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const socket = (err as { socket?: { bytesRead?: unknown } }).socket;
  return typeof socket?.bytesRead === "number" ? socket.bytesRead : undefined;
}

/**
 * With happy-eyeballs connects Node reports an AggregateError whose members carry the real codes;
 * undici sometimes wraps the socket error in `cause`.
 */
function innermost(err: unknown): unknown {
  let current = err;
  for (let depth = 0; depth < 5; depth++) {
    const members = aggregateMembers(current);
    if (errorCode(current) !== undefined && members === undefined) return current;
    if (members !== undefined && members.length > 0) {
      current = members[members.length - 1];
      continue;
    }
    const cause =
      typeof current === "object" && current !== null ? (current as { cause?: unknown }).cause : undefined;
    if (cause === undefined) return current;
    current = cause;
  }
  return current;
}

export function classifyNetworkError(err: unknown): NetworkFailure {
  const inner = innermost(err);
  const code = errorCode(inner) ?? errorCode(err);
  const message = errorMessage(inner);
  if (code === "ECONNREFUSED") {
    return { kind: "refused", code, reason: "connection refused", transient: true, requestSent: false };
  }
  if (code !== undefined && DNS_CODES.has(code)) {
    const hostname = (inner as { hostname?: unknown }).hostname;
    const host = typeof hostname === "string" ? ` for ${hostname}` : "";
    return {
      kind: "dns",
      code,
      reason: `DNS lookup failed${host} (${code})`,
      transient: TEMPORARY_DNS_CODES.has(code),
      requestSent: false,
    };
  }
  if (code === "UND_ERR_CONNECT_TIMEOUT") {
    return { kind: "timeout", code, reason: "connect timeout", transient: true, requestSent: false };
  }
  if (code !== undefined && NOT_TLS_CODE.test(code)) {
    return {
      kind: "tls",
      code,
      reason:
        `TLS handshake failed: the server did not answer in TLS; it may not speak TLS at all ` +
        `(a plain-http server: use an http:// URL) (${code})`,
      transient: false,
      requestSent: false,
    };
  }
  if (code !== undefined && TLS_CODE.test(code)) {
    // An alert is the server refusing us (e.g. our client certificate); anything else is us refusing it.
    const what = code.includes("ALERT") ? "TLS handshake refused by the server" : "TLS verification failed";
    return {
      kind: "tls",
      code,
      reason: `${what}: ${message} (${code})`,
      transient: false,
      requestSent: false,
    };
  }
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return { kind: "timeout", code, reason: `timeout (${code})`, transient: true, requestSent: true };
  }
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return {
      kind: "refused",
      code,
      reason: `host unreachable (${code})`,
      transient: true,
      requestSent: false,
    };
  }
  if (code !== undefined && RESET_CODES.has(code)) {
    const nothingReceived = bytesRead(inner) === 0;
    return {
      kind: "reset",
      code,
      reason: `connection closed before ${nothingReceived ? "any" : "a complete"} response (${code}: ${message})`,
      transient: true,
      requestSent: true,
      ...(nothingReceived ? { nothingReceived } : {}),
    };
  }
  return {
    kind: "other",
    ...(code === undefined ? {} : { code }),
    reason: code === undefined ? message : `${message} (${code})`,
    transient: false,
    requestSent: true,
  };
}
