/**
 * `pulumi-cmf/provider`: the implementation behind the serialized provider shim (`sdk/provider-shim.ts`).
 * The Pulumi dynamic-provider host loads it at call time in the provider process (cwd = the Pulumi
 * project), so it is never serialized and may hold state: the stack configuration read in `configure`
 * and one CmfClient per distinct connection.
 */
import "../node-guard"; // first: fails at once, and clearly, on an unsupported Node.js
import { hash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { CmfClient, CmfClientInternals, CmfConnection } from "../client";
import { CmfConfigurationError } from "../client/errors";
import { asObject, type OperationContext } from "../core/context";
import type { KindController } from "../core/controller";
import { secretPaths } from "../core/schema";
import { CmfProviderError, ConnectionSettingsError, MissingEndpointError } from "../core/errors";
import { controllerOf, CONTROLLERS } from "../kinds/controllers";
import { PROVIDER_RETRY } from "../core/connection-settings";
import {
  ENVIRONMENT_VARIABLES,
  readProviderConfig,
  resolveEndpoint,
  type ProviderConfig,
} from "./connection";
import { embeddedEmulator, type EmulatorStarter } from "./embedded-emulator";
import type { ConnectionInput } from "./types";

/** The shapes of the inputs and outputs pulumi-cmf stores in Pulumi state. */
export type {
  ApplicationInputs,
  ApplicationOutputs,
  ApplicationStatusOutput,
  CommonInputs,
  ConnectionInput,
  EnvironmentInputs,
  EnvironmentOutputs,
  ResourceKind,
  WaitFor,
} from "./types";
export { OWNER_ANNOTATION } from "./types";
export { embeddedEmulatorStarted } from "./embedded-emulator";

function operations(kind: string): KindController<unknown> {
  const controller = controllerOf(kind);
  if (!controller) {
    throw new CmfProviderError(
      `Unknown pulumi-cmf resource kind "${kind}" (known: ${Object.keys(CONTROLLERS).join(", ")})`,
    );
  }
  return controller;
}

const RESOLUTION_VARIABLES = Object.values(ENVIRONMENT_VARIABLES);

/** One-shot: a `createHash` object costs several times more per call, and this runs at every read. */
function sha256(text: string): string {
  return hash("sha256", text, "hex");
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, member]) => `${JSON.stringify(k)}:${stableJson(member)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The engine prints a failure as "property <p> value <inputs[p]> has a problem: <reason>", looking the
 * value up by top-level key only. That suits top-level scalars (it shows the bad name); for nested
 * paths it would print `{<nil>}`, and for the connection or a secret field (`secrets`, top-level) it could
 * print credentials.
 * Those become resource-level failures whose reason starts with the path.
 */
export function forEngine(
  failure: { property: string; reason: string },
  secrets: readonly string[] = [],
): {
  property: string;
  reason: string;
} {
  const hidden =
    /[.[]/.test(failure.property) || failure.property === "connection" || secrets.includes(failure.property);
  return hidden ? { property: "", reason: `${failure.property}: ${failure.reason}` } : failure;
}

export interface ProviderRuntimeOptions {
  /** The environment variables to read (default `process.env`, read at each call). */
  env?: NodeJS.ProcessEnv;
  poll?: OperationContext["poll"];
  startEmulator?: EmulatorStarter;
  /**
   * The URL that serves the embedded emulator's data file. Default: an emulator on the file itself,
   * started once per file and process. The lookups, which run in the program process while the
   * provider process holds the file, serve a copy instead (`emulatorSnapshot`).
   */
  embeddedUrl?: (dataFile: string) => Promise<string>;
}

export class ProviderRuntime {
  private config: ProviderConfig = {};
  private readonly clients = new Map<string, CmfClient>();
  /** The client each resolution's inputs led to, so that a refresh does not resolve once per resource. */
  private readonly resolved = new Map<string, CmfClient>();

  constructor(private readonly options: ProviderRuntimeOptions = {}) {}

  /** Called once per serialized provider and process by the host, with the whole stack configuration. */
  configure(req: pulumi.dynamic.ConfigureRequest): void {
    this.configureFrom((key) => req.config.get(key));
  }

  /** The stack configuration by key (`cmf:url`): the host's, or the program's for the lookups. */
  configureFrom(get: (key: string) => string | undefined): void {
    this.config = readProviderConfig(get);
    this.resolved.clear();
  }

  /** A client for `connection` (or the provider-level settings); one per distinct connection. */
  async client(connection: unknown, what: string): Promise<CmfClient> {
    const env = this.options.env ?? process.env;
    // What the resolution reads besides the configuration (which resets the map): resolving and
    // checking the settings again costs more than this key. Hashed, as it may hold credentials.
    const inputs = sha256(stableJson([connection ?? null, ...RESOLUTION_VARIABLES.map((name) => env[name])]));
    const known = this.resolved.get(inputs);
    if (known !== undefined) return known;
    const endpoint = resolveEndpoint(connection as ConnectionInput | undefined, this.config, env, what);
    let settings: CmfConnection;
    let internals: CmfClientInternals = {};
    if (endpoint.kind === "cmf") settings = endpoint.connection;
    else if (this.options.embeddedUrl !== undefined) {
      settings = { url: await this.options.embeddedUrl(endpoint.dataFile), retry: PROVIDER_RETRY };
    } else {
      const emulator = await embeddedEmulator(endpoint.dataFile, this.options.startEmulator);
      settings = { url: emulator.url, retry: PROVIDER_RETRY };
      internals = { dispatch: (request, signal) => emulator.dispatch(request, signal) };
    }
    // The key holds credentials, so only its hash is kept.
    const key = sha256(stableJson(settings));
    const existing = this.clients.get(key);
    if (existing) {
      this.resolved.set(inputs, existing);
      return existing;
    }
    let client: CmfClient;
    try {
      // Loaded on first use: preview only runs check and diff, which never need HTTP (undici's Pool alone
      // takes about 40 ms to load unbundled).
      const { CmfClient: Client } = require("../client/cmf-client") as typeof import("../client/cmf-client");
      client = new Client(settings, internals);
    } catch (error) {
      if (error instanceof CmfConfigurationError) {
        const setting = endpoint.source === "connection" ? `connection.${error.field}` : `cmf:${error.field}`;
        throw new ConnectionSettingsError(
          setting,
          error.message.replace(/^Invalid CMF connection setting \S+: /, ""),
        );
      }
      throw error;
    }
    this.clients.set(key, client);
    this.resolved.set(inputs, client);
    return client;
  }

  /**
   * Where requests for `connection` go, for messages: CMF's URL (a URL with credentials is refused by
   * check and by the resolution) or the embedded emulator's data file.
   */
  endpointName(connection: unknown): string {
    const endpoint = resolveEndpoint(
      connection as ConnectionInput | undefined,
      this.config,
      this.options.env ?? process.env,
      "reach CMF",
    );
    return endpoint.kind === "cmf"
      ? endpoint.connection.url
      : `the embedded emulator (${endpoint.source}: ${endpoint.dataFile})`;
  }

  private context(connection: unknown, what: string): OperationContext {
    return {
      client: () => this.client(connection, what),
      ...(this.options.poll ? { poll: this.options.poll } : {}),
    };
  }

  async check(kind: string, _olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult> {
    const controller = operations(kind);
    const { inputs, failures } = controller.check(asObject(news));
    failures.push(...this.providerLevelFailures(inputs.connection));
    const secrets = secretPaths(controller.definition);
    return failures.length > 0
      ? { inputs, failures: failures.map((failure) => forEngine(failure, secrets)) }
      : { inputs };
  }

  private warnedNoEndpoint = false;

  /**
   * The stack configuration and environment settings a resource without its own `connection` will use,
   * validated at preview as the `connection` input is (a malformed `cmf:url`, or a url and an emulator
   * both set, fail before anything runs, even on a no-op `up`). With no endpoint at all, preview says
   * so once instead of planning creates that `up` cannot make.
   */
  private providerLevelFailures(connection: unknown): { property: string; reason: string }[] {
    if (connection !== undefined && connection !== null) return [];
    try {
      resolveEndpoint(
        undefined,
        this.config,
        this.options.env ?? process.env,
        "reach CMF (`pulumi up` would fail)",
      );
      return [];
    } catch (error) {
      if (error instanceof ConnectionSettingsError) return [{ property: "", reason: error.message }];
      if (error instanceof MissingEndpointError && !this.warnedNoEndpoint) {
        this.warnedNoEndpoint = true;
        console.warn(`warning: ${error.message}`);
      }
      return [];
    }
  }

  async diff(kind: string, _id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult> {
    const { changes, replaces, deleteBeforeReplace } = operations(kind).diff(asObject(olds), asObject(news));
    return { changes, replaces, deleteBeforeReplace };
  }

  async create(kind: string, inputs: unknown): Promise<pulumi.dynamic.CreateResult> {
    const props = asObject(inputs);
    const controller = operations(kind);
    const what = controller.what(controller.idOf(props));
    return controller.create(this.context(props.connection, `create ${what}`), props);
  }

  async read(kind: string, id: string, props: unknown): Promise<pulumi.dynamic.ReadResult> {
    const state = asObject(props);
    const controller = operations(kind);
    return controller.read(this.context(state.connection, `read ${controller.what(id)}`), id, state);
  }

  async update(kind: string, id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.UpdateResult> {
    const desired = asObject(news);
    const controller = operations(kind);
    return controller.update(
      this.context(desired.connection, `update ${controller.what(id)}`),
      id,
      asObject(olds),
      desired,
    );
  }

  async delete(kind: string, id: string, props: unknown): Promise<void> {
    const state = asObject(props);
    const controller = operations(kind);
    await controller.delete(this.context(state.connection, `delete ${controller.what(id)}`), id, state);
  }

  /** Closes every client (tests; the provider process just exits). */
  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    this.resolved.clear();
    await Promise.all(clients.map((client) => client.close()));
  }
}

const runtime = new ProviderRuntime();

export function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  runtime.configure(req);
  return Promise.resolve();
}

export function check(kind: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult> {
  return runtime.check(kind, olds, news);
}

export function diff(
  kind: string,
  id: string,
  olds: unknown,
  news: unknown,
): Promise<pulumi.dynamic.DiffResult> {
  return runtime.diff(kind, id, olds, news);
}

export function create(kind: string, inputs: unknown): Promise<pulumi.dynamic.CreateResult> {
  return runtime.create(kind, inputs);
}

export function read(kind: string, id: string, props: unknown): Promise<pulumi.dynamic.ReadResult> {
  return runtime.read(kind, id, props);
}

export function update(
  kind: string,
  id: string,
  olds: unknown,
  news: unknown,
): Promise<pulumi.dynamic.UpdateResult> {
  return runtime.update(kind, id, olds, news);
}

function deleteResource(kind: string, id: string, props: unknown): Promise<void> {
  return runtime.delete(kind, id, props);
}

export { deleteResource as delete };
