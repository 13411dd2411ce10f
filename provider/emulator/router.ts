import type { Reply } from "./responses";

export interface RequestContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, for handlers that declare one. */
  body: unknown;
}

export interface Handler {
  run: (ctx: RequestContext) => Reply | Promise<Reply>;
  /** `json`: a JSON body is required; `optional-json`: read when present, `{}` otherwise; absent: not read. */
  body?: "json" | "optional-json";
  /** A successful answer counts as a client write in the stats. */
  write?: boolean;
}

export interface Route {
  /** e.g. `/cmf/api/v1/environments/{envName}`: also the stats key. */
  template: string;
  segments: string[];
  handlers: Record<string, Handler>;
}

export function route(template: string, handlers: Record<string, Handler>): Route {
  const withHead = handlers.GET && !handlers.HEAD ? { ...handlers, HEAD: handlers.GET } : handlers;
  return { template, segments: template.split("/").slice(1), handlers: withHead };
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

/** Exact segment match; `{name}` segments capture (percent-decoded). Trailing slashes do not match. */
export function matchRoute(routes: readonly Route[], segments: readonly string[]): Match | undefined {
  for (const r of routes) {
    if (r.segments.length !== segments.length) continue;
    let params: Record<string, string> | undefined = {};
    for (let i = 0; i < segments.length; i++) {
      const pattern = r.segments[i];
      const actual = segments[i];
      if (pattern.charCodeAt(0) === 123 /* { */) {
        if (actual === "") {
          params = undefined;
          break;
        }
        let decoded: string;
        try {
          decoded = decodeURIComponent(actual);
        } catch {
          decoded = actual;
        }
        params[pattern.slice(1, -1)] = decoded;
      } else if (pattern !== actual) {
        params = undefined;
        break;
      }
    }
    if (params) return { route: r, params };
  }
  return undefined;
}
