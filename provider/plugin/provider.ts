/**
 * The `cmf` plugin's operations in plain values: a second front end over the same core the dynamic
 * resources call (`check/diff/create/read/update/delete(kind, ...)`). What it adds is what only a real
 * provider can do: the URN (the default name, the owner marker, status messages), `customTimeouts`,
 * `pulumi import`, provider configuration checked at preview, detailed diffs and secret outputs.
 * No gRPC here (server.ts), so every decision is testable with plain objects.
 */
import { formatId, objectFields, secretPaths, type KindDefinition } from "../core/schema";
import { ResourceInitError } from "../core/errors";
import { isPlainObject, pick, type JsonObject } from "../core/normalize";
import { controllerOf } from "../kinds/controllers";
import { checkConfig, diffConfig, providerConfig } from "./config";
import { detailedDiff, type PropertyChange } from "./detailed-diff";
import { functionToken, kindOfToken, PLUGIN_OMITTED_FIELDS, resourceToken } from "./schema";
import { ownerOf, parseUrn } from "./urn";
import { unwrapSecrets, wrapSecrets, type ValuePath } from "./values";

/** The core's entry points, as `provider/resources/runtime.ts` serves them to the dynamic resources. */
export interface Core {
  configure(req: { config: { get(key: string): string | undefined; require(key: string): string } }): void;
  check(
    kind: string,
    olds: unknown,
    news: unknown,
  ): Promise<{ inputs?: JsonObject; failures?: { property: string; reason: string }[] }>;
  diff(
    kind: string,
    id: string,
    olds: unknown,
    news: unknown,
  ): Promise<{ changes?: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }>;
  create(kind: string, inputs: unknown): Promise<{ id: string; outs?: JsonObject }>;
  read(
    kind: string,
    id: string,
    props: unknown,
  ): Promise<{ id?: string; props?: JsonObject; inputs?: JsonObject }>;
  update(kind: string, id: string, olds: unknown, news: unknown): Promise<{ outs?: JsonObject }>;
  delete(kind: string, id: string, props: unknown): Promise<void>;
}

/** Status lines for the CLI's progress display, tied to a resource. */
export type StatusSink = (urn: string, message: string) => void;

export interface CheckOutcome {
  inputs: unknown;
  failures: { property: string; reason: string }[];
}

export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  detailed: PropertyChange[];
}

/** A create or update CMF accepted but that did not reach its target: recorded with an id, then failed. */
export class PartialFailure extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: unknown,
  ) {
    super(message);
    this.name = "PartialFailure";
  }
}

/** An operation on a token the package does not have. */
export class UnknownTokenError extends Error {
  constructor(token: string) {
    super(`cmf: unknown resource or function type "${token}"`);
    this.name = "UnknownTokenError";
  }
}

export interface PluginOptions {
  /** How often status is read while an operation waits (default 2 s). */
  statusIntervalMs?: number;
}

function kindOf(typeOrUrn: string): KindDefinition {
  const type = typeOrUrn.startsWith("urn:") ? (parseUrn(typeOrUrn)?.type ?? typeOrUrn) : typeOrUrn;
  const definition = kindOfToken(type);
  if (!definition || resourceToken(definition.kind) !== type) throw new UnknownTokenError(type);
  return definition;
}

function object(value: unknown): JsonObject {
  return isPlainObject(value) ? value : {};
}

/** Schema-secret paths of a kind plus the paths that arrived secret. */
function secretsFor(definition: KindDefinition, arrived: readonly ValuePath[]): ValuePath[] {
  return [...secretPaths(definition).map((path) => path.split(".")), ...arrived];
}

/** "job RUNNING, lifecycle STABLE" from a status output: its states and statuses, and any error. */
export function describeStatusOutput(status: unknown): string | undefined {
  if (!isPlainObject(status)) return undefined;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(status)) {
    if (typeof value !== "string" || value === "") continue;
    const state = /^(.*?)(State|Status)$/.exec(key);
    if (state) parts.push(`${state[1].replace(/([A-Z])/g, " $1").toLowerCase()} ${value}`);
    else if (key === "error") parts.push(`error: ${value}`);
  }
  return parts.length > 0 ? parts.join(", ") : undefined;
}

export class CmfPlugin {
  private configured = false;
  private cancelled = false;

  constructor(
    private readonly core: Core,
    private readonly status: StatusSink = () => undefined,
    private readonly options: PluginOptions = {},
  ) {}

  /** The engine is cancelling: no more status reads (the core's operations finish on their own). */
  cancel(): void {
    this.cancelled = true;
  }

  checkConfig(news: unknown): CheckOutcome {
    const { plain, secrets } = unwrapSecrets(news);
    const failures = checkConfig(object(plain));
    return { inputs: wrapSecrets(plain, secrets), failures };
  }

