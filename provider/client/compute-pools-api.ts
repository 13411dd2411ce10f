import {
  ComputePoolSchema,
  ComputePoolsPageSchema,
  type ComputePool,
  type ComputePoolsPage,
  type PostComputePool,
} from "../models";
import type { FilterQuery } from "./list-query";
import { getQuery, type DeleteOptions, type GetOptions } from "./operation-options";
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

export type ComputePoolListQuery = FilterQuery & { includeResourceInformation?: boolean };

/** `/cmf/api/v1/environments/{env}/compute-pools`. */
export class ComputePoolsApi {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  #collection(env: string): PathPart[] {
    return ["environments", { argument: "environment", value: env }, "compute-pools"];
  }

  #item(env: string, name: string): PathPart[] {
    return [...this.#collection(env), { argument: "name", value: name }];
  }

  list(env: string, query?: ComputePoolListQuery): Promise<ComputePoolsPage> {
    return listPage(this.#core, "computePools.list", this.#collection(env), ComputePoolsPageSchema, query);
  }

  listAll(env: string, query?: Omit<ComputePoolListQuery, "page">): AsyncIterable<ComputePool> {
    return listEvery((page, size) => this.list(env, { ...query, page, size }), query?.size);
  }

  get(env: string, name: string, options?: GetOptions): Promise<ComputePool | undefined> {
    return getItem(
      this.#core,
      "computePools.get",
      this.#item(env, name),
      ComputePoolSchema,
      getQuery(options),
    );
  }

  /** 409 (thrown) when it exists. Not retried once the request reached CMF. */
  create(env: string, body: PostComputePool): Promise<ComputePool> {
    return createItem(this.#core, "computePools.create", this.#collection(env), body, ComputePoolSchema);
  }

  /** CMF 2.3+; 409 while statements run on the pool. */
  update(env: string, name: string, body: PostComputePool): Promise<ComputePool> {
    return replaceItem(this.#core, "computePools.update", this.#item(env, name), body, ComputePoolSchema);
  }

  /** 409 while statements use the pool. */
  async delete(env: string, name: string, options?: DeleteOptions): Promise<void> {
    await deleteItem(this.#core, "computePools.delete", this.#item(env, name), options, true);
  }
}
