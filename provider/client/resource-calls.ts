import type { z } from "zod";
import { CmfArgumentError } from "./errors";
import { buildListQueryString, type FilterQuery, type SearchQuery } from "./list-query";
import { deleteQuery, type DeleteOptions } from "./operation-options";
import { LIST_ALL_PAGE_SIZE, paginate } from "./pagination";
import { segment, type Call, type RequestCore } from "./request-core";
import type { Page } from "../models";

/**
 * The calls every typed CMF resource API makes (secrets, mappings, catalogs, databases, compute
 * pools, statements). Retry rules: GET, PUT (a full replacement) and DELETE are idempotent and
 * retried; POST creates are not (a retry after CMF acted would answer 409 for our own object).
 */

export type ResourceListQuery = FilterQuery & SearchQuery & { includeResourceInformation?: boolean };

/** A path under `/cmf/api/v1`: literal segments and caller-supplied names (checked and encoded). */
export type PathPart = string | { readonly argument: string; readonly value: unknown };

export function buildPath(
  core: RequestCore,
  operation: string,
  parts: readonly PathPart[],
  query = "",
): string {
  return core.path(
    parts.map((p) => (typeof p === "string" ? p : segment(operation, p.argument, p.value))),
    query,
  );
}

export function requireObject(operation: string, body: unknown): void {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new CmfArgumentError(operation, "body", "must be an object");
  }
}

export function listPage<S extends z.ZodType>(
  core: RequestCore,
  operation: string,
  collection: readonly PathPart[],
  schema: S,
  query?: ResourceListQuery,
  extra = "",
): Promise<z.output<S>> {
  let qs = buildListQueryString(operation, query);
  if (extra !== "") qs = qs === "" ? `?${extra}` : `${qs}&${extra}`;
  const path = buildPath(core, operation, collection, qs);
  return core.fetch({ operation, method: "GET", path, idempotent: true }, schema);
}

export function listEvery<T>(
  fetchPage: (page: number, size: number) => Promise<Page<T>>,
  size: number | undefined,
): AsyncIterable<T> {
  const pageSize = size ?? LIST_ALL_PAGE_SIZE;
  return paginate((page) => fetchPage(page, pageSize));
}

export function getItem<S extends z.ZodType>(
  core: RequestCore,
  operation: string,
  item: readonly PathPart[],
  schema: S,
  query = "",
): Promise<z.output<S> | undefined> {
  const path = buildPath(core, operation, item, query);
  return core.getOptional({ operation, method: "GET", path, idempotent: true }, schema);
}

export function createItem<S extends z.ZodType>(
  core: RequestCore,
  operation: string,
  collection: readonly PathPart[],
  body: unknown,
  schema: S,
): Promise<z.output<S>> {
  requireObject(operation, body);
  const path = buildPath(core, operation, collection);
  return core.fetch({ operation, method: "POST", path, body, idempotent: false }, schema);
}

/**
 * PUT of the whole object. CMF answers statements, catalogs and databases without a body (and may
 * answer others so), so an empty answer is followed by a GET of the object.
 */
export async function replaceItem<S extends z.ZodType>(
  core: RequestCore,
  operation: string,
  item: readonly PathPart[],
  body: unknown,
  schema: S,
): Promise<z.output<S>> {
  requireObject(operation, body);
  const path = buildPath(core, operation, item);
  const call: Call = { operation, method: "PUT", path, body, idempotent: true };
  const returned = await core.fetchMaybeEmpty(call, schema);
  if (returned !== undefined) return returned;
  return core.fetch({ operation, method: "GET", path, idempotent: true }, schema);
}

export async function deleteItem(
  core: RequestCore,
  operation: string,
  item: readonly PathPart[],
  options?: DeleteOptions & { force?: boolean },
  forceAllowed = false,
): Promise<void> {
  const path = buildPath(core, operation, item, forceAllowed ? deleteQuery(options) : "");
  await core.send(
    { operation, method: "DELETE", path, idempotent: true },
    { allowNotFound: options?.ignoreNotFound === true },
  );
}

/** The `metadata.name` of a body, for error messages and read-backs. */
export function nameOf(body: unknown): unknown {
  const metadata = (body as { metadata?: { name?: unknown } } | null)?.metadata;
  return metadata?.name;
}
