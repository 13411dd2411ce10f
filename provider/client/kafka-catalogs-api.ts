import {
  KafkaCatalogSchema,
  KafkaCatalogsPageSchema,
  KafkaDatabaseSchema,
  KafkaDatabasesPageSchema,
  type KafkaCatalog,
  type KafkaCatalogsPage,
  type KafkaDatabase,
  type KafkaDatabasesPage,
  type PostKafkaCatalog,
  type PostKafkaDatabase,
} from "../models";
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
} from "./resource-calls";

const CATALOGS: PathPart[] = ["catalogs", "kafka"];

/** `/cmf/api/v1/catalogs/kafka`. `update` reads the catalog back (CMF's PUT answers without a body). */
export class KafkaCatalogsApi {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  #item(name: string): PathPart[] {
    return [...CATALOGS, { argument: "name", value: name }];
  }

  list(query?: PageQuery): Promise<KafkaCatalogsPage> {
    return listPage(this.#core, "kafkaCatalogs.list", CATALOGS, KafkaCatalogsPageSchema, query);
  }

  listAll(query?: Omit<PageQuery, "page">): AsyncIterable<KafkaCatalog> {
    return listEvery((page, size) => this.list({ ...query, page, size }), query?.size);
  }

  get(name: string): Promise<KafkaCatalog | undefined> {
    return getItem(this.#core, "kafkaCatalogs.get", this.#item(name), KafkaCatalogSchema);
  }

  create(body: PostKafkaCatalog): Promise<KafkaCatalog> {
    return createItem(this.#core, "kafkaCatalogs.create", CATALOGS, body, KafkaCatalogSchema);
  }

  update(name: string, body: PostKafkaCatalog): Promise<KafkaCatalog> {
    return replaceItem(this.#core, "kafkaCatalogs.update", this.#item(name), body, KafkaCatalogSchema);
  }

  /** CMF answers 409 while the catalog has databases. */
  async delete(name: string, options?: Pick<DeleteOptions, "ignoreNotFound">): Promise<void> {
    await deleteItem(this.#core, "kafkaCatalogs.delete", this.#item(name), options);
  }
}

/** `/cmf/api/v1/catalogs/kafka/{catalog}/databases`. */
export class KafkaDatabasesApi {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  #collection(catalog: string): PathPart[] {
    return [...CATALOGS, { argument: "catalog", value: catalog }, "databases"];
  }

  #item(catalog: string, name: string): PathPart[] {
    return [...this.#collection(catalog), { argument: "name", value: name }];
  }

  list(catalog: string, query?: PageQuery): Promise<KafkaDatabasesPage> {
    return listPage(
      this.#core,
      "kafkaDatabases.list",
      this.#collection(catalog),
      KafkaDatabasesPageSchema,
      query,
    );
  }

  listAll(catalog: string, query?: Omit<PageQuery, "page">): AsyncIterable<KafkaDatabase> {
    return listEvery((page, size) => this.list(catalog, { ...query, page, size }), query?.size);
  }

  get(catalog: string, name: string): Promise<KafkaDatabase | undefined> {
    return getItem(this.#core, "kafkaDatabases.get", this.#item(catalog, name), KafkaDatabaseSchema);
  }

  create(catalog: string, body: PostKafkaDatabase): Promise<KafkaDatabase> {
    return createItem(
      this.#core,
      "kafkaDatabases.create",
      this.#collection(catalog),
      body,
      KafkaDatabaseSchema,
    );
  }

  update(catalog: string, name: string, body: PostKafkaDatabase): Promise<KafkaDatabase> {
    return replaceItem(
      this.#core,
      "kafkaDatabases.update",
      this.#item(catalog, name),
      body,
      KafkaDatabaseSchema,
    );
  }

  async delete(
    catalog: string,
    name: string,
    options?: Pick<DeleteOptions, "ignoreNotFound">,
  ): Promise<void> {
    await deleteItem(this.#core, "kafkaDatabases.delete", this.#item(catalog, name), options);
  }
}
