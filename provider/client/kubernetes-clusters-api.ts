import {
  KubernetesClusterSchema,
  KubernetesClustersPageSchema,
  type KubernetesCluster,
  type KubernetesClustersPage,
  type PutKubernetesCluster,
} from "../models";
import { CmfArgumentError } from "./errors";
import { buildListQueryString, type KubernetesClusterListQuery } from "./list-query";
import { LIST_ALL_PAGE_SIZE, paginate } from "./pagination";
import { segment, type RequestCore } from "./request-core";

/**
 * `/cmf/api/v1/kubernetes-clusters` (CMF 2.3+). Clusters are registered from kubeconfig files, never
 * over REST: the API reads them and updates labels, annotations and `spec.lifecycleState`.
 */
export class KubernetesClustersApi {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  async list(query?: KubernetesClusterListQuery): Promise<KubernetesClustersPage> {
    const operation = "kubernetesClusters.list";
    const path = this.#core.path(["kubernetes-clusters"], buildListQueryString(operation, query));
    return this.#core.fetch(
      { operation, method: "GET", path, idempotent: true },
      KubernetesClustersPageSchema,
    );
  }

  listAll(query?: Omit<KubernetesClusterListQuery, "page">): AsyncIterable<KubernetesCluster> {
    const size = query?.size ?? LIST_ALL_PAGE_SIZE;
    return paginate((page) => this.list({ ...query, page, size }));
  }

  /** `undefined` when CMF answers 404. */
  async get(name: string): Promise<KubernetesCluster | undefined> {
    const operation = "kubernetesClusters.get";
    const path = this.#core.path(["kubernetes-clusters", segment(operation, "name", name)]);
    return this.#core.getOptional(
      { operation, method: "GET", path, idempotent: true },
      KubernetesClusterSchema,
    );
  }

  /**
   * PUT (idempotent, so retried): partial bodies work; `metadata.labels`/`annotations` omitted or null
   * keep what CMF has, `{}` clears them. Decommissioning a cluster environments use throws 400.
   */
  async update(name: string, body: PutKubernetesCluster): Promise<KubernetesCluster> {
    const operation = "kubernetesClusters.update";
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new CmfArgumentError(operation, "body", "must be an object");
    }
    const path = this.#core.path(["kubernetes-clusters", segment(operation, "name", name)]);
    const updated = await this.#core.fetchMaybeEmpty(
      { operation, method: "PUT", path, body, idempotent: true },
      KubernetesClusterSchema,
    );
    if (updated !== undefined) return updated;
    return this.#core.fetch({ operation, method: "GET", path, idempotent: true }, KubernetesClusterSchema);
  }
}