  diffConfig(olds: unknown, news: unknown): PropertyChange[] {
    return diffConfig(object(unwrapSecrets(olds).plain), object(unwrapSecrets(news).plain));
  }

  configure(args: unknown): void {
    const config = providerConfig(object(unwrapSecrets(args).plain));
    const get = (key: string) => config[key.replace(/^cmf:/, "") as keyof typeof config];
    this.core.configure({
      config: {
        get,
        require: (key) => {
          const value = get(key);
          if (value === undefined) throw new Error(`missing required configuration ${key}`);
          return value;
        },
      },
    });
    this.configured = true;
  }

  /** The core must always see the provider configuration, even when the engine skips Configure. */
  private ensureConfigured(): void {
    if (!this.configured) this.configure({});
  }

  /**
   * The program's inputs completed the way the dynamic SDK completes them: the CMF name defaults to the
   * logical name, and the owner marker is `<project>/<stack>/<logical name>`.
   */
  async check(urn: string, olds: unknown, news: unknown, logicalName?: string): Promise<CheckOutcome> {
    const definition = kindOf(urn);
    const { plain, secrets } = unwrapSecrets(news);
    const inputs = { ...object(plain) };
    const parsed = parseUrn(urn);
    const name = logicalName || parsed?.name;
    for (const [field, descriptor] of Object.entries(definition.fields)) {
      const fallback = descriptor.default;
      if (fallback && "resourceName" in fallback && inputs[field] === undefined && name) inputs[field] = name;
    }
    if (parsed && "owner" in definition.fields)
      inputs.owner = ownerOf({ ...parsed, name: name ?? parsed.name });
    const failures: CheckOutcome["failures"] = [];
    for (const field of Object.keys(PLUGIN_OMITTED_FIELDS)) {
      if (inputs[field] !== undefined) {
        failures.push({
          property: field,
          reason: `is not an input of the cmf plugin; use the ${PLUGIN_OMITTED_FIELDS[field]} resource option`,
        });
      }
    }
    const checked = await this.core.check(definition.kind, unwrapSecrets(olds).plain, inputs);
    return {
      inputs: wrapSecrets(checked.inputs ?? inputs, secretsFor(definition, secrets)),
      failures: [...failures, ...(checked.failures ?? [])],
    };
  }

  async diff(urn: string, id: string, olds: unknown, news: unknown): Promise<DiffOutcome> {
    const definition = kindOf(urn);
    const before = object(unwrapSecrets(olds).plain);
    const after = object(unwrapSecrets(news).plain);
    const result = await this.core.diff(definition.kind, id, before, after);
    if (!result.changes) return { changes: false, replaces: [], deleteBeforeReplace: false, detailed: [] };
    const replaces = result.replaces ?? [];
    // Which fields changed, as the kind's controller compares them (the internal owner never does).
    const outcome = controllerOf(definition.kind)?.diff(before, after);
    const fields = outcome ? [...outcome.changedCmfFields, ...outcome.changedSettings] : [];
    // The core may see a change this comparison does not (it owns the rules): never hide one.
    for (const field of replaces) if (!fields.includes(field)) fields.push(field);
    return {
      changes: true,
      replaces,
      deleteBeforeReplace: result.deleteBeforeReplace === true,
      detailed: detailedDiff(before, after, fields, replaces),
    };
  }

  /**
   * `customTimeouts` (seconds; 0 = not set) becomes the core's wait budget for this one operation; it
   * is never stored, so that changing it is not a diff.
   */
  private withTimeout(values: JsonObject, timeoutSeconds: number): JsonObject {
    if (!(timeoutSeconds > 0)) return values;
    return { ...values, timeoutSeconds: Math.max(1, Math.ceil(timeoutSeconds)) };
  }

  private stored(definition: KindDefinition, outs: JsonObject | undefined, secrets: readonly ValuePath[]) {
    const kept = { ...(outs ?? {}) };
    for (const field of Object.keys(PLUGIN_OMITTED_FIELDS)) delete kept[field];
    return wrapSecrets(kept, secretsFor(definition, secrets));
  }

  /**
   * While `operation` runs, the object's status is read every few seconds and shown next to the
   * resource in the CLI ("orders: job RECONCILING, lifecycle DEPLOYED"). The first read waits one
   * interval, so operations that finish at once cost nothing extra.
   */
  private async withStatus<T>(
    urn: string,
    definition: KindDefinition,
    id: string,
    props: JsonObject,
    operation: Promise<T>,
  ): Promise<T> {
    if (!("status" in definition.fields) || !id) return operation;
    const interval = this.options.statusIntervalMs ?? 2_000;
    const label = parseUrn(urn)?.name ?? id;
    let done = false;
    let last: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    const tick = async () => {
      try {
        const seen = await this.core.read(definition.kind, id, props);
        const text = seen.id ? describeStatusOutput(seen.props?.status) : undefined;
        if (!done && !this.cancelled && text && text !== last) {
          last = text;
          this.status(urn, `${label}: ${text}`);
        }
      } catch {
        // Status is a courtesy: the operation itself reports real failures.
      }
      if (!done && !this.cancelled) timer = setTimeout(tick, interval);
    };
    timer = setTimeout(tick, interval);
    try {
      return await operation;
    } finally {
      done = true;
      clearTimeout(timer);
    }
  }

