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
import type { RequestCore } from "./request-core";
import { ResourceApi } from "./resource-api";

const CATALOGS = ["catalogs", "kafka"];

/** `/cmf/api/v1/catalogs/kafka`. `update` reads the catalog back (CMF's PUT answers without a body). */
export class KafkaCatalogsApi extends ResourceApi<
  [],
  KafkaCatalog,
  KafkaCatalogsPage,
  PostKafkaCatalog,
  PageQuery
> {
  constructor(core: RequestCore) {
    // CMF answers a delete with 409 while the catalog has databases.
    super(core, {
      prefix: "kafkaCatalogs",
      collection: CATALOGS,
      item: KafkaCatalogSchema,
      page: KafkaCatalogsPageSchema,
    });
  }
}

/** `/cmf/api/v1/catalogs/kafka/{catalog}/databases`. */
export class KafkaDatabasesApi extends ResourceApi<
  [catalog: string],
  KafkaDatabase,
  KafkaDatabasesPage,
  PostKafkaDatabase,
  PageQuery
> {
  constructor(core: RequestCore) {
    super(core, {
      prefix: "kafkaDatabases",
      collection: [...CATALOGS, { scope: "catalog" }, "databases"],
      item: KafkaDatabaseSchema,
      page: KafkaDatabasesPageSchema,
    });
  }
}
