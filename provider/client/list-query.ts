import { CmfArgumentError } from "./errors";

/** Paging and sorting, accepted by every CMF list endpoint. */
export interface PageQuery {
  /** Zero-based page index. */
  page?: number;
  /** Page size (CMF's default is 20). */
  size?: number;
  /** `property` or `property,asc|desc`; several for a multi-key sort. */
  sort?: string | readonly string[];
}

/** CMF 2.3 filter expression, e.g. `name=web-*,labels.team=data`, and sparse fieldsets. */
export interface FilterQuery extends PageQuery {
  filter?: string;
  fields?: string | readonly string[];
}

/** CMF 2.3 free-text search; `search` and `searchScope` go together. */
export interface SearchQuery {
  search?: string;
  searchScope?: string | readonly string[];
}

export interface EnvironmentListQuery extends FilterQuery, SearchQuery {
  includeResourceInformation?: boolean;
}

export interface ApplicationListQuery extends FilterQuery {
  includeResourceInformation?: boolean;
}

export type InstanceListQuery = PageQuery;

export interface EventListQuery extends FilterQuery, SearchQuery {}

/** Application, statement and detached savepoints. */
export type SavepointListQuery = FilterQuery;

export type KubernetesClusterListQuery = FilterQuery;

/** Every key any list query may carry; the typed variants above narrow it per endpoint. */
type AnyListQuery = EnvironmentListQuery & ApplicationListQuery & EventListQuery;

function list(value: string | readonly string[]): readonly string[] {
  return typeof value === "string" ? [value] : value;
}

function checkInteger(operation: string, field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new CmfArgumentError(
      operation,
      `query.${field}`,
      `must be an integer >= ${min} (got ${String(value)})`,
    );
  }
}

function checkString(operation: string, field: string, value: unknown): void {
  if (typeof value !== "string") {
    throw new CmfArgumentError(operation, `query.${field}`, `must be a string (got ${typeof value})`);
  }
}

/** `?page=0&size=20&sort=name,desc&filter=...`, or `""` without parameters. */
export function buildListQueryString(operation: string, query: Partial<AnyListQuery> | undefined): string {
  if (query === undefined || query === null) return "";
  const parts: string[] = [];
  const add = (key: string, value: string) => parts.push(`${key}=${encodeURIComponent(value)}`);
  if (query.page !== undefined) {
    checkInteger(operation, "page", query.page, 0);
    add("page", String(query.page));
  }
  if (query.size !== undefined) {
    checkInteger(operation, "size", query.size, 1);
    add("size", String(query.size));
  }
  if (query.sort !== undefined) {
    for (const sort of list(query.sort)) {
      checkString(operation, "sort", sort);
      add("sort", sort);
    }
  }
  if (query.filter !== undefined) {
    checkString(operation, "filter", query.filter);
    add("filter", query.filter);
  }
  if ((query.search === undefined) !== (query.searchScope === undefined)) {
    throw new CmfArgumentError(operation, "query.search", "and query.searchScope must be given together");
  }
  if (query.search !== undefined && query.searchScope !== undefined) {
    checkString(operation, "search", query.search);
    add("search", query.search);
    const scopes = list(query.searchScope);
    scopes.forEach((scope) => checkString(operation, "searchScope", scope));
    add("searchScope", scopes.join(","));
  }
  if (query.fields !== undefined) {
    const fields = list(query.fields);
    fields.forEach((field) => checkString(operation, "fields", field));
    add("fields", fields.join(","));
  }
  if (query.includeResourceInformation !== undefined) {
    add("include-resource-information", String(query.includeResourceInformation === true));
  }
  return parts.length === 0 ? "" : `?${parts.join("&")}`;
}
