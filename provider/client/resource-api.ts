import type { z } from "zod";
import type { Page } from "../models";
import type { PageQuery } from "./list-query";
import type { DeleteOptions } from "./operation-options";
import type { RequestCore } from "./request-core";
import {
  createItem,
  deleteItem,
  getItem,
  listEvery,
  listPage,
  replaceItem,
  type PathPart,
  type ResourceListQuery,
} from "./resource-calls";

/** A place in a collection path filled by one of the caller's scope arguments, in order. */
export interface ScopeSlot {
  /** The argument's name in errors, e.g. `environment`. */
  readonly scope: string;
}

/** What sets one CMF object family apart from another; the calls themselves are the same. */
export interface ResourceFamily<Item, ItemsPage> {
  /** Operation names are `<prefix>.list`, `.get`, `.create`, `.update`, `.delete`. */
  readonly prefix: string;
  /** The collection under `/cmf/api/v1`, e.g. `["environments", { scope: "environment" }, "statements"]`. */
  readonly collection: readonly (string | ScopeSlot)[];
  readonly item: z.ZodType<Item>;
  readonly page: z.ZodType<ItemsPage>;
  /** DELETE passes `force=true` when asked (only where CMF has it: compute pools, statements). */
  readonly force?: boolean;
}

type IgnoreNotFound = Pick<DeleteOptions, "ignoreNotFound">;

/**
 * list, listAll, get, create, update and delete of one family, addressed by the scope arguments its
 * collection path has (none for secrets and catalogs, the environment for statements, the catalog
 * for databases) and then the object's name. `Scope` names those arguments for the caller
 * (`[env: string]`); it must have as many as the collection has slots.
 */
export class ResourceApi<
  Scope extends string[],
  Item,
  ItemsPage extends Page<Item>,
  Body,
  Query extends PageQuery,
  Delete extends IgnoreNotFound = IgnoreNotFound,
> {
  protected readonly core: RequestCore;
  readonly #family: ResourceFamily<Item, ItemsPage>;
  readonly #arity: number;

  constructor(core: RequestCore, family: ResourceFamily<Item, ItemsPage>) {
    this.core = core;
    this.#family = family;
    this.#arity = family.collection.filter((p) => typeof p !== "string").length;
  }

  list(...args: [...scope: Scope, query?: Query]): Promise<ItemsPage> {
    const [scope, query] = this.#split<Query | undefined>(args);
    return this.listWith(scope, query as ResourceListQuery | undefined);
  }

  listAll(...args: [...scope: Scope, query?: Omit<Query, "page">]): AsyncIterable<Item> {
    const [scope, query] = this.#split<Omit<Query, "page"> | undefined>(args);
    const list = this.list.bind(this) as (...a: unknown[]) => Promise<ItemsPage>;
    return listEvery((page, size) => list(...scope, { ...query, page, size }), query?.size);
  }

  /** `undefined` on 404. */
  get(...args: [...scope: Scope, name: string]): Promise<Item | undefined> {
    const [scope, name] = this.#split<string>(args);
    return this.getWith(scope, name);
  }

  /** 409 (thrown) when it exists. Not retried once the request reached CMF. */
  create(...args: [...scope: Scope, body: Body]): Promise<Item> {
    const [scope, body] = this.#split<Body>(args);
    const operation = `${this.#family.prefix}.create`;
    return createItem(this.core, operation, this.collectionPath(scope), body, this.#family.item);
  }

  /** PUT of the whole object, read back when CMF answers without a body. */
  update(...args: [...scope: Scope, name: string, body: Body]): Promise<Item> {
    const [scope, name] = this.#split<string>(args);
    const body = args[this.#arity + 1];
    const operation = `${this.#family.prefix}.update`;
    return replaceItem(this.core, operation, this.itemPath(scope, name), body, this.#family.item);
  }

  async delete(...args: [...scope: Scope, name: string, options?: Delete]): Promise<void> {
    const [scope, name] = this.#split<string>(args);
    const options = args[this.#arity + 1] as Delete | undefined;
    const operation = `${this.#family.prefix}.delete`;
    await deleteItem(this.core, operation, this.itemPath(scope, name), options, this.#family.force === true);
  }

  protected listWith(scope: readonly string[], query?: ResourceListQuery, extra = ""): Promise<ItemsPage> {
    const operation = `${this.#family.prefix}.list`;
    return listPage(this.core, operation, this.collectionPath(scope), this.#family.page, query, extra);
  }

  protected getWith(scope: readonly string[], name: string, query = ""): Promise<Item | undefined> {
    const operation = `${this.#family.prefix}.get`;
    return getItem(this.core, operation, this.itemPath(scope, name), this.#family.item, query);
  }

  protected collectionPath(scope: readonly string[]): PathPart[] {
    let next = 0;
    return this.#family.collection.map((part) =>
      typeof part === "string" ? part : { argument: part.scope, value: scope[next++] },
    );
  }

  /** The object's path, and `rest` below it (a statement's `results`, say). */
  protected itemPath(scope: readonly string[], name: string, ...rest: string[]): PathPart[] {
    return [...this.collectionPath(scope), { argument: "name", value: name }, ...rest];
  }

  /** The scope arguments, and the one after them. */
  #split<T>(args: readonly unknown[]): [string[], T] {
    return [args.slice(0, this.#arity) as string[], args[this.#arity] as T];
  }
}
