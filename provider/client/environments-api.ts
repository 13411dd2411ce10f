import {
  EnvironmentSchema,
  EnvironmentsPageSchema,
  type Environment,
  type EnvironmentsPage,
  type PostEnvironment,
} from "../models";
import { CmfArgumentError, CmfResponseError } from "./errors";
import { buildListQueryString, type EnvironmentListQuery } from "./list-query";
import { deleteQuery, getQuery, type DeleteOptions, type GetOptions } from "./operation-options";
import { LIST_ALL_PAGE_SIZE, paginate } from "./pagination";
import { segment, type RequestCore } from "./request-core";

/** The environment name of an upsert body: `metadata.name` (CMF 2.3) or the legacy top-level `name`. */
function bodyName(body: PostEnvironment): string | undefined {
  const fromMetadata = body.metadata?.name;
  if (typeof fromMetadata === "string" && fromMetadata !== "") return fromMetadata;
  return typeof body.name === "string" && body.name !== "" ? body.name : undefined;
}

/** `/cmf/api/v1/environments`. */
export class EnvironmentsApi {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  /** One page. */
  async list(query?: EnvironmentListQuery): Promise<EnvironmentsPage> {
    const operation = "environments.list";
    const path = this.#core.path(["environments"], buildListQueryString(operation, query));
    return this.#core.fetch({ operation, method: "GET", path, idempotent: true }, EnvironmentsPageSchema);
  }

  /** Every environment, page by page (`query.page` is ignored; `query.size` defaults to 100). */
  listAll(query?: Omit<EnvironmentListQuery, "page">): AsyncIterable<Environment> {
    const size = query?.size ?? LIST_ALL_PAGE_SIZE;
    return paginate((page) => this.list({ ...query, page, size }));
  }

  /** `undefined` when CMF answers 404. */
  async get(name: string, options?: GetOptions): Promise<Environment | undefined> {
    const operation = "environments.get";
    const path = this.#core.path(["environments", segment(operation, "name", name)], getQuery(options));
    return this.#core.getOptional({ operation, method: "GET", path, idempotent: true }, EnvironmentSchema);
  }

  /**
   * Creates or updates (CMF's POST is an upsert keyed by name, hence retried like any idempotent
   * call). The body is sent as given. A success without a body is answered by reading the
   * environment back.
   */
  async upsert(body: PostEnvironment): Promise<Environment> {
    const operation = "environments.upsert";
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new CmfArgumentError(operation, "body", "must be an object");
    }
    const call = {
      operation,
      method: "POST" as const,
      path: this.#core.path(["environments"]),
      body,
      idempotent: true,
    };
    const created = await this.#core.fetchMaybeEmpty(call, EnvironmentSchema);
    if (created !== undefined) return created;
    const name = bodyName(body);
    if (name === undefined) {
      throw new CmfResponseError({
        method: call.method,
        path: call.path,
        operation,
        issues: ["body: empty, and the request names no environment (metadata.name or name) to read back"],
      });
    }
    const readPath = this.#core.path(["environments", segment(operation, "name", name)]);
    return this.#core.fetch(
      { operation, method: "GET", path: readPath, idempotent: true },
      EnvironmentSchema,
    );
  }

  /** Throws {@link CmfApiError} 404 unless `ignoreNotFound`. Completes when CMF accepted the delete. */
  async delete(name: string, options?: DeleteOptions): Promise<void> {
    const operation = "environments.delete";
    const path = this.#core.path(["environments", segment(operation, "name", name)], deleteQuery(options));
    await this.#core.send(
      { operation, method: "DELETE", path, idempotent: true },
      { allowNotFound: options?.ignoreNotFound === true },
    );
  }
}
