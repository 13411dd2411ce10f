import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { parseModel } from "../models";
import { bearerChecker, type AuthResult } from "./auth";
import { DEFAULT_BODY_LIMIT_BYTES, readRequestBody } from "./body";
import { CONTROL_PREFIX, controlRoutes, createControls, type EmulatorControls } from "./controls";
import { EmulatorCore } from "./core";
import { ApiError, EmulatorOptionsError } from "./errors";
import type { LifecycleMode } from "./lifecycle";
import type { EmulatorRequest, EmulatorResponse } from "./exchange";
import type { DispatchedAnswer, DispatchedRequest } from "../client/http-transport";
import { dispatchInProcess, InProcessRefused, type RequestListener } from "./in-process";
import { errorReply, send, type Reply } from "./responses";
import { matchRoute, type RequestContext, type Route } from "./router";
import { cmfRoutes } from "./routes";

export interface CmfEmulatorTlsOptions {
  /** PEM contents of the server certificate (chain). */
  cert: string;
  /** PEM contents of the server key. */
  key: string;
  /** PEM contents of the CA bundle that client certificates must chain to. */
  ca?: string;
  /** mTLS: refuse connections without a client certificate signed by `ca`. */
  requireClientCert?: boolean;
}

export interface CmfEmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Persist every mutation to this JSON file (atomically) and reload it at start; absent = in memory. */
  dataFile?: string;
  /** Require `Authorization: Bearer <token>` on every CMF route and test control (401 otherwise). */
  token?: string;
  /**
   * A separate bearer token for the `/_emulator/*` test controls (instead of `token`). Without either,
   * the controls are open; with client certificates required, they need one like every route.
   */
  controlToken?: string;
  tls?: CmfEmulatorTlsOptions;
  /** Default "instant". */
  lifecycle?: LifecycleMode;
  /** Request bodies above this size are answered with 413. Default 1 MiB. */
  bodyLimitBytes?: number;
  /**
   * How long to wait for another emulator (another process, or this one) to release `dataFile`
   * before failing. Default 0: fail at once, naming the holder.
   */
  lockWaitMs?: number;
  /**
   * Keep the analyses of statements' SQL in this folder between runs, so that a new process answers a
   * statement it has seen before without loading the Flink SQL grammar (the embedded emulator keeps
   * them beside its data file). Default: nothing kept.
   */
  sqlAnalysisCache?: string;
}

const BearerTokenSchema = z
  .string()
  .regex(/^[\x21-\x7e]+$/, "must be non-empty printable ASCII without spaces (it travels in an HTTP header)");

const OptionsSchema = z.strictObject({
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  dataFile: z.string().min(1).optional(),
  token: BearerTokenSchema.optional(),
  controlToken: BearerTokenSchema.optional(),
  tls: z
    .strictObject({
      cert: z.string().min(1),
      key: z.string().min(1),
      ca: z.string().min(1).optional(),
      requireClientCert: z.boolean().optional(),
    })
    .check((ctx) => {
      if (ctx.value.requireClientCert && ctx.value.ca === undefined) {
        ctx.issues.push({
          code: "custom",
          path: ["ca"],
          message: "must be set when requireClientCert is true",
          input: ctx.value,
        });
      }
    })
    .optional(),
  lifecycle: z
    .union([z.enum(["instant", "stepped", "manual"]), z.strictObject({ stepMs: z.number().int().min(1) })])
    .optional(),
  bodyLimitBytes: z.number().int().min(1).optional(),
  lockWaitMs: z.number().int().min(0).optional(),
  sqlAnalysisCache: z.string().min(1).optional(),
});

function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * A stateful emulator of Confluent Manager for Apache Flink's REST API, over real HTTP(S); a client in
 * the same process may also hand it requests directly (`dispatch`).
 */
export class CmfEmulator {
  /** `http://127.0.0.1:PORT` (or https), without the `/cmf/api/v1` suffix. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly controls: EmulatorControls;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: http.Server,
    private readonly listener: RequestListener,
    private readonly core: EmulatorCore,
    private readonly pending: Set<NodeJS.Timeout>,
    controls: EmulatorControls,
    host: string,
    port: number,
    tls: boolean,
  ) {
    this.host = host;
    this.port = port;
    this.url = `${tls ? "https" : "http"}://${urlHost(host)}:${port}`;
    this.controls = controls;
  }

  static async start(options: CmfEmulatorOptions = {}): Promise<CmfEmulator> {
    const parsed = parseModel(OptionsSchema, options);
    if (!parsed.ok) throw new EmulatorOptionsError(parsed.messages);
    const opts = parsed.value;
    const core = await EmulatorCore.open(
      opts.lifecycle ?? "instant",
      opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
      opts.dataFile,
      opts.lockWaitMs,
      opts.sqlAnalysisCache,
    );
    const controls = createControls(core);
    const pending = new Set<NodeJS.Timeout>();
    const cmfAuth = opts.token === undefined ? undefined : bearerChecker(opts.token);
    const controlAuth = opts.controlToken === undefined ? cmfAuth : bearerChecker(opts.controlToken);
    const handler = new RequestHandler(
      core,
      cmfRoutes(core),
      controlRoutes(core, controls),
      cmfAuth,
      controlAuth,
      pending,
    );
    const listener: RequestListener = (req, res) => handler.handle(req, res);
    const server = opts.tls
      ? https.createServer(
          {
            cert: opts.tls.cert,
            key: opts.tls.key,
            ca: opts.tls.ca,
            requestCert: opts.tls.requireClientCert === true,
            rejectUnauthorized: opts.tls.requireClientCert === true,
          },
          listener,
        )
      : http.createServer(listener);
    const host = opts.host ?? "127.0.0.1";
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(opts.port ?? 0, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (err) {
      await core.close();
      throw err;
    }
    const port = (server.address() as AddressInfo).port;
    return new CmfEmulator(server, listener, core, pending, controls, host, port, opts.tls !== undefined);
  }

  /**
   * Serves one request of this process without HTTP, as the server would have: same routes, auth,
   * faults and stats (see in-process.ts). `signal` ends the client's wait.
   */
  dispatch(request: DispatchedRequest, signal?: AbortSignal): Promise<DispatchedAnswer> {
    if (this.closing !== undefined) return Promise.reject(new InProcessRefused());
    return dispatchInProcess(this.listener, request, signal);
  }

