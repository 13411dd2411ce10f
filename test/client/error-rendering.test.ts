import { inspect } from "node:util";
import { CmfApiError, CmfConnectionError, CmfResponseError } from "../../provider/client";
import { errorMessagesFromBody } from "../../provider/client/error-body";
import { classifyNetworkError } from "../../provider/client/network-failure";

describe("errorMessagesFromBody", () => {
  it("takes every message of a RestError body", () => {
    const body = JSON.stringify({
      errors: [
        { message: "name: size must be between 4 and 2147483647" },
        { message: "kubernetesNamespace 'fl' does not exist." },
      ],
    });
    expect(errorMessagesFromBody(body, "application/json", "Bad Request")).toEqual([
      "name: size must be between 4 and 2147483647",
      "kubernetesNamespace 'fl' does not exist.",
    ]);
  });

  it("falls back to a Spring-style message", () => {
    const body = JSON.stringify({
      timestamp: "x",
      status: 500,
      error: "Internal Server Error",
      message: "NPE in foo",
    });
    expect(errorMessagesFromBody(body, "application/json", "Internal Server Error")).toEqual(["NPE in foo"]);
  });

  it("keeps the trimmed raw body when it is not JSON", () => {
    expect(errorMessagesFromBody("  upstream connect error  \n", "text/plain", "Bad Gateway")).toEqual([
      "upstream connect error",
    ]);
    expect(errorMessagesFromBody("{not json", "application/json", "Bad Request")).toEqual(["{not json"]);
  });

  it("reduces an HTML error page to its title", () => {
    const html = "<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1><hr>nginx</body></html>";
    expect(errorMessagesFromBody(html, "text/html", "Bad Gateway")).toEqual(["502 Bad Gateway"]);
  });

  it("uses the status text for an empty body or a JSON body without messages", () => {
    expect(errorMessagesFromBody("", undefined, "Unauthorized")).toEqual(["Unauthorized"]);
    expect(errorMessagesFromBody("{}", "application/json", "Conflict")).toEqual(["Conflict"]);
    expect(errorMessagesFromBody('{"errors":[]}', "application/json", "Conflict")).toEqual(["Conflict"]);
    expect(errorMessagesFromBody("", undefined, "")).toEqual(["(empty response body)"]);
  });

  it("truncates huge raw bodies", () => {
    const [message] = errorMessagesFromBody("x".repeat(5000), "text/plain", "");
    expect(message.length).toBeLessThan(1100);
    expect(message).toContain("(5000 chars)");
  });
});

describe("CmfApiError rendering", () => {
  const error = new CmfApiError({
    method: "POST",
    path: "/cmf/api/v1/environments",
    status: 400,
    statusText: "Bad Request",
    messages: ["name: size must be between 4 and 2147483647", "multi\nline"],
    requestId: "req-42",
    attempts: 1,
    operation: "environments.upsert",
  });

  it("reads well in a terminal: a headline and one indented line per message", () => {
    expect(error.message).toBe(
      [
        "CMF rejected POST /cmf/api/v1/environments (400 Bad Request):",
        "  name: size must be between 4 and 2147483647",
        "  multi",
        "  line",
        "  (request id req-42)",
      ].join("\n"),
    );
  });

  it("keeps the structured fields", () => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: "CmfApiError",
      method: "POST",
      status: 400,
      requestId: "req-42",
      operation: "environments.upsert",
      isNotFound: false,
      isConflict: false,
    });
    expect(error.messages).toHaveLength(2);
  });

  it("has no stack-trace noise in inspect or stack", () => {
    expect(inspect(error)).toBe(`CmfApiError: ${error.message}`);
    expect(error.stack).toBe(`CmfApiError: ${error.message}`);
    expect(inspect(error)).not.toMatch(/\n\s+at /);
  });

  it("mentions retries and why they stopped", () => {
    const retried = new CmfApiError({
      method: "GET",
      path: "/cmf/api/v1/environments",
      status: 429,
      statusText: "Too Many Requests",
      messages: ["slow down"],
      attempts: 3,
      operation: "environments.list",
      note: "CMF asked to retry after 60 s, beyond the retry deadline of 1000 ms",
    });
    expect(retried.message.split("\n").at(-1)).toBe(
      "  (3 attempts, CMF asked to retry after 60 s, beyond the retry deadline of 1000 ms)",
    );
  });
});

