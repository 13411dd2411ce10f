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
import { ResourceApi } from "./resource-api";

export type ComputePoolListQuery = FilterQuery & { includeResourceInformation?: boolean };

/** `/cmf/api/v1/environments/{env}/compute-pools`. CMF 2.3+ updates; 409 on update or delete while statements use the pool. */
export class ComputePoolsApi extends ResourceApi<
  [env: string],
  ComputePool,
  ComputePoolsPage,
  PostComputePool,
  ComputePoolListQuery,
  DeleteOptions
> {
  constructor(core: RequestCore) {
    super(core, {
      prefix: "computePools",
      collection: ["environments", { scope: "environment" }, "compute-pools"],
      item: ComputePoolSchema,
      page: ComputePoolsPageSchema,
      force: true,
    });
  }

  override get(env: string, name: string, options?: GetOptions): Promise<ComputePool | undefined> {
    return this.getWith([env], name, getQuery(options));
  }
}
