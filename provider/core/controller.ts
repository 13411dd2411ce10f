/**
 * The one controller every kind runs on: check, diff, create, read, update and delete over a small
 * per-kind adapter (the few calls and shapes that differ), with adoption, the owner marker and its
 * fencing, the CFK guard, waiting and partial failures handled once. Front ends (the dynamic provider
 * in `provider/resources/runtime.ts`, the `cmf` plugin) call it with plain JSON.
 */
import type { CmfClient } from "../client";
import { CmfApiError } from "../client/errors";
import { LIST_ALL_PAGE_SIZE } from "../client/pagination";
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from "../client/retry-policy";
import { BulkReads } from "./bulk-reads";
import { checkInputs } from "./check";
import { withNewSettings, type OperationContext } from "./context";
import { diffInputs, type DiffOutcome, type DiffRules } from "./diff";
import {
  CfkManagedError,
  CmfProviderError,
  describeFailure,
  HAND_OVER,
  OwnedElsewhereError,
  ResourceInitError,
  type ErrorContext,
} from "./errors";
import { CREATE_ATTEMPTS, isInconclusiveCreate } from "./inconclusive-create";
import { refreshedInputs, type JsonObject } from "./normalize";
import { assertMayTakeOver, cfkManager, fence, ownerOf, type ObjectMarks } from "./ownership";
import { poll } from "./poll";
import {
  cmfFields,
  formatId,
  idPattern,
  inputFields,
  nestedReplacePaths,
  parseId,
  replaceFields,
  settingFields,
  type CheckFailure,
  type KindDefinition,
} from "./schema";
import { isUnknown } from "./unknown";

export type Names = Record<string, string>;

/** What differs between kinds. `S` is the kind's object as CMF returns it. */
export interface KindAdapter<S> {
  readonly definition: KindDefinition;
  get(client: CmfClient, names: Names): Promise<S | undefined>;
  /**
   * For kinds whose list items are the objects a GET returns: a page of the collection `names` is in,
   * and a listed object's name. With it, a refresh's many reads of one collection are answered from
   * its pages (`bulk-reads.ts`); without it, every read is a GET.
   */
  list?: {
    page(client: CmfClient, names: Names, page: number, size: number): Promise<readonly S[]>;
    nameOf(server: S): string;
  };
  /**
   * The complete desired object, created or replaced. `existing` is the object as just read (absent:
   * it does not exist), for kinds whose create (POST) refuses an existing name and whose replacement
   * is a PUT; kinds with an upsert POST ignore it.
   */
  upsert(client: CmfClient, names: Names, inputs: JsonObject, existing: S | undefined): Promise<S>;
  /** `props` and `ctx` for kinds that act before the delete itself (a statement's `onDestroy` SQL). */
  remove(
    client: CmfClient,
    names: Names,
    options: { force: boolean; props: JsonObject; ctx: OperationContext; warn: Warn },
  ): Promise<void>;
  marks(server: S): ObjectMarks;
  /** The outputs: CMF's fields restricted to what was declared, the settings of `settingsSource`. */
  outputs(names: Names, server: S, declared: JsonObject, settingsSource: JsonObject): JsonObject;
  /** What to add to CMF's 404 and 409 answers. */
  hints(names: Names): Omit<ErrorContext, "action">;
  /**
   * After a write (or when a rollout is waited for again): wait until the object is where the inputs
   * want it, and return the outputs; throws {@link ResourceInitError} when it does not get there.
   * `newRollout` says that the write started a new rollout (the old status must not count).
   * Without it, the outputs are returned at once.
   */
  settle?(
    ctx: OperationContext,
    client: CmfClient,
    server: S,
    inputs: JsonObject,
    newRollout: boolean,
  ): Promise<JsonObject>;
  /** An update through something other than the upsert (e.g. start/suspend), when it applies. */
  write?(
    client: CmfClient,
    names: Names,
    olds: JsonObject,
    news: JsonObject,
    outcome: DiffOutcome,
  ): Promise<S | undefined>;
  /** Whether an update (`outcome`) starts a new rollout; see {@link settle}. */
  startsRollout?(outcome: DiffOutcome): boolean;
  /** Whether the last outputs show the object where the inputs want it (no need to wait again). */
  lastSeenReady?(olds: JsonObject, news: JsonObject): boolean;
  /**
   * Why CMF would refuse the delete right now (e.g. "2 databases remain in it"), or `undefined`. The
   * delete waits, within its timeout, until nothing blocks it: other resources of the same `up`
   * (or another stack) may still be deleting what CMF checks for.
   */
  blockedBy?(client: CmfClient, names: Names): Promise<string | undefined>;
  /**
   * The inputs in the form the outputs hold them, for the diff (e.g. secret values as the digests
   * the state keeps instead of the values). Without it, the inputs are compared as they are.
   */
  comparable?(news: JsonObject, olds: JsonObject): JsonObject;
  deleteTimeoutSeconds(props: JsonObject): number;
  /** The object in words, while a delete waits for it to go. */
  describe(server: S): string;
  /** Added when a deleted object is still listed after the timeout. */
  stuckDeleteHint?: string;
}

