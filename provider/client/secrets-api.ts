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
import type { RequestCore } from "./request-core";
import { ResourceApi } from "./resource-api";

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
export class SecretsApi extends ResourceApi<[], Secret, SecretsPage, PostSecret, SecretListQuery> {
  constructor(core: RequestCore) {
    super(core, { prefix: "secrets", collection: ["secrets"], item: SecretSchema, page: SecretsPageSchema });
  }

  override async create(body: PostSecret): Promise<Secret> {
    try {
      return await super.create(body);
    } catch (err) {
      throw withoutValues(err, body);
    }
  }

  /** Replaces the data (and labels, annotations); CMF bumps `status.version`. */
  override async update(name: string, body: PostSecret): Promise<Secret> {
    try {
      return await super.update(name, body);
    } catch (err) {
      throw withoutValues(err, body);
    }
  }
}

/** `/cmf/api/v1/environments/{env}/secret-mappings`; a mapping's name is the connectionSecretId. */
export class SecretMappingsApi extends ResourceApi<
  [env: string],
  EnvironmentSecretMapping,
  EnvironmentSecretMappingsPage,
  PostEnvironmentSecretMapping,
  PageQuery
> {
  constructor(core: RequestCore) {
    super(core, {
      prefix: "secretMappings",
      collection: ["environments", { scope: "environment" }, "secret-mappings"],
      item: EnvironmentSecretMappingSchema,
      page: EnvironmentSecretMappingsPageSchema,
    });
  }
}
