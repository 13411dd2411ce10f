/**
 * The ResourceProvider gRPC service of the `cmf` plugin, served with @pulumi/pulumi's generated protos.
 * The SDK's own `provider.main` is not used: it does not hand the provider configuration to the
 * provider, has no CheckConfig/DiffConfig and no detailed diff. This file only translates messages;
 * every decision is in provider.ts.
 */
import * as grpc from "@grpc/grpc-js";
import * as anyproto from "google-protobuf/google/protobuf/any_pb";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as pluginproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { argsFromVariables } from "./config";
import type { PropertyChange } from "./detailed-diff";
import { CmfPlugin, PartialFailure, UnknownTokenError, type CheckOutcome } from "./provider";

type Callback<T> = (error: grpc.ServiceError | Partial<grpc.StatusObject> | null, value?: T | null) => void;
type Call<T> = { request: T };

function toJs(struct: Struct | undefined): unknown {
  return struct ? struct.toJavaScript() : {};
}

function toStruct(value: unknown): Struct {
  // A Struct holds JSON: `undefined` members are dropped, as the engine itself does.
  return Struct.fromJavaScript(
    JSON.parse(JSON.stringify(value ?? {})) as Parameters<typeof Struct.fromJavaScript>[0],
  );
}

const KINDS: Record<PropertyChange["kind"], [plain: number, replace: number]> = {
  add: [provproto.PropertyDiff.Kind.ADD, provproto.PropertyDiff.Kind.ADD_REPLACE],
  delete: [provproto.PropertyDiff.Kind.DELETE, provproto.PropertyDiff.Kind.DELETE_REPLACE],
  update: [provproto.PropertyDiff.Kind.UPDATE, provproto.PropertyDiff.Kind.UPDATE_REPLACE],
};