/** Written on stderr, which the Pulumi CLI shows (dynamic providers have no other way to warn). */
export type Warn = (message: string) => void;

const consoleWarn: Warn = (message) => console.warn(`warning: ${message}`);

export class KindController<S> {
  readonly definition: KindDefinition;
  readonly rules: DiffRules;
  private readonly inputNames: string[];
  private readonly settings: string[];
  /** Per client, so per CMF and credentials: one token may list what another may not. */
  private readonly bulkReads = new WeakMap<CmfClient, BulkReads<S>>();

  constructor(
    readonly adapter: KindAdapter<S>,
    private readonly warn: Warn = consoleWarn,
  ) {
    const definition = adapter.definition;
    this.definition = definition;
    this.settings = settingFields(definition);
    this.inputNames = inputFields(definition);
    this.rules = {
      cmfFields: cmfFields(definition),
      replaceFields: replaceFields(definition),
      nestedReplacePaths: nestedReplacePaths(definition),
      settingFields: this.settings,
      identity: (inputs) => {
        const parts = definition.id.parts.map((part) => inputs[part]);
        return parts.every((part) => typeof part === "string" && !isUnknown(part))
          ? parts.join("/")
          : undefined;
      },
    };
  }

  /** "CMF application "prod/orders"" */
  what(id: string): string {
    return `${this.definition.label} "${id}"`;
  }

  idOf(inputs: JsonObject): string {
    return formatId(this.definition, inputs);
  }

  namesOf(id: string): Names {
    const names = parseId(this.definition, id);
    if (!names) {
      throw new CmfProviderError(
        `Invalid ${this.definition.className} id "${id}": expected "${idPattern(this.definition)}"`,
      );
    }
    return names;
  }

  check(news: JsonObject): { inputs: JsonObject; failures: CheckFailure[] } {
    return checkInputs(this.definition, news);
  }

  diff(olds: JsonObject, news: JsonObject): DiffOutcome {
    return diffInputs(this.rules, olds, this.adapter.comparable?.(news, olds) ?? news);
  }

  private failure(error: unknown, action: string, id: string, names: Names): Error {
    if (error instanceof ResourceInitError) return error;
    return describeFailure(error, { action: `${action} ${this.what(id)}`, ...this.adapter.hints(names) });
  }

  private async settle(
    ctx: OperationContext,
    client: CmfClient,
    server: S,
    names: Names,
    inputs: JsonObject,
    newRollout: boolean,
  ): Promise<JsonObject> {
    return this.adapter.settle
      ? this.adapter.settle(ctx, client, server, inputs, newRollout)
      : this.adapter.outputs(names, server, inputs, inputs);
  }

  async create(ctx: OperationContext, inputs: JsonObject): Promise<{ id: string; outs: JsonObject }> {
    const id = this.idOf(inputs);
    const names = this.namesOf(id);
    try {
      const client = await ctx.client();
      const found = await this.adapter.get(client, names);
      if (found !== undefined) assertMayTakeOver(this.what(id), this.adapter.marks(found), inputs);
      const { server, existing } = await this.writing(client, names, () =>
        this.createWrite(ctx, client, names, id, inputs, found),
      );
      // A new object has one rollout only, so its status cannot describe an older one.
      return { id, outs: await this.settle(ctx, client, server, names, inputs, existing !== undefined) };
    } catch (error) {
      throw this.failure(error, "create", id, names);
    }
  }

