import { CmfEmulator, type CmfEmulatorOptions } from "../../provider/emulator";

export const V1 = "/cmf/api/v1";
export const V1ALPHA1 = "/cmf/api/v1alpha1";

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is (no JSON encoding); use with `contentType`. */
  rawBody?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
}

/** A tiny fetch wrapper for contract tests: never throws on HTTP errors, parses JSON when it can. */
export class Api {
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    const contentType =
      options.contentType === undefined
        ? body !== undefined
          ? "application/json"
          : null
        : options.contentType;
    if (contentType !== null) headers["content-type"] = contentType;
    const res = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  get = (path: string, options?: RequestOptions) => this.request("GET", path, options);
  post = (path: string, body?: unknown, options?: RequestOptions) =>
    this.request("POST", path, { ...options, body });
  delete = (path: string, options?: RequestOptions) => this.request("DELETE", path, options);
}

export async function startEmulator(
  options: CmfEmulatorOptions = {},
): Promise<{ emu: CmfEmulator; api: Api }> {
  const emu = await CmfEmulator.start({ port: 0, ...options });
  return { emu, api: new Api(emu.url) };
}

export function environment(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, kubernetesNamespace: "flink-ns", ...extra };
}

export function application(
  name: string,
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: "cmf.confluent.io/v1",
    kind: "FlinkApplication",
    metadata: { name, ...metadata },
    spec: {
      image: "confluentinc/cp-flink:1.19.3-cp2",
      flinkVersion: "v1_19",
      flinkConfiguration: { "taskmanager.numberOfTaskSlots": "2" },
      serviceAccount: "flink",
      jobManager: { resource: { memory: "1024m", cpu: 1 } },
      taskManager: { resource: { memory: "1024m", cpu: 1 } },
      job: {
        jarURI: "local:///opt/flink/examples/streaming/StateMachineExample.jar",
        state: "running",
        parallelism: 2,
        upgradeMode: "stateless",
      },
      ...spec,
    },
  };
}

export const apps = (env: string) => `${V1}/environments/${env}/applications`;
export const events = (env: string, app: string) =>
  `${V1ALPHA1}/environments/${env}/applications/${app}/events`;

/** RFC 3339, UTC, milliseconds. */
export const RFC3339_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