describe("CmfConnectionError and CmfResponseError rendering", () => {
  it("names the URL, the reason and the attempts", () => {
    const error = new CmfConnectionError({
      url: "http://127.0.0.1:9/cmf/api/v1/environments",
      method: "GET",
      kind: "refused",
      code: "ECONNREFUSED",
      reason: "connection refused",
      attempts: 5,
      elapsedMs: 2345,
      operation: "environments.list",
    });
    expect(error.message).toBe(
      "Cannot reach CMF: GET http://127.0.0.1:9/cmf/api/v1/environments failed: connection refused (5 attempts in 2.3 s)",
    );
    expect(inspect(error)).toBe(`CmfConnectionError: ${error.message}`);
  });

  it("lists the offending fields of an unexpected response", () => {
    const error = new CmfResponseError({
      method: "GET",
      path: "/cmf/api/v1/environments/prod",
      operation: "environments.get",
      issues: ["kubernetesNamespace: must not be null"],
    });
    expect(error.message).toBe(
      "CMF sent an unexpected response to GET /cmf/api/v1/environments/prod (environments.get):\n" +
        "  kubernetesNamespace: must not be null",
    );
  });
});

describe("classifyNetworkError", () => {
  const withCode = (code: string, message = code, extra: object = {}) =>
    Object.assign(new Error(message), { code }, extra);

  it("classifies refused connects as transient and unsent", () => {
    expect(classifyNetworkError(withCode("ECONNREFUSED"))).toMatchObject({
      kind: "refused",
      transient: true,
      requestSent: false,
      reason: "connection refused",
    });
  });

  it("looks inside AggregateError (happy eyeballs) and cause chains", () => {
    const aggregate = Object.assign(
      new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")]),
      {
        code: "ECONNREFUSED",
      },
    );
    expect(classifyNetworkError(aggregate).kind).toBe("refused");
    const wrapped = new Error("fetch failed", {
      cause: withCode("ENOTFOUND", "getaddrinfo ENOTFOUND", { hostname: "cmf.nope" }),
    });
    expect(classifyNetworkError(wrapped)).toMatchObject({
      kind: "dns",
      reason: "DNS lookup failed for cmf.nope (ENOTFOUND)",
      transient: false,
    });
  });

  it("treats a temporary DNS failure as transient", () => {
    expect(classifyNetworkError(withCode("EAI_AGAIN")).transient).toBe(true);
  });

  it("reports certificate problems as TLS verification failures, never retried", () => {
    const failure = classifyNetworkError(
      withCode("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"),
    );
    expect(failure).toMatchObject({ kind: "tls", transient: false });
    expect(failure.reason).toBe(
      "TLS verification failed: unable to verify the first certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)",
    );
    expect(classifyNetworkError(withCode("ERR_TLS_CERT_ALTNAME_INVALID")).kind).toBe("tls");
    expect(classifyNetworkError(withCode("DEPTH_ZERO_SELF_SIGNED_CERT")).kind).toBe("tls");
    expect(
      classifyNetworkError(
        withCode("ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED", "tlsv13 alert certificate required"),
      ).reason,
    ).toBe(
      "TLS handshake refused by the server: tlsv13 alert certificate required (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)",
    );
  });

  it("classifies resets as transient but possibly sent", () => {
    expect(classifyNetworkError(withCode("UND_ERR_SOCKET", "other side closed"))).toMatchObject({
      kind: "reset",
      transient: true,
      requestSent: true,
    });
    expect(classifyNetworkError(withCode("ECONNRESET")).kind).toBe("reset");
  });

  it("classifies connect timeouts as unsent and header timeouts as sent", () => {
    expect(classifyNetworkError(withCode("UND_ERR_CONNECT_TIMEOUT"))).toMatchObject({
      kind: "timeout",
      requestSent: false,
    });
    expect(classifyNetworkError(withCode("UND_ERR_HEADERS_TIMEOUT"))).toMatchObject({
      kind: "timeout",
      requestSent: true,
    });
  });

  it("keeps unknown errors permanent", () => {
    expect(classifyNetworkError(new Error("weird"))).toMatchObject({
      kind: "other",
      transient: false,
      reason: "weird",
    });
    expect(classifyNetworkError("string thrown")).toMatchObject({ kind: "other", reason: "string thrown" });
  });
});
