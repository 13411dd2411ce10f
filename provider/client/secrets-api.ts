import {
  EnvironmentSecretMappingSchema,
  EnvironmentSecretMappingsPageSchema,
  SecretSchema,
  SecretsPageSchema,
  type EnvironmentSecretMapping,
  type EnvironmentSecretMappingsPage,
  type PostEnvironmentSecretMapping,
  type PostSecret,
  type Secret,
  type SecretsPage,
} from "../models";
import { CmfApiError } from "./errors";
import type { FilterQuery, PageQuery, SearchQuery } from "./list-query";
import type { DeleteOptions } from "./operation-options";
import type { RequestCore } from "./request-core";
import {
  createItem,
  deleteItem,
  getItem,
  listEvery,
  listPage,
  replaceItem,
  type PathPart,
} from "./resource-calls";

export type SecretListQuery = FilterQuery & SearchQuery;

const REDACTED = "[redacted]";

/**
 * A CMF error about a secret must not show the secret's values, even when the server quotes them
 * (a validation message that echoes its input, say): every value is replaced before it is thrown.
 */
function withoutValues(error: unknown, body: PostSecret): unknown {
  if (!(error instanceof CmfApiError)) return error;
  const data = (body.spec as { data?: Record<string, unknown> } | undefined)?.data ?? {};
  const values = Object.values(data).filter((v): v is string => typeof v === "string" && v !== "");
  const scrub = (text: string) => values.reduce((t, v) => t.split(v).join(REDACTED), text);
  if (!error.messages.some((m) => scrub(m) !== m)) return error;
  return new CmfApiError({
    method: error.method,
    path: error.path,
    status: error.status,
    statusText: error.statusText,
    messages: error.messages.map(scrub),
    requestId: error.requestId,
    attempts: error.attempts,
    operation: error.operation,
  });
}

/** `/cmf/api/v1/secrets`. GET and list never return the values (CMF masks them). */
export class SecretsApi {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  #item(name: string): PathPart[] {
    return ["secrets", { argument: "name", value: name }];
  }

  list(query?: SecretListQuery): Promise<SecretsPage> {
    return listPage(this.#core, "secrets.list", ["secrets"], SecretsPageSchema, query);
  }

  listAll(query?: Omit<SecretListQuery, "page">): AsyncIterable<Secret> {
    return listEvery((page, size) => this.list({ ...query, page, size }), query?.size);
  }

  /** `undefined` on 404. */
  get(name: string): Promise<Secret | undefined> {
    return getItem(this.#core, "secrets.get", this.#item(name), SecretSchema);
  }

  /** 409 (thrown) when it exists. Not retried once the request reached CMF. */
  async create(body: PostSecret): Promise<Secret> {
    try {
      return await createItem(this.#core, "secrets.create", ["secrets"], body, SecretSchema);
    } catch (err) {
      throw withoutValues(err, body);
    }
  }

  /** Replaces the data (and labels, annotations); CMF bumps `status.version`. */
  async update(name: string, body: PostSecret): Promise<Secret> {
    try {
      return await replaceItem(this.#core, "secrets.update", this.#item(name), body, SecretSchema);
    } catch (err) {
      throw withoutValues(err, body);
    }
  }

  async delete(name: string, options?: Pick<DeleteOptions, "ignoreNotFound">): Promise<void> {
    await deleteItem(this.#core, "secrets.delete", this.#item(name), options);
  }
}

/** `/cmf/api/v1/environments/{env}/secret-mappings`; a mapping's name is the connectionSecretId. */
export class SecretMappingsApi {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  #collection(env: string): PathPart[] {
    return ["environments", { argument: "environment", value: env }, "secret-mappings"];
  }

  #item(env: string, name: string): PathPart[] {
    return [...this.#collection(env), { argument: "name", value: name }];
  }

  list(env: string, query?: PageQuery): Promise<EnvironmentSecretMappingsPage> {
    return listPage(
      this.#core,
      "secretMappings.list",
      this.#collection(env),
      EnvironmentSecretMappingsPageSchema,
      query,
    );
  }

  listAll(env: string, query?: Omit<PageQuery, "page">): AsyncIterable<EnvironmentSecretMapping> {
    return listEvery((page, size) => this.list(env, { ...query, page, size }), query?.size);
  }

  get(env: string, name: string): Promise<EnvironmentSecretMapping | undefined> {
    return getItem(this.#core, "secretMappings.get", this.#item(env, name), EnvironmentSecretMappingSchema);
  }

  create(env: string, body: PostEnvironmentSecretMapping): Promise<EnvironmentSecretMapping> {
    return createItem(
      this.#core,
      "secretMappings.create",
      this.#collection(env),
      body,
      EnvironmentSecretMappingSchema,
    );
  }

  update(env: string, name: string, body: PostEnvironmentSecretMapping): Promise<EnvironmentSecretMapping> {
    return replaceItem(
      this.#core,
      "secretMappings.update",
      this.#item(env, name),
      body,
      EnvironmentSecretMappingSchema,
    );
  }

  async delete(env: string, name: string, options?: Pick<DeleteOptions, "ignoreNotFound">): Promise<void> {
    await deleteItem(this.#core, "secretMappings.delete", this.#item(env, name), options);
  }
}
