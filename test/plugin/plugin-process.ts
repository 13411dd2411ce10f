/**
 * The built `pulumi-resource-cmf` in a child process, driven over gRPC the way the engine drives it
 * (no Pulumi CLI needed), plus the build itself: tests run what users install.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { buildPlugin, type BuiltPlugin } from "../../provider/plugin/build";
import { HostCallError } from "../support/grpc-harness";

export type Props = Record<string, unknown>;

let built: Promise<BuiltPlugin> | undefined;

/** The plugin bundled once per test file into a temp folder (esbuild: about a second). */
export function builtPlugin(): Promise<BuiltPlugin> {
  built ??= buildPlugin(fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-plugin-build-")));
  return built;
}

function struct(value: Props): Struct {
  return Struct.fromJavaScript(
    JSON.parse(JSON.stringify(value)) as Parameters<typeof Struct.fromJavaScript>[0],
  );
}

const js = (s: Struct | undefined): Props => (s?.toJavaScript() ?? {}) as Props;

export interface DiffResult {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  deleteBeforeReplace: boolean;
  diffs: string[];
  detailed: Record<string, string>;
}

const KIND_NAMES = Object.fromEntries(Object.entries(provproto.PropertyDiff.Kind).map(([k, v]) => [v, k]));
const CHANGES: Record<number, DiffResult["changes"]> = { 0: "unknown", 1: "none", 2: "some" };

export class PluginProcess {
  private constructor(
    readonly child: ChildProcess,
    private readonly client: provrpc.ResourceProviderClient,
    readonly stderr: string[],
  ) {}

  static async start(options: { cwd?: string; env?: Record<string, string>; engine?: string } = {}) {
    const { binDir } = await builtPlugin();
    const child = spawn(path.join(binDir, "pulumi-resource-cmf"), [options.engine ?? "127.0.0.1:1"], {
      cwd: options.cwd ?? os.tmpdir(),
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stderr: string[] = [];
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`plugin did not start:\n${stderr.join("")}`)), 30_000);
      child.once("exit", (code) => reject(new Error(`plugin exited (${code}):\n${stderr.join("")}`)));
      child.stdout?.once("data", (chunk: Buffer) => {
        clearTimeout(timer);
        resolve(Number(chunk.toString().trim()));
      });
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PluginProcess(child, client, stderr);
  }

  call<Req, Res>(method: string, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      type Unary = (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => void;
      const fn = (this.client as unknown as Record<string, Unary>)[method].bind(this.client);
      fn(request, (error, response) => (error ? reject(new HostCallError(error)) : resolve(response)));
    });
  }

  async schema(): Promise<Props> {
    const res = await this.call<provproto.GetSchemaRequest, provproto.GetSchemaResponse>(
      "getSchema",
      new provproto.GetSchemaRequest(),
    );
    return JSON.parse(res.getSchema()) as Props;
  }

  async checkConfig(news: Props) {
    const req = new provproto.CheckRequest().setUrn("urn:pulumi:dev::p::pulumi:providers:cmf::default");
    req.setOlds(struct({})).setNews(struct(news));
    const res = await this.call<provproto.CheckRequest, provproto.CheckResponse>("checkConfig", req);
    return { inputs: js(res.getInputs()), failures: res.getFailuresList().map((f) => f.toObject()) };
  }

  async diffConfig(olds: Props, news: Props): Promise<DiffResult> {
    const req = new provproto.DiffRequest().setUrn("urn:pulumi:dev::p::pulumi:providers:cmf::default");
    req.setOlds(struct(olds)).setNews(struct(news));
    return diffResult(await this.call<provproto.DiffRequest, provproto.DiffResponse>("diffConfig", req));
  }

  async configure(args: Props) {
    const req = new provproto.ConfigureRequest().setArgs(struct(args)).setAcceptsecrets(true);
    const res = await this.call<provproto.ConfigureRequest, provproto.ConfigureResponse>("configure", req);
    return { acceptSecrets: res.getAcceptsecrets() };
  }

  async check(urn: string, olds: Props, news: Props) {
    const req = new provproto.CheckRequest().setUrn(urn).setOlds(struct(olds)).setNews(struct(news));
    const res = await this.call<provproto.CheckRequest, provproto.CheckResponse>("check", req);
    return { inputs: js(res.getInputs()), failures: res.getFailuresList().map((f) => f.toObject()) };
  }

  async diff(urn: string, id: string, olds: Props, news: Props): Promise<DiffResult> {
    const req = new provproto.DiffRequest().setUrn(urn).setId(id).setOlds(struct(olds)).setNews(struct(news));
    return diffResult(await this.call<provproto.DiffRequest, provproto.DiffResponse>("diff", req));
  }

  async create(urn: string, props: Props, timeout = 0) {
    const req = new provproto.CreateRequest().setUrn(urn).setProperties(struct(props)).setTimeout(timeout);
    const res = await this.call<provproto.CreateRequest, provproto.CreateResponse>("create", req);
    return { id: res.getId(), properties: js(res.getProperties()) };
  }

  /** Without `props`, as `pulumi import` calls it: the id alone. */
  async read(urn: string, id: string, props?: Props) {
    const req = new provproto.ReadRequest().setUrn(urn).setId(id);
    if (props) req.setProperties(struct(props));
    const res = await this.call<provproto.ReadRequest, provproto.ReadResponse>("read", req);
    return {
      id: res.getId(),
      properties: js(res.getProperties()),
      inputs: res.hasInputs() ? js(res.getInputs()) : undefined,
    };
  }

  async update(urn: string, id: string, olds: Props, news: Props, timeout = 0) {
    const req = new provproto.UpdateRequest()
      .setUrn(urn)
      .setId(id)
      .setOlds(struct(olds))
      .setNews(struct(news));
    req.setTimeout(timeout);
    const res = await this.call<provproto.UpdateRequest, provproto.UpdateResponse>("update", req);
    return { properties: js(res.getProperties()) };
  }

  async delete(urn: string, id: string, props: Props, timeout = 0) {
    const req = new provproto.DeleteRequest()
      .setUrn(urn)
      .setId(id)
      .setProperties(struct(props))
      .setTimeout(timeout);
    await this.call<provproto.DeleteRequest, unknown>("delete", req);
  }

  async invoke(tok: string, args: Props) {
    const req = new provproto.InvokeRequest().setTok(tok).setArgs(struct(args));
    const res = await this.call<provproto.InvokeRequest, provproto.InvokeResponse>("invoke", req);
    return { result: js(res.getReturn()), failures: res.getFailuresList().map((f) => f.toObject()) };
  }

  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    await exited;
  }
}

function diffResult(res: provproto.DiffResponse): DiffResult {
  const detailed: Record<string, string> = {};
  for (const [path, diff] of res.getDetaileddiffMap().entries()) detailed[path] = KIND_NAMES[diff.getKind()];
  return {
    changes: CHANGES[res.getChanges()],
    replaces: res.getReplacesList(),
    deleteBeforeReplace: res.getDeletebeforereplace(),
    diffs: res.getDiffsList(),
    detailed,
  };
}
