import { z } from "zod";
import { pageSchema } from "./page";
import { StringMapSchema } from "./common";
import { envelopeFields, postMetadataSchema, ResourceMetadataSchema } from "./resource-metadata";

export const KAFKA_CATALOG_KIND = "KafkaCatalog";
export const KAFKA_DATABASE_KIND = "KafkaDatabase";

const ConnectionSchema = z.looseObject({
  connectionConfig: StringMapSchema,
  connectionSecretId: z.string().min(1).optional(),
});

export const KafkaCatalogSpecSchema = z.looseObject({
  srInstance: ConnectionSchema,
  /** Required in CMF 2.0; since 2.1 KafkaDatabase replaces it. */
  kafkaClusters: z.array(ConnectionSchema.extend({ databaseName: z.string().min(1) })).optional(),
});

export const KafkaDatabaseSpecSchema = z.looseObject({
  kafkaCluster: ConnectionSchema,
  /** Environments allowed to run DDL in this database (`alterEnvironments` before 2.3). */
  ddlEnvironments: z.array(z.string()).optional(),
});

const AccessStatusSchema = z.looseObject({ environmentsWithAccess: z.array(z.string()).nullish() });

export const KafkaCatalogSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ResourceMetadataSchema,
  spec: KafkaCatalogSpecSchema,
  status: AccessStatusSchema.nullish(),
});
export type KafkaCatalog = z.infer<typeof KafkaCatalogSchema>;

export const KafkaDatabaseSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ResourceMetadataSchema,
  spec: KafkaDatabaseSpecSchema,
  status: AccessStatusSchema.nullish(),
});
export type KafkaDatabase = z.infer<typeof KafkaDatabaseSchema>;

export const PostKafkaCatalogSchema = z.looseObject({
  ...envelopeFields(KAFKA_CATALOG_KIND),
  metadata: postMetadataSchema(),
  spec: KafkaCatalogSpecSchema,
  status: z.unknown().optional(),
});
export type PostKafkaCatalog = z.input<typeof PostKafkaCatalogSchema>;

export const PostKafkaDatabaseSchema = z.looseObject({
  ...envelopeFields(KAFKA_DATABASE_KIND),
  metadata: postMetadataSchema(),
  spec: KafkaDatabaseSpecSchema,
  status: z.unknown().optional(),
});
export type PostKafkaDatabase = z.input<typeof PostKafkaDatabaseSchema>;

export const KafkaCatalogsPageSchema = pageSchema(KafkaCatalogSchema);
export type KafkaCatalogsPage = z.infer<typeof KafkaCatalogsPageSchema>;
export const KafkaDatabasesPageSchema = pageSchema(KafkaDatabaseSchema);
export type KafkaDatabasesPage = z.infer<typeof KafkaDatabasesPageSchema>;