  private partial(definition: KindDefinition, error: unknown, secrets: readonly ValuePath[]): unknown {
    if (error instanceof ResourceInitError) {
      return new PartialFailure(error.message, error.id, this.stored(definition, error.properties, secrets));
    }
    return error;
  }

  async create(
    urn: string,
    news: unknown,
    timeoutSeconds: number,
  ): Promise<{ id: string; properties: unknown }> {
    this.ensureConfigured();
    const definition = kindOf(urn);
    const { plain, secrets } = unwrapSecrets(news);
    const inputs = this.withTimeout(object(plain), timeoutSeconds);
    try {
      const id = formatId(definition, inputs);
      const created = await this.withStatus(
        urn,
        definition,
        id,
        inputs,
        this.core.create(definition.kind, inputs),
      );
      return { id: created.id, properties: this.stored(definition, created.outs, secrets) };
    } catch (error) {
      throw this.partial(definition, error, secrets);
    }
  }

  async update(
    urn: string,
    id: string,
    olds: unknown,
    news: unknown,
    timeoutSeconds: number,
  ): Promise<{ properties: unknown }> {
    this.ensureConfigured();
    const definition = kindOf(urn);
    const { plain, secrets } = unwrapSecrets(news);
    // The same budget on both sides, so that it never looks like a change of settings to the core.
    const desired = this.withTimeout(object(plain), timeoutSeconds);
    const previous = this.withTimeout(object(unwrapSecrets(olds).plain), timeoutSeconds);
    try {
      const updated = await this.withStatus(
        urn,
        definition,
        id,
        desired,
        this.core.update(definition.kind, id, previous, desired),
      );
      return { properties: this.stored(definition, updated.outs, secrets) };
    } catch (error) {
      throw this.partial(definition, error, secrets);
    }
  }

  async delete(urn: string, id: string, props: unknown, timeoutSeconds: number): Promise<void> {
    this.ensureConfigured();
    const definition = kindOf(urn);
    const state = this.withTimeout(object(unwrapSecrets(props).plain), timeoutSeconds);
    await this.core.delete(definition.kind, id, state);
  }

  /**
   * Refresh (the stored outputs given) and `pulumi import` (only the id): the object as CMF holds it, and
   * the inputs that would produce it, which is what lets `pulumi import` write the program's code. A
   * refresh that finds the object as the stored outputs describe it returns no inputs: the engine keeps
   * its own.
   */
  async read(
    urn: string,
    id: string,
    props: unknown,
  ): Promise<{ id: string; properties?: unknown; inputs?: unknown }> {
    this.ensureConfigured();
    const definition = kindOf(urn);
    const { plain, secrets } = unwrapSecrets(props);
    const result = await this.core.read(definition.kind, id, object(plain));
    if (!result.id) return { id: "" };
    const properties = this.stored(definition, result.props, secrets);
    // None: the object's inputs are as the state holds them, and the engine keeps those.
    if (result.inputs === undefined) return { id: result.id, properties };
    const inputs = { ...result.inputs };
    for (const field of Object.keys(PLUGIN_OMITTED_FIELDS)) delete inputs[field];
    return { id: result.id, properties, inputs: wrapSecrets(inputs, secretsFor(definition, secrets)) };
  }

  /** `get<Kind>`: the object named by the arguments, as CMF holds it (without provider settings). */
  async invoke(
    token: string,
    args: unknown,
  ): Promise<{ result?: JsonObject; failures: CheckOutcome["failures"] }> {
    this.ensureConfigured();
    const definition = kindOfToken(token);
    if (!definition || functionToken(definition.kind) !== token) throw new UnknownTokenError(token);
    const names = object(unwrapSecrets(args).plain);
    const failures = definition.id.parts
      .filter((part) => typeof names[part] !== "string" || names[part] === "")
      .map((part) => ({ property: part, reason: "is required" }));
    if (failures.length > 0) return { failures };
    const id = formatId(definition, names);
    const found = await this.core.read(definition.kind, id, {});
    if (!found.id) {
      throw new Error(`${definition.label} "${id}" does not exist in CMF`);
    }
    const result = pick(found.props ?? {}, objectFields(definition));
    return {
      result: wrapSecrets(
        result,
        secretPaths(definition).map((p) => p.split(".")),
      ) as JsonObject,
      failures,
    };
  }
}
