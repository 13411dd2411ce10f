import {
  StatementExceptionListSchema,
  StatementResultSchema,
  StatementSchema,
  StatementsPageSchema,
  type PostStatement,
  type Statement,
  type StatementException,
  type StatementResult,
  type StatementsPage,
  type StatementPhase,
} from "../models";
import { CmfArgumentError, CmfResponseError } from "./errors";
import type { FilterQuery, SearchQuery } from "./list-query";
import { getQuery, type DeleteOptions, type GetOptions } from "./operation-options";
import type { RequestCore } from "./request-core";
import { ResourceApi } from "./resource-api";
import { buildPath, replaceItem } from "./resource-calls";

export type StatementListQuery = FilterQuery &
  SearchQuery & {
    includeResourceInformation?: boolean;
    /** Only statements of this compute pool. */
    computePool?: string;
    /** Only statements in this phase. */
    phase?: StatementPhase;
  };

/** One row of a statement's results: `op` 0 insert, 1 update-before, 2 update-after, 3 delete. */
export interface StatementResultRow {
  op: number;
  row: unknown[];
}

/** `/cmf/api/v1/environments/{env}/statements`, with stop, resume, rescale, results and exceptions. */
export class StatementsApi extends ResourceApi<
  [env: string],
  Statement,
  StatementsPage,
  PostStatement,
  StatementListQuery,
  DeleteOptions
> {
  constructor(core: RequestCore) {
    // 200 on create also when the SQL does not compile: check `status.phase` (FAILED, with
    // `status.detail`). CMF answers a PUT without a body (the statement is read back), a DELETE with
    // 204, or 202 while it tears the statement down (phase DELETING until it is gone).
    super(core, {
      prefix: "statements",
      collection: ["environments", { scope: "environment" }, "statements"],
      item: StatementSchema,
      page: StatementsPageSchema,
      force: true,
    });
  }

  override list(env: string, query?: StatementListQuery): Promise<StatementsPage> {
    const { computePool, phase, ...rest } = query ?? {};
    const extra = [
      ...(computePool === undefined ? [] : [`compute-pool=${encodeURIComponent(computePool)}`]),
      ...(phase === undefined ? [] : [`phase=${encodeURIComponent(phase.toLowerCase())}`]),
    ].join("&");
    return this.listWith([env], rest, extra);
  }

  override get(env: string, name: string, options?: GetOptions): Promise<Statement | undefined> {
    return this.getWith([env], name, getQuery(options));
  }

  /** `spec.stopped = true` (CMF takes a savepoint; the phase becomes STOPPED). */
  stop(env: string, name: string): Promise<Statement> {
    return this.#change("statements.stop", env, name, (spec) => ({ ...spec, stopped: true }));
  }

  /** `spec.stopped = false` on a STOPPED statement. */
  resume(env: string, name: string): Promise<Statement> {
    return this.#change("statements.resume", env, name, (spec) => ({ ...spec, stopped: false }));
  }

  async rescale(env: string, name: string, parallelism: number): Promise<Statement> {
    const operation = "statements.rescale";
    if (!Number.isInteger(parallelism) || parallelism < 1) {
      throw new CmfArgumentError(
        operation,
        "parallelism",
        `must be an integer >= 1 (got ${String(parallelism)})`,
      );
    }
    return this.#change(operation, env, name, (spec) => ({ ...spec, parallelism }));
  }

  /** One page of results (SELECT only); pass the previous page's `metadata.annotations.nextPageToken`. */
  results(env: string, name: string, pageToken?: string): Promise<StatementResult> {
    const operation = "statements.results";
    if (pageToken !== undefined && (typeof pageToken !== "string" || pageToken === "")) {
      throw new CmfArgumentError(operation, "pageToken", "must be a non-empty string");
    }
    const query = pageToken === undefined ? "" : `?page-token=${encodeURIComponent(pageToken)}`;
    const path = buildPath(this.core, operation, this.itemPath([env], name, "results"), query);
    return this.core.fetch({ operation, method: "GET", path, idempotent: true }, StatementResultSchema);
  }

  /**
   * Every result row, page by page, fetched lazily, until a page has no next token, or (for a
   * running query, whose token stays valid while rows may come) until a page comes back empty.
   */
  async *resultRows(env: string, name: string): AsyncGenerator<StatementResultRow, void, undefined> {
    let token: string | undefined;
    for (;;) {
      const page = await this.results(env, name, token);
      const data = (page.results.data ?? []) as unknown as StatementResultRow[];
      for (const row of data) yield row;
      const next = page.metadata.annotations?.nextPageToken ?? undefined;
      if (next === undefined || next === "" || data.length === 0) return;
      token = next;
    }
  }

  /** The statement's last exceptions (CMF keeps 10), newest first. */
  async exceptions(env: string, name: string): Promise<StatementException[]> {
    const operation = "statements.exceptions";
    const path = buildPath(this.core, operation, this.itemPath([env], name, "exceptions"));
    const list = await this.core.fetch(
      { operation, method: "GET", path, idempotent: true },
      StatementExceptionListSchema,
    );
    return list.data;
  }

  /** GET, change the spec, PUT the whole statement (what the Confluent CLI does), read back. */
  async #change(
    operation: string,
    env: string,
    name: string,
    change: (spec: Statement["spec"]) => Statement["spec"],
  ): Promise<Statement> {
    const path = buildPath(this.core, operation, this.itemPath([env], name));
    const current = await this.core.fetch(
      { operation, method: "GET", path, idempotent: true },
      StatementSchema,
    );
    if (current.metadata.name !== name) {
      throw new CmfResponseError({
        method: "GET",
        path,
        operation,
        issues: [`metadata.name: expected '${name}'`],
      });
    }
    const body = {
      apiVersion: current.apiVersion,
      kind: current.kind,
      metadata: {
        name,
        ...(current.metadata.labels ? { labels: current.metadata.labels } : {}),
        ...(current.metadata.annotations ? { annotations: current.metadata.annotations } : {}),
      },
      spec: change(current.spec),
    };
    return replaceItem(this.core, operation, this.itemPath([env], name), body, StatementSchema);
  }
}
