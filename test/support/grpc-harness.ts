/**
 * Drives Pulumi's real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) over gRPC, the
 * way the engine does, without the Pulumi CLI: the host process runs in a project directory, receives
 * the stack configuration in Configure (secrets wrapped), and loads each resource's `__provider` text.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
// The same grpc-js copy the generated stubs use, so that credentials and clients are compatible.
const grpc = pulumiRequire("@grpc/grpc-js") as typeof grpcTypes;

const SECRET_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A configuration value the engine would send as a secret. */
export function secretValue(value: string): Record<string, string> {
  return { [SECRET_KEY]: SECRET_SIG, value };
}

export type Props = Record<string, unknown>;

export interface CheckResponse {
  inputs: Props;
  failures: { property: string; reason: string }[];
}

export interface DiffResponse {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** A failed call: the host's message and, for partial failures, what it recorded. */
export class HostCallError extends Error {
  readonly code: number;
  readonly initFailure?: { id: string; properties: Props; reasons: string[] };

  constructor(error: grpcTypes.ServiceError) {
    super(error.details || error.message);
    this.name = "HostCallError";
    this.code = error.code;
    const details = error.metadata?.get("grpc-status-details-bin")?.[0];
    if (details instanceof Buffer) {
      const status = statusproto.Status.deserializeBinary(new Uint8Array(details));
      for (const any of status.getDetailsList()) {
        if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
        const failure = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
        this.initFailure = {
          id: failure.getId(),
          properties: (failure.getProperties()?.toJavaScript() ?? {}) as Props,
          reasons: failure.getReasonsList(),
        };
      }
    }
  }
}

/** Like the engine, never sends `undefined` members (a Struct cannot carry them). */
function struct(value: Props): Struct {
  return Struct.fromJavaScript(
    JSON.parse(JSON.stringify(value)) as Parameters<typeof Struct.fromJavaScript>[0],
  );
}

const CHANGES: Record<number, DiffResponse["changes"]> = { 0: "unknown", 1: "none", 2: "some" };

export class DynamicProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: provrpc.ResourceProviderClient,
    readonly output: string[],
  ) {}

  /** Starts the host with `cwd` as the project directory (where `pulumi-cmf` must be installed). */
  static async start(cwd: string, project = "harness"): Promise<DynamicProviderHost> {
    const entry = path.join(cwd, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js");
    const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
      cwd,
      env: { ...process.env, PULUMI_NODEJS_PROJECT: project, PULUMI_PROJECT: project },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`dynamic-provider host did not start:\n${output.join("")}`)),
        30_000,
      );
      child.once("exit", (code) =>
        reject(new Error(`dynamic-provider host exited (${code}):\n${output.join("")}`)),
      );
      child.stdout?.once("data", (chunk: Buffer) => {
        clearTimeout(timer);
        resolve(Number(chunk.toString().trim()));
      });
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new DynamicProviderHost(child, client, output);
  }

  private call<Req, Res>(method: string, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      type Unary = (
        request: Req,
        callback: (error: grpcTypes.ServiceError | null, response: Res) => void,
      ) => void;
      const fn = (this.client as unknown as Record<string, Unary>)[method].bind(this.client);
      fn(request, (error: grpcTypes.ServiceError | null, response: Res) =>
        error ? reject(new HostCallError(error)) : resolve(response),
      );
    });
  }

  /** `config` keys as the engine sends them (`cmf:url`); wrap secrets with {@link secretValue}. */
  async configure(config: Props): Promise<{ acceptSecrets: boolean }> {
    const request = new provproto.ConfigureRequest();
    request.setArgs(struct(config));
    const response = await this.call<provproto.ConfigureRequest, provproto.ConfigureResponse>(
      "configure",
      request,
    );
    return { acceptSecrets: response.getAcceptsecrets() };
  }

  async check(urn: string, olds: Props, news: Props): Promise<CheckResponse> {
    const request = new provproto.CheckRequest();
    request.setUrn(urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<provproto.CheckRequest, provproto.CheckResponse>("check", request);
    return {
      inputs: (response.getInputs()?.toJavaScript() ?? {}) as Props,
      failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(id: string, urn: string, olds: Props, news: Props): Promise<DiffResponse> {
    const request = new provproto.DiffRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<provproto.DiffRequest, provproto.DiffResponse>("diff", request);
    return {
      changes: CHANGES[response.getChanges()],
      replaces: response.getReplacesList(),
      deleteBeforeReplace: response.getDeletebeforereplace(),
    };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const request = new provproto.CreateRequest();
    request.setUrn(urn);
    request.setProperties(struct(properties));
    const response = await this.call<provproto.CreateRequest, provproto.CreateResponse>("create", request);
    return { id: response.getId(), properties: (response.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  async read(
    id: string,
    urn: string,
    properties: Props,
    inputs?: Props,
  ): Promise<{ id: string; properties: Props; inputs?: Props }> {
    const request = new provproto.ReadRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setProperties(struct(properties));
    if (inputs) request.setInputs(struct(inputs));
    const response = await this.call<provproto.ReadRequest, provproto.ReadResponse>("read", request);
    const refreshedInputs = response.getInputs()?.toJavaScript() as Props | undefined;
    return {
      id: response.getId(),
      properties: (response.getProperties()?.toJavaScript() ?? {}) as Props,
      ...(refreshedInputs ? { inputs: refreshedInputs } : {}),
    };
  }

  async update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }> {
    const request = new provproto.UpdateRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<provproto.UpdateRequest, provproto.UpdateResponse>("update", request);
    return { properties: (response.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  async delete(id: string, urn: string, properties: Props): Promise<void> {
    const request = new provproto.DeleteRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setProperties(struct(properties));
    await this.call<provproto.DeleteRequest, unknown>("delete", request);
  }

  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    await exited;
  }
}