function diffResponse(
  changes: boolean,
  detailed: PropertyChange[],
  replaces: string[],
  deleteBeforeReplace = false,
) {
  const response = new provproto.DiffResponse();
  response.setChanges(
    changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE,
  );
  response.setReplacesList(replaces);
  response.setDeletebeforereplace(deleteBeforeReplace);
  response.setHasdetaileddiff(true);
  const top = new Set<string>();
  const map = response.getDetaileddiffMap();
  for (const change of detailed) {
    const diff = new provproto.PropertyDiff();
    diff.setKind(KINDS[change.kind][change.replace ? 1 : 0] as provproto.PropertyDiff.Kind);
    // Compared with the stored outputs, as the core does.
    diff.setInputdiff(false);
    map.set(change.path, diff);
    top.add(change.path.split(/[.[]/)[0]);
  }
  response.setDiffsList([...top]);
  return response;
}

function checkResponse(outcome: CheckOutcome) {
  const response = new provproto.CheckResponse();
  response.setInputs(toStruct(outcome.inputs));
  response.setFailuresList(
    outcome.failures.map((f) => new provproto.CheckFailure().setProperty(f.property).setReason(f.reason)),
  );
  return response;
}

/** An error as the engine shows it: our message only (no stack), partial failures with their state. */
export function grpcError(error: unknown): Partial<grpc.StatusObject> {
  const message = error instanceof Error ? error.message : String(error);
  const metadata = new grpc.Metadata();
  if (error instanceof PartialFailure) {
    const detail = new provproto.ErrorResourceInitFailed();
    detail.setId(error.id);
    detail.setProperties(toStruct(error.properties));
    detail.setReasonsList([message]);
    const any = new anyproto.Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statusproto.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  const code = error instanceof UnknownTokenError ? grpc.status.INVALID_ARGUMENT : grpc.status.UNKNOWN;
  return { code, details: message, metadata };
}

/** Unary handler: runs `body`, answers once, never lets an exception escape into grpc-js. */
function unary<Req, Res>(body: (request: Req) => Res | Promise<Res>) {
  return (call: Call<Req>, callback: Callback<Res>) => {
    Promise.resolve()
      .then(() => body(call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) => {
          const status = grpcError(error);
          callback(status as grpc.ServiceError, null);
        },
      );
  };
}

/** Where status messages go: the engine's log service, tied to the resource's URN. */
export class EngineLog {
  private client: enginerpc.EngineClient | undefined;

  connect(address: string): void {
    if (!address) return;
    this.client?.close();
    this.client = new enginerpc.EngineClient(address, grpc.credentials.createInsecure());
  }

  /** Ephemeral: shown in the CLI's progress display next to the resource, not kept in the log. */
  status(urn: string, message: string): void {
    if (!this.client) return;
    const request = new engineproto.LogRequest();
    request.setSeverity(engineproto.LogSeverity.INFO);
    request.setUrn(urn);
    request.setMessage(message);
    request.setEphemeral(true);
    this.client.log(request, () => undefined);
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}

export interface ServiceOptions {
  version: string;
  schema: () => string;
  plugin: CmfPlugin;
  engine: EngineLog;
}

export function providerService(options: ServiceOptions): grpc.UntypedServiceImplementation {
  const { plugin, engine } = options;
  const handlers = {
    handshake: unary((req: provproto.ProviderHandshakeRequest) => {
      engine.connect(req.getEngineAddress());
      return new provproto.ProviderHandshakeResponse().setAcceptSecrets(true);
    }),
    getPluginInfo: unary(() => new pluginproto.PluginInfo().setVersion(options.version)),
    attach: unary((req: pluginproto.PluginAttach) => {
      engine.connect(req.getAddress());
      return new emptyproto.Empty();
    }),
    getSchema: unary((req: provproto.GetSchemaRequest) => {
      if (req.getVersion() !== 0) throw new Error(`cmf: unsupported schema version ${req.getVersion()}`);
      return new provproto.GetSchemaResponse().setSchema(options.schema());
    }),
    checkConfig: unary((req: provproto.CheckRequest) =>
      checkResponse(plugin.checkConfig(toJs(req.getNews()))),
    ),
    diffConfig: unary((req: provproto.DiffRequest) => {
      const changes = plugin.diffConfig(toJs(req.getOlds()), toJs(req.getNews()));
      return diffResponse(changes.length > 0, changes, []);
    }),
    configure: unary((req: provproto.ConfigureRequest) => {
      plugin.configure(
        req.hasArgs() ? toJs(req.getArgs()) : argsFromVariables(req.getVariablesMap().entries()),
      );
      return new provproto.ConfigureResponse()
        .setAcceptsecrets(true)
        .setSupportspreview(false)
        .setAcceptresources(false)
        .setAcceptoutputs(false);
    }),
    invoke: unary(async (req: provproto.InvokeRequest) => {
      const { result, failures } = await plugin.invoke(req.getTok(), toJs(req.getArgs()));
      const response = new provproto.InvokeResponse();
      if (result) response.setReturn(toStruct(result));
      response.setFailuresList(
        failures.map((f) => new provproto.CheckFailure().setProperty(f.property).setReason(f.reason)),
      );
      return response;
    }),
    check: unary(async (req: provproto.CheckRequest) =>
      checkResponse(
        await plugin.check(req.getUrn(), toJs(req.getOlds()), toJs(req.getNews()), req.getName()),
      ),
    ),
    diff: unary(async (req: provproto.DiffRequest) => {
      const outcome = await plugin.diff(req.getUrn(), req.getId(), toJs(req.getOlds()), toJs(req.getNews()));
      return diffResponse(outcome.changes, outcome.detailed, outcome.replaces, outcome.deleteBeforeReplace);
    }),
    create: unary(async (req: provproto.CreateRequest) => {
      const created = await plugin.create(req.getUrn(), toJs(req.getProperties()), req.getTimeout());
      return new provproto.CreateResponse().setId(created.id).setProperties(toStruct(created.properties));
    }),
    read: unary(async (req: provproto.ReadRequest) => {
      // `pulumi import` sends only the id: no properties at all.
      const read = await plugin.read(req.getUrn(), req.getId(), toJs(req.getProperties()));
      const response = new provproto.ReadResponse().setId(read.id);
      if (read.properties !== undefined) response.setProperties(toStruct(read.properties));
      if (read.inputs !== undefined) response.setInputs(toStruct(read.inputs));
      return response;
    }),
    update: unary(async (req: provproto.UpdateRequest) => {
      const updated = await plugin.update(
        req.getUrn(),
        req.getId(),
        toJs(req.getOlds()),
        toJs(req.getNews()),
        req.getTimeout(),
      );
      return new provproto.UpdateResponse().setProperties(toStruct(updated.properties));
    }),
    delete: unary(async (req: provproto.DeleteRequest) => {
      await plugin.delete(req.getUrn(), req.getId(), toJs(req.getProperties()), req.getTimeout());
      return new emptyproto.Empty();
    }),
    cancel: unary(() => {
      plugin.cancel();
      return new emptyproto.Empty();
    }),
  };
  return handlers as unknown as grpc.UntypedServiceImplementation;
}

/** Starts the service on 127.0.0.1 (an ephemeral port) and resolves with the server and its port. */
export function serve(options: ServiceOptions): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(provrpc.ResourceProviderService, providerService(options));
  return new Promise((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve({ server, port }),
    );
  });
}