  /** Stops listening, ends open (also hanging) connections and waits for pending data-file writes. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const timer of this.pending) clearTimeout(timer);
      this.pending.clear();
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeAllConnections();
      await closed;
      await this.core.sqlParser.close();
      await this.core.close();
    })();
    return this.closing;
  }
}

type AuthCheck = (authorization: string | undefined) => AuthResult;

function isControlPath(path: string): boolean {
  return path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
}

/** What the stats count: every answer to a `/cmf/...` request, whatever produced it. */
function isCounted(url: string): boolean {
  return url.startsWith("/cmf/");
}

class RequestHandler {
  constructor(
    private readonly core: EmulatorCore,
    private readonly cmf: Route[],
    private readonly control: Route[],
    private readonly checkAuth: AuthCheck | undefined,
    private readonly checkControlAuth: AuthCheck | undefined,
    private readonly pending: Set<NodeJS.Timeout>,
  ) {}

  handle(req: EmulatorRequest, res: EmulatorResponse): void {
    this.process(req, res).catch((err: unknown) => {
      /* Last resort: a generic answer (internal details stay out of responses), still counted. */
      process.stderr.write(`cmf-emulator: internal error on ${req.method} ${req.url}: ${String(err)}\n`);
      if (isCounted(req.url ?? "/")) this.core.stats.status(500);
      send(req, res, errorReply(500, ["Internal server error"]));
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.add(timer);
    });
  }

  private async process(req: EmulatorRequest, res: EmulatorResponse): Promise<void> {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const method = req.method ?? "GET";
    const isControl = isControlPath(path);
    const counted = isCounted(path);
    const stats = this.core.stats;
    const reply = (r: Reply) => {
      if (counted) stats.status(r.status);
      send(req, res, r);
    };

    if (counted) {
      stats.request(method);
      const decision = this.core.faults.decide(method, path);
      if (decision) {
        if (decision.latencyMs > 0) await this.sleep(decision.latencyMs);
        if (res.destroyed) return;
        const action = decision.action;
        if (action.kind === "drop") {
          req.socket.destroy();
          return;
        }
        if (action.kind === "hang") return;
        if (action.kind === "error") {
          const headers: Record<string, string> =
            action.retryAfterSeconds !== undefined ? { "Retry-After": String(action.retryAfterSeconds) } : {};
          reply(
            errorReply(
              action.status,
              [`Injected fault: ${action.status} ${http.STATUS_CODES[action.status] ?? ""}`.trim()],
              headers,
            ),
          );
          return;
        }
      }
    }

    const checkAuth = isControl ? this.checkControlAuth : this.checkAuth;
    if (checkAuth) {
      const result = checkAuth(req.headers.authorization);
      if (result !== "ok") {
        reply(
          errorReply(
            401,
            [
              result === "missing"
                ? "Unauthorized: a bearer token is required"
                : "Unauthorized: invalid bearer token",
            ],
            { "WWW-Authenticate": result === "missing" ? "Bearer" : 'Bearer error="invalid_token"' },
          ),
        );
        return;
      }
    }

    const match = matchRoute(isControl ? this.control : this.cmf, path.split("/").slice(1));
    if (!match) {
      reply(errorReply(404, [`No endpoint ${method} ${path}`]));
      return;
    }
    const handler = match.route.handlers[method];
    if (counted) stats.route(`${method} ${match.route.template}`);
    if (!handler) {
      const allow = [...Object.keys(match.route.handlers), "OPTIONS"].join(", ");
      if (method === "OPTIONS") reply({ status: 200, headers: { Allow: allow } });
      else reply(errorReply(405, [`Request method '${method}' is not supported`], { Allow: allow }));
      return;
    }

    try {
      let body: unknown;
      if (handler.body === "json") body = await readRequestBody(req, this.core.bodyLimitBytes);
      else if (handler.body === "optional-json") {
        const hasBody =
          Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
        body = hasBody ? await readRequestBody(req, this.core.bodyLimitBytes) : {};
      }
      const ctx: RequestContext = {
        method,
        path,
        params: match.params,
        query: new URLSearchParams(q === -1 ? "" : url.slice(q + 1)),
        body,
      };
      const epoch = this.core.epoch;
      const result = await handler.run(ctx);
      if (handler.write && result.status < 300) {
        try {
          await this.core.persist(epoch);
        } catch (err) {
          /* The change was rolled back in memory (see EmulatorCore): nothing was acknowledged. */
          const code = (err as NodeJS.ErrnoException).code;
          reply(
            errorReply(500, [
              `Failed to persist the emulator state${code ? ` (${code})` : ""}; the change was not applied`,
            ]),
          );
          return;
        }
        stats.write();
      }
      reply(result);
    } catch (err) {
      if (err instanceof ApiError) reply(errorReply(err.status, err.messages, err.headers));
      else if (err instanceof EmulatorOptionsError) reply(errorReply(400, err.messages));
      else throw err;
    }
  }
}