  /**
   * The create's write. When CMF's answer leaves open whether a create (a POST, which the client does
   * not repeat) took effect, the object is read back: carrying this resource's owner marker, it is the
   * one just created; absent, the create is sent again (names are unique, so a repeat cannot create a
   * second one), and a repeat refused with 409 is read back the same way (the earlier one landed late).
   * Anyone else's object found meanwhile is handled as at the start of the create (adopt or refuse).
   */
  private async createWrite(
    ctx: OperationContext,
    client: CmfClient,
    names: Names,
    id: string,
    inputs: JsonObject,
    found: S | undefined,
  ): Promise<{ server: S; existing: S | undefined }> {
    let existing = found;
    let inconclusive = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return { server: await this.adapter.upsert(client, names, inputs, existing), existing };
      } catch (error) {
        const lateConflict = inconclusive && error instanceof CmfApiError && error.isConflict;
        if (existing !== undefined || !(isInconclusiveCreate(error) || lateConflict)) throw error;
        inconclusive = true;
        const now = await this.adapter.get(client, names);
        if (now !== undefined) {
          const marks = this.adapter.marks(now);
          const marker = ownerOf(marks.annotations);
          if (cfkManager(marks) === undefined && marker !== undefined && marker === inputs.owner) {
            return { server: now, existing: undefined };
          }
          assertMayTakeOver(this.what(id), marks, inputs);
          existing = now;
          continue;
        }
        if (lateConflict || attempt >= CREATE_ATTEMPTS) throw error;
        const policy = {
          ...DEFAULT_RETRY_POLICY,
          baseDelayMs: ctx.poll?.initialIntervalMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
        };
        await new Promise((resolve) => setTimeout(resolve, backoffDelayMs(attempt, policy, Math.random)));
      }
    }
  }

  async read(
    ctx: OperationContext,
    id: string,
    props: JsonObject,
  ): Promise<{ id: string; props?: JsonObject; inputs?: JsonObject }> {
    const names = this.namesOf(id);
    try {
      const server = await this.readObject(await ctx.client(), names);
      if (server === undefined) return { id: "" };
      const outs = this.adapter.outputs(names, server, props, props);
      const inputs = refreshedInputs(outs, props, this.inputNames);
      return inputs === undefined ? { id, props: outs } : { id, props: outs, inputs };
    } catch (error) {
      throw this.failure(error, "read", id, names);
    }
  }

  /** The object, from its collection's list pages when many reads of the collection come together. */
  private readObject(client: CmfClient, names: Names): Promise<S | undefined> {
    const list = this.adapter.list;
    if (list === undefined) return this.adapter.get(client, names);
    let reads = this.bulkReads.get(client);
    if (reads === undefined) {
      reads = new BulkReads<S>(LIST_ALL_PAGE_SIZE);
      this.bulkReads.set(client, reads);
    }
    return reads.read(
      this.collectionOf(names),
      names.name,
      { page: (page, size) => list.page(client, names, page, size), nameOf: list.nameOf },
      () => this.adapter.get(client, names),
    );
  }

  /** The id's parts before the name: the environment of an application, nothing for an environment. */
  private collectionOf(names: Names): string {
    return this.definition.id.parts
      .slice(0, -1)
      .map((part) => names[part])
      .join("/");
  }

  /**
   * `write`, with the object dropped from its collection's listed pages before and after it, so that no
   * read in this process is answered from a page that may predate the write.
   */
  private async writing<T>(client: CmfClient, names: Names, write: () => Promise<T>): Promise<T> {
    const forget = () => this.bulkReads.get(client)?.forget(this.collectionOf(names), names.name);
    forget();
    try {
      return await write();
    } finally {
      forget();
    }
  }

  async update(
    ctx: OperationContext,
    id: string,
    olds: JsonObject,
    news: JsonObject,
  ): Promise<{ outs: JsonObject }> {
    const names = this.namesOf(id);
    const outcome = this.diff(olds, news);
    const connectionChanged = outcome.changedSettings.includes("connection");
    try {
      if (outcome.changedCmfFields.length === 0) {
        const settingsOnly = outcome.changedSettings.length > 0;
        const ready = this.adapter.lastSeenReady?.(olds, news) ?? true;
        if (!connectionChanged && ready && (settingsOnly || !this.adapter.settle)) {
          return { outs: withNewSettings(olds, news, this.settings) };
        }
        // A new endpoint or credentials must reach this object before they are recorded; a rollout
        // that had not finished (a partial failure being retried) is waited for again. Reads only.
        const client = await ctx.client();
        const server = await this.adapter.get(client, names);
        if (server === undefined) {
          throw new CmfProviderError(
            connectionChanged
              ? `Cannot switch ${this.what(id)} to the new connection: it does not exist there. If it moved to another CMF, recreate it there or run \`pulumi refresh\`.`
              : `Cannot update ${this.what(id)}: it no longer exists in CMF (deleted outside Pulumi?). Run \`pulumi refresh\`, then \`pulumi up\` recreates it.`,
          );
        }
        return { outs: await this.settle(ctx, client, server, names, news, false) };
      }
      const client = await ctx.client();
      // Deleted outside Pulumi: the upsert recreates it, as the program declares it.
      const current = await this.adapter.get(client, names);
      if (current !== undefined) this.assertMayChange(id, current, olds, "update");
      const server = await this.writing(
        client,
        names,
        async () =>
          (await this.adapter.write?.(client, names, olds, news, outcome)) ??
          (await this.adapter.upsert(client, names, news, current)),
      );
      const newRollout = this.adapter.startsRollout?.(outcome) ?? false;
      return { outs: await this.settle(ctx, client, server, names, news, newRollout) };
    } catch (error) {
      throw this.failure(error, "update", id, names);
    }
  }

  private assertMayChange(id: string, server: S, state: JsonObject, action: "update" | "delete"): void {
    const decision = fence(this.adapter.marks(server), state.owner);
    if (decision.allowed) return;
    if (decision.by === "cfk") throw new CfkManagedError(this.what(id), decision.manager, action);
    throw new OwnedElsewhereError(this.what(id), decision.owner, String(state.owner));
  }

  async delete(ctx: OperationContext, id: string, props: JsonObject): Promise<void> {
    const names = this.namesOf(id);
    try {
      const client = await ctx.client();
      const current = await this.adapter.get(client, names);
      if (current === undefined) return;
      const decision = fence(this.adapter.marks(current), props.owner);
      if (!decision.allowed) {
        // Deleting would destroy what another resource (or CFK) now manages: the object stays, and
        // this resource leaves the state, which is what its delete means for Pulumi.
        const whose =
          decision.by === "cfk"
            ? `it is managed by Confluent for Kubernetes (cmf.platform.confluent.io/managed-by: ${decision.manager})`
            : `it is now managed by another pulumi-cmf resource (${decision.owner})`;
        this.warn(
          [
            `${this.what(id)} was left in CMF: ${whose}. It is removed from this stack's state only.`,
            ...(decision.by === "owner" ? HAND_OVER : []),
          ].join("\n"),
        );
        return;
      }
      const timeoutSeconds = this.adapter.deleteTimeoutSeconds(props);
      const blockedBy = this.adapter.blockedBy;
      if (blockedBy) {
        const free = await poll(
          async () => {
            const reason = await blockedBy(client, names);
            return reason === undefined
              ? { done: true as const, value: undefined }
              : { done: false as const, value: undefined, detail: reason };
          },
          { timeoutMs: timeoutSeconds * 1000, ...ctx.poll },
        );
        if (free.outcome === "timeout") {
          throw new CmfProviderError(
            `Cannot delete ${this.what(id)}: ${free.detail}, still after ${timeoutSeconds} s.${this.adapter.hints(names).conflictHint ? ` ${this.adapter.hints(names).conflictHint}` : ""}`,
          );
        }
      }
      await this.writing(client, names, () =>
        this.adapter.remove(client, names, {
          force: props.forceDelete === true,
          props,
          ctx,
          warn: this.warn,
        }),
      );
      const gone = await poll(
        async () => {
          const server = await this.adapter.get(client, names);
          return server === undefined
            ? { done: true as const, value: undefined }
            : { done: false as const, value: server, detail: this.adapter.describe(server) };
        },
        { timeoutMs: timeoutSeconds * 1000, ...ctx.poll },
      );
      if (gone.outcome !== "done") {
        throw new CmfProviderError(
          `CMF accepted the deletion of ${this.what(id)} but still lists it after ${timeoutSeconds} s (last status: ${gone.outcome === "timeout" ? gone.detail : "unknown"}).${this.adapter.stuckDeleteHint ? ` ${this.adapter.stuckDeleteHint}` : ""}`,
        );
      }
    } catch (error) {
      throw this.failure(error, "delete", id, names);
    }
  }
}
