import {
  ApplicationInstancesPageSchema,
  ApplicationsPageSchema,
  EventsPageSchema,
  FlinkApplicationInstanceSchema,
  FlinkApplicationSchema,
  type ApplicationInstancesPage,
  type ApplicationsPage,
  type EventsPage,
  type FlinkApplication,
  type FlinkApplicationEvent,
  type FlinkApplicationInstance,
  type PostFlinkApplication,
} from "../models";
import { CmfArgumentError, CmfResponseError } from "./errors";
import {
  buildListQueryString,
  type ApplicationListQuery,
  type EventListQuery,
  type InstanceListQuery,
} from "./list-query";
import { deleteQuery, getQuery, type DeleteOptions, type GetOptions } from "./operation-options";
import { LIST_ALL_PAGE_SIZE, paginate } from "./pagination";
import { segment, type Call, type RequestCore } from "./request-core";

export interface StartOptions {
  /** Restore from this Savepoint (its `metadata.uid`). */
  startFromSavepointUid?: string;
}

/** `/cmf/api/v1/environments/{env}/applications` and the v1alpha1 events. */
export class ApplicationsApi {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  #appPath(operation: string, env: string, name: string, rest: readonly string[] = [], query = ""): string {
    return this.#core.path(
      [
        "environments",
        segment(operation, "environment", env),
        "applications",
        segment(operation, "name", name),
        ...rest,
      ],
      query,
    );
  }

  /** One page; CMF answers 404 (thrown) for an unknown environment. */
  async list(env: string, query?: ApplicationListQuery): Promise<ApplicationsPage> {
    const operation = "applications.list";
    const path = this.#core.path(
      ["environments", segment(operation, "environment", env), "applications"],
      buildListQueryString(operation, query),
    );
    return this.#core.fetch({ operation, method: "GET", path, idempotent: true }, ApplicationsPageSchema);
  }

  listAll(env: string, query?: Omit<ApplicationListQuery, "page">): AsyncIterable<FlinkApplication> {
    const size = query?.size ?? LIST_ALL_PAGE_SIZE;
    return paginate((page) => this.list(env, { ...query, page, size }));
  }

  /** `undefined` when CMF answers 404 (application or environment unknown). */
  async get(env: string, name: string, options?: GetOptions): Promise<FlinkApplication | undefined> {
    const operation = "applications.get";
    const path = this.#appPath(operation, env, name, [], getQuery(options));
    return this.#core.getOptional(
      { operation, method: "GET", path, idempotent: true },
      FlinkApplicationSchema,
    );
  }

  /** Creates or updates; the body is sent as given (CMF's POST is an idempotent upsert). */
  async upsert(env: string, body: PostFlinkApplication): Promise<FlinkApplication> {
    const operation = "applications.upsert";
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new CmfArgumentError(operation, "body", "must be an object");
    }
    const path = this.#core.path(["environments", segment(operation, "environment", env), "applications"]);
    const call: Call = { operation, method: "POST", path, body, idempotent: true };
    const name = (body.metadata as { name?: unknown } | undefined)?.name;
    return this.#withReadBack(call, env, typeof name === "string" ? name : undefined);
  }

  /** Throws {@link CmfApiError} 404 unless `ignoreNotFound`. */
  async delete(env: string, name: string, options?: DeleteOptions): Promise<void> {
    const operation = "applications.delete";
    const path = this.#appPath(operation, env, name, [], deleteQuery(options));
    await this.#core.send(
      { operation, method: "DELETE", path, idempotent: true },
      { allowNotFound: options?.ignoreNotFound === true },
    );
  }

  /** Sets `spec.job.state=running`. Not retried once the request reached CMF. */
  async start(env: string, name: string, options?: StartOptions): Promise<FlinkApplication> {
    const operation = "applications.start";
    const uid = options?.startFromSavepointUid;
    if (uid !== undefined && (typeof uid !== "string" || uid === "")) {
      throw new CmfArgumentError(operation, "options.startFromSavepointUid", "must be a non-empty string");
    }
    const query = uid === undefined ? "" : `?startFromSavepointUid=${encodeURIComponent(uid)}`;
    const call: Call = {
      operation,
      method: "POST",
      path: this.#appPath(operation, env, name, ["start"], query),
      idempotent: false,
    };
    return this.#withReadBack(call, env, name);
  }

  /** Sets `spec.job.state=suspended`. Not retried once the request reached CMF. */
  async suspend(env: string, name: string): Promise<FlinkApplication> {
    const operation = "applications.suspend";
    const call: Call = {
      operation,
      method: "POST",
      path: this.#appPath(operation, env, name, ["suspend"]),
      idempotent: false,
    };
    return this.#withReadBack(call, env, name);
  }

  async instances(env: string, name: string, query?: InstanceListQuery): Promise<ApplicationInstancesPage> {
    const operation = "applications.instances";
    const path = this.#appPath(operation, env, name, ["instances"], buildListQueryString(operation, query));
    return this.#core.fetch(
      { operation, method: "GET", path, idempotent: true },
      ApplicationInstancesPageSchema,
    );
  }

  listAllInstances(
    env: string,
    name: string,
    query?: Omit<InstanceListQuery, "page">,
  ): AsyncIterable<FlinkApplicationInstance> {
    const size = query?.size ?? LIST_ALL_PAGE_SIZE;
    return paginate((page) => this.instances(env, name, { ...query, page, size }));
  }

  /** `undefined` when CMF answers 404. */
  async instance(env: string, name: string, instance: string): Promise<FlinkApplicationInstance | undefined> {
    const operation = "applications.instance";
    const path = this.#appPath(operation, env, name, ["instances", segment(operation, "instance", instance)]);
    return this.#core.getOptional(
      { operation, method: "GET", path, idempotent: true },
      FlinkApplicationInstanceSchema,
    );
  }

  /** `GET /cmf/api/v1alpha1/.../events` (one page). */
  async events(env: string, name: string, query?: EventListQuery): Promise<EventsPage> {
    const operation = "applications.events";
    const path = this.#core.alphaPath(
      [
        "environments",
        segment(operation, "environment", env),
        "applications",
        segment(operation, "name", name),
        "events",
      ],
      buildListQueryString(operation, query),
    );
    return this.#core.fetch({ operation, method: "GET", path, idempotent: true }, EventsPageSchema);
  }

  listAllEvents(
    env: string,
    name: string,
    query?: Omit<EventListQuery, "page">,
  ): AsyncIterable<FlinkApplicationEvent> {
    const size = query?.size ?? LIST_ALL_PAGE_SIZE;
    return paginate((page) => this.events(env, name, { ...query, page, size }));
  }

  /** The application from the answer, or read back when CMF answered without one (204, 304). */
  async #withReadBack(call: Call, env: string, name: string | undefined): Promise<FlinkApplication> {
    const returned = await this.#core.fetchMaybeEmpty(call, FlinkApplicationSchema);
    if (returned !== undefined) return returned;
    if (name === undefined) {
      throw new CmfResponseError({
        method: call.method,
        path: call.path,
        operation: call.operation,
        issues: ["body: empty, and the request names no application (metadata.name) to read back"],
      });
    }
    const path = this.#appPath(call.operation, env, name);
    return this.#core.fetch(
      { operation: call.operation, method: "GET", path, idempotent: true },
      FlinkApplicationSchema,
    );
  }
}
