import { ownValue, setOwn } from "../models";
import { badRequest } from "./errors";
import { globMatcher } from "./glob";
import { isPlainObject } from "./json";

/**
 * Paging, sorting, filtering, search and sparse fieldsets for list endpoints, following Spring Data
 * (`page`, `size`, `sort=property,(asc|desc)`) and CMF 2.3's `filter` / `search` / `searchScope` /
 * `fields` parameters. Pure: items in, page envelope out.
 */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 2000;

export type SortValue = string | number | undefined;

export interface ListDefinition<T> {
  /** Plural resource name for messages: "environments", "applications", ... */
  resource: string;
  sortKeys: Record<string, (item: T) => SortValue>;
  filters?: {
    name?: (item: T) => string;
    labels?: (item: T) => Record<string, string> | undefined;
    state?: (item: T) => string | undefined;
    type?: (item: T) => string | undefined;
    /** Statements and compute pools: `phase=RUNNING`, `phase in (...)`. */
    phase?: (item: T) => string | undefined;
  };
  /** `searchScope` fields; `contains` (case-insensitive) unless listed in `searchEquals`. */
  searchScopes?: Record<string, (item: T) => string | undefined>;
  searchEquals?: ReadonlySet<string>;
  /** Whether `filter` / `search` / `fields` are parameters of this endpoint (unknown ones are ignored). */
  supportsFilter?: boolean;
  supportsFields?: boolean;
}

interface SortOrder {
  property: string;
  descending: boolean;
}

type Predicate<T> = (item: T) => boolean;

export interface ListQuery<T> {
  page: number;
  size: number;
  sort: SortOrder[];
  predicates: Predicate<T>[];
  fields?: string[];
}

/**
 * Spring's `PageableHandlerMethodArgumentResolver` is lenient and so is the emulator: a page that is
 * not a non-negative integer means page 0; a size that is not a positive integer means the default
 * (20); a size above 2000 is capped at 2000 (Spring Boot's `max-page-size`), not refused.
 */
function parsePage(raw: string | null): number {
  if (raw === null || !/^\d+$/.test(raw.trim())) return 0;
  const n = Number(raw.trim());
  return Number.isSafeInteger(n) ? n : 0;
}

function parseSize(raw: string | null): number {
  if (raw === null || !/^\d+$/.test(raw.trim())) return DEFAULT_PAGE_SIZE;
  const n = Number(raw.trim());
  if (n < 1) return DEFAULT_PAGE_SIZE;
  return Math.min(n, MAX_PAGE_SIZE);
}

function parseSort<T>(values: string[], def: ListDefinition<T>): SortOrder[] {
  const orders: SortOrder[] = [];
  const problems: string[] = [];
  for (const value of values) {
    const tokens = value
      .split(",")
      .map((t) => t.trim())
      .filter((t) => t !== "");
    if (tokens.length === 0) continue;
    let descending = false;
    const last = tokens[tokens.length - 1].toLowerCase();
    if (tokens.length > 1 && (last === "asc" || last === "desc")) {
      descending = last === "desc";
      tokens.pop();
    }
    for (const property of tokens) {
      if (!Object.prototype.hasOwnProperty.call(def.sortKeys, property)) {
        problems.push(
          `sort: unsupported property '${property}' for ${def.resource} (supported: ${Object.keys(def.sortKeys).join(", ")})`,
        );
      } else {
        orders.push({ property, descending });
      }
    }
  }
  if (problems.length > 0) throw badRequest(problems);
  return orders;
}

