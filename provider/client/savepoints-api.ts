import {
  SavepointSchema,
  SavepointsPageSchema,
  type PostSavepoint,
  type Savepoint,
  type SavepointsPage,
} from "../models";
import { CmfArgumentError } from "./errors";
import { buildListQueryString, type SavepointListQuery } from "./list-query";
import { deleteQuery, type DeleteOptions } from "./operation-options";
import { LIST_ALL_PAGE_SIZE, paginate } from "./pagination";
import { segment, type RequestCore } from "./request-core";

/** The object savepoints are taken of: an application or a statement of an environment. */
export type SavepointParentRef =
  | { readonly environment: string; readonly application: string }
  | { readonly environment: string; readonly statement: string };

export interface SavepointDeleteOptions extends DeleteOptions {
  /**
   * `force=true`: removes a savepoint already marked for deletion. Without it, CMF only marks the
   * savepoint (`status.pendingDeletion`).
   */
  force?: boolean;
}

function checkBody(operation: string, body: unknown): void {
  if (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body))) {
    throw new CmfArgumentError(operation, "body", "must be an object when given");
  }
}

/**
 * `/cmf/api/v1/environments/{env}/applications/{app}/savepoints` and
 * `/cmf/api/v1/environments/{env}/statements/{stmt}/savepoints`.
 *
 * `create` is not idempotent (each POST triggers another savepoint; without a name CMF generates one),
 * so it is retried only when the request never reached CMF. `delete` is: marking twice is harmless.
 */
export class SavepointsApi {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  #parentSegments(operation: string, parent: SavepointParentRef): string[] {
    if (typeof parent !== "object" || parent === null) {
      throw new CmfArgumentError(
        operation,
        "parent",
        "must be { environment, application } or { environment, statement }",
      );
    }
    const env = segment(operation, "parent.environment", parent.environment);
    if ("application" in parent && parent.application !== undefined) {
      return [
        "environments",
        env,
        "applications",
        segment(operation, "parent.application", parent.application),
      ];
    }
    if ("statement" in parent && parent.statement !== undefined) {
      return ["environments", env, "statements", segment(operation, "parent.statement", parent.statement)];
    }
    throw new CmfArgumentError(operation, "parent", "must name an application or a statement");
  }

  #path(operation: string, parent: SavepointParentRef, rest: readonly string[], query = ""): string {
    return this.#core.path([...this.#parentSegments(operation, parent), "savepoints", ...rest], query);
  }

  /** One page; CMF answers 404 (thrown) for an unknown environment, application or statement. */
  async list(parent: SavepointParentRef, query?: SavepointListQuery): Promise<SavepointsPage> {
    const operation = "savepoints.list";
    const path = this.#path(operation, parent, [], buildListQueryString(operation, query));
    return this.#core.fetch({ operation, method: "GET", path, idempotent: true }, SavepointsPageSchema);
  }

  listAll(parent: SavepointParentRef, query?: Omit<SavepointListQuery, "page">): AsyncIterable<Savepoint> {
    const size = query?.size ?? LIST_ALL_PAGE_SIZE;
    return paginate((page) => this.list(parent, { ...query, page, size }));
  }

  /** `undefined` when CMF answers 404. */
  async get(parent: SavepointParentRef, name: string): Promise<Savepoint | undefined> {
    const operation = "savepoints.get";
    const path = this.#path(operation, parent, [segment(operation, "name", name)]);
    return this.#core.getOptional({ operation, method: "GET", path, idempotent: true }, SavepointSchema);
  }

  /** Triggers a savepoint (201); the body is optional. Not retried once the request reached CMF. */
  async create(parent: SavepointParentRef, body?: PostSavepoint): Promise<Savepoint> {
    const operation = "savepoints.create";
    checkBody(operation, body);
    const path = this.#path(operation, parent, []);
    return this.#core.fetch(
      { operation, method: "POST", path, ...(body === undefined ? {} : { body }), idempotent: false },
      SavepointSchema,
    );
  }

  /** Marks for deletion, or with `force` removes a marked savepoint. 404 throws unless `ignoreNotFound`. */
  async delete(parent: SavepointParentRef, name: string, options?: SavepointDeleteOptions): Promise<void> {
    const operation = "savepoints.delete";
    const path = this.#path(operation, parent, [segment(operation, "name", name)], deleteQuery(options));
    await this.#core.send(
      { operation, method: "DELETE", path, idempotent: true },
      { allowNotFound: options?.ignoreNotFound === true },
    );
  }

  /**
   * Moves an application savepoint to the detached savepoints (CMF has no detach for statements).
   * Not retried once the request reached CMF: a repeated detach finds nothing to detach.
   */
  async detach(
    parent: { readonly environment: string; readonly application: string },
    name: string,
  ): Promise<Savepoint> {
    const operation = "savepoints.detach";
    const path = this.#path(operation, parent, [segment(operation, "name", name), "detach"]);
    return this.#core.fetch({ operation, method: "POST", path, idempotent: false }, SavepointSchema);
  }
}

/** `/cmf/api/v1/detached-savepoints`. */
export class DetachedSavepointsApi {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  async list(query?: SavepointListQuery): Promise<SavepointsPage> {
    const operation = "detachedSavepoints.list";
    const path = this.#core.path(["detached-savepoints"], buildListQueryString(operation, query));
    return this.#core.fetch({ operation, method: "GET", path, idempotent: true }, SavepointsPageSchema);
  }

  listAll(query?: Omit<SavepointListQuery, "page">): AsyncIterable<Savepoint> {
    const size = query?.size ?? LIST_ALL_PAGE_SIZE;
    return paginate((page) => this.list({ ...query, page, size }));
  }

  /** `undefined` when CMF answers 404. */
  async get(name: string): Promise<Savepoint | undefined> {
    const operation = "detachedSavepoints.get";
    const path = this.#core.path(["detached-savepoints", segment(operation, "name", name)]);
    return this.#core.getOptional({ operation, method: "GET", path, idempotent: true }, SavepointSchema);
  }

  /** Registers an existing savepoint (`spec.path`). Not retried once the request reached CMF. */
  async create(body: PostSavepoint): Promise<Savepoint> {
    const operation = "detachedSavepoints.create";
    if (body === undefined) throw new CmfArgumentError(operation, "body", "is required (spec.path)");
    checkBody(operation, body);
    const path = this.#core.path(["detached-savepoints"]);
    return this.#core.fetch({ operation, method: "POST", path, body, idempotent: false }, SavepointSchema);
  }

  /** 404 throws unless `ignoreNotFound`. */
  async delete(name: string, options?: Pick<DeleteOptions, "ignoreNotFound">): Promise<void> {
    const operation = "detachedSavepoints.delete";
    const path = this.#core.path(["detached-savepoints", segment(operation, "name", name)]);
    await this.#core.send(
      { operation, method: "DELETE", path, idempotent: true },
      { allowNotFound: options?.ignoreNotFound === true },
    );
  }
}