/** Splits on commas that are not inside parentheses: `name=a*,labels.x in (a, b)` has two parts. */
export function splitFilter(filter: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of filter) {
    if (ch === "(") depth++;
    if (ch === ")") depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

const LABEL_KEY = "([^\\s=!(),]+)";
const SET_EXPR = new RegExp(`^(labels\\.${LABEL_KEY}|state|type|phase)\\s+(in|notin)\\s*\\((.*)\\)$`, "i");
const EQ_EXPR = new RegExp(`^(labels\\.${LABEL_KEY}|name|state|type|phase)\\s*(!=|==|=)\\s*(.*)$`);
const EXISTS_EXPR = new RegExp(`^(!)?\\s*labels\\.${LABEL_KEY}$`);

function parseFilter<T>(filter: string, def: ListDefinition<T>): Predicate<T>[] {
  const filters = def.filters ?? {};
  const predicates: Predicate<T>[] = [];
  const problems: string[] = [];
  const supported = [
    ...(filters.name ? ["name=<glob>"] : []),
    ...(filters.labels ? ["labels.<key>[!]=<value>", "labels.<key> [not]in (...)", "[!]labels.<key>"] : []),
    ...(filters.state ? ["state=<STATE>", "state [not]in (...)"] : []),
    ...(filters.type ? ["type=<TYPE>", "type [not]in (...)"] : []),
    ...(filters.phase ? ["phase=<PHASE>", "phase [not]in (...)"] : []),
  ].join(", ");
  const unsupported = (expr: string, field: string) =>
    problems.push(
      `filter: '${field}' is not supported for ${def.resource} in '${expr}' (supported: ${supported})`,
    );

  const scalar = (field: string): ((item: T) => string | undefined) | undefined => {
    if (field === "name") return filters.name;
    if (field === "state") return filters.state;
    if (field === "type") return filters.type;
    if (field === "phase") return filters.phase;
    return undefined;
  };

  for (const expr of splitFilter(filter)) {
    let m = SET_EXPR.exec(expr);
    if (m) {
      const values = m[4]
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v !== "");
      const negate = m[3].toLowerCase() === "notin";
      if (m[2] !== undefined) {
        const key = m[2];
        if (!filters.labels) unsupported(expr, "labels");
        else {
          const labels = filters.labels;
          predicates.push((item) => {
            const v = ownValue(labels(item), key);
            const hit = typeof v === "string" && values.includes(v);
            return negate ? !hit : hit;
          });
        }
        continue;
      }
      const field = m[1].toLowerCase();
      const get = scalar(field);
      if (!get) unsupported(expr, field);
      else {
        const wanted = new Set(values.map((v) => v.toUpperCase()));
        predicates.push((item) => {
          const hit = wanted.has((get(item) ?? "").toUpperCase());
          return negate ? !hit : hit;
        });
      }
      continue;
    }
    m = EQ_EXPR.exec(expr);
    if (m) {
      const negate = m[3] === "!=";
      const value = m[4].trim();
      if (m[2] !== undefined) {
        const key = m[2];
        if (!filters.labels) unsupported(expr, "labels");
        else {
          const labels = filters.labels;
          predicates.push((item) => {
            const hit = ownValue(labels(item), key) === value;
            return negate ? !hit : hit;
          });
        }
        continue;
      }
      const field = m[1];
      const get = scalar(field);
      if (!get) unsupported(expr, field);
      else if (field === "name") {
        const matches = globMatcher(value);
        predicates.push((item) => matches(get(item) ?? "") !== negate);
      } else {
        const wanted = value.toUpperCase();
        predicates.push((item) => ((get(item) ?? "").toUpperCase() === wanted) !== negate);
      }
      continue;
    }
    m = EXISTS_EXPR.exec(expr);
    if (m) {
      const negate = m[1] === "!";
      const key = m[2];
      if (!filters.labels) unsupported(expr, "labels");
      else {
        const labels = filters.labels;
        predicates.push((item) => (ownValue(labels(item), key) !== undefined) !== negate);
      }
      continue;
    }
    problems.push(`filter: cannot parse '${expr}' (supported: ${supported})`);
  }
  if (problems.length > 0) throw badRequest(problems);
  return predicates;
}

function parseSearch<T>(search: string | null, scope: string | null, def: ListDefinition<T>): Predicate<T>[] {
  if (!def.searchScopes) return [];
  if (search === null && scope === null) return [];
  if (search === null || scope === null) {
    throw badRequest(
      search === null
        ? "search: must be provided together with searchScope"
        : "searchScope: must be provided together with search",
    );
  }
  const scopes = def.searchScopes;
  const fields = scope
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const unknown = fields.filter((f) => !Object.prototype.hasOwnProperty.call(scopes, f));
  if (fields.length === 0 || unknown.length > 0) {
    throw badRequest(
      `searchScope: unsupported field(s) ${unknown.length > 0 ? unknown.map((f) => `'${f}'`).join(", ") : "''"} for ${def.resource} (supported: ${Object.keys(scopes).join(", ")})`,
    );
  }
  const needle = search.toLowerCase();
  return [
    (item) =>
      fields.some((field) => {
        const value = scopes[field](item);
        if (value === undefined) return false;
        return def.searchEquals?.has(field) ? value === search : value.toLowerCase().includes(needle);
      }),
  ];
}

export function parseListQuery<T>(query: URLSearchParams, def: ListDefinition<T>): ListQuery<T> {
  const predicates: Predicate<T>[] = [];
  const filter = def.supportsFilter ? query.get("filter") : null;
  if (filter !== null && filter.trim() !== "") predicates.push(...parseFilter(filter, def));
  predicates.push(...parseSearch(query.get("search"), query.get("searchScope"), def));
  const fieldsParam = def.supportsFields ? query.get("fields") : null;
  const fields =
    fieldsParam === null
      ? undefined
      : fieldsParam
          .split(",")
          .map((f) => f.trim())
          .filter((f) => f !== "");
  return {
    page: parsePage(query.get("page")),
    size: parseSize(query.get("size")),
    sort: parseSort(query.getAll("sort"), def),
    predicates,
    fields: fields && fields.length > 0 ? fields : undefined,
  };
}

function compare(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/**
 * Keeps only the given dot paths (plus `apiVersion` and `kind`, which CMF always includes). Paths are
 * walked through own properties only, and written as own properties: a path segment such as
 * `__proto__` or `constructor` names a key of the data, never a prototype.
 */
export function pickFields(value: unknown, paths: string[]): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of ["apiVersion", "kind"]) {
    const member = ownValue(value, key);
    if (member !== undefined) out[key] = member;
  }
  for (const path of paths) {
    const parts = path.split(".");
    let src: unknown = value;
    for (const part of parts) src = isPlainObject(src) ? ownValue(src, part) : undefined;
    if (src === undefined) continue;
    let dst = out;
    for (const part of parts.slice(0, -1)) {
      let next = ownValue(dst, part);
      if (!isPlainObject(next)) {
        next = {};
        setOwn(dst, part, next);
      }
      dst = next as Record<string, unknown>;
    }
    setOwn(dst, parts[parts.length - 1], src);
  }
  return out;
}

export interface PageBody {
  pageable: { page: number; size: number; sort: { sorted: boolean; unsorted: boolean; empty: boolean } };
  metadata: { size: number };
  items: unknown[];
}

/** Filters, sorts (stable over creation order) and slices; `metadata.size` is the total match count. */
export function listPage<T>(
  items: Iterable<T>,
  query: ListQuery<T>,
  def: ListDefinition<T>,
  view: (item: T) => unknown,
): PageBody {
  let matches = [...items];
  if (query.predicates.length > 0) matches = matches.filter((item) => query.predicates.every((p) => p(item)));
  if (query.sort.length > 0) {
    const keyed = matches.map((item) => ({
      item,
      keys: query.sort.map((o) => def.sortKeys[o.property](item)),
    }));
    keyed.sort((x, y) => {
      for (let i = 0; i < query.sort.length; i++) {
        const c = compare(x.keys[i], y.keys[i]);
        if (c !== 0) return query.sort[i].descending ? -c : c;
      }
      return 0;
    });
    matches = keyed.map((k) => k.item);
  }
  const start = query.page * query.size;
  const pageItems = start >= matches.length ? [] : matches.slice(start, start + query.size);
  const fields = query.fields;
  const sorted = query.sort.length > 0;
  return {
    pageable: { page: query.page, size: query.size, sort: { sorted, unsorted: !sorted, empty: !sorted } },
    metadata: { size: matches.length },
    items: pageItems.map((item) => (fields ? pickFields(view(item), fields) : view(item))),
  };
}
