import { z } from "zod";
import { pageSchema } from "./page";
import { StringMapSchema } from "./common";
import { envelopeFields, postMetadataSchema, ResourceMetadataSchema } from "./resource-metadata";

export const SECRET_KIND = "Secret";
export const ENVIRONMENT_SECRET_MAPPING_KIND = "EnvironmentSecretMapping";

/** The `spec` of a Secret: write-only; CMF never returns the values. */
export const SecretSpecSchema = z.looseObject({ data: StringMapSchema.optional() });

export const SecretStatusSchema = z.looseObject({
  version: z.string().nullish(),
  environments: z.array(z.string()).nullish(),
});

/** A Secret as CMF returns it: `spec.data` values masked. */
export const SecretSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ResourceMetadataSchema,
  spec: SecretSpecSchema.nullish(),
  status: SecretStatusSchema.nullish(),
});
export type Secret = z.infer<typeof SecretSchema>;

/** The body of `POST /secrets` and `PUT /secrets/{name}` (the `confluent flink secret` file shape). */
export const PostSecretSchema = z.looseObject({
  ...envelopeFields(SECRET_KIND),
  metadata: postMetadataSchema(),
  spec: z.looseObject({ data: StringMapSchema }),
  status: z.unknown().optional(),
});
export type PostSecret = z.input<typeof PostSecretSchema>;

export const EnvironmentSecretMappingSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ResourceMetadataSchema,
  spec: z.looseObject({ secretName: z.string() }).nullish(),
});
export type EnvironmentSecretMapping = z.infer<typeof EnvironmentSecretMappingSchema>;

/** `metadata.name` is the connectionSecretId that catalogs and databases refer to. */
export const PostEnvironmentSecretMappingSchema = z.looseObject({
  ...envelopeFields(ENVIRONMENT_SECRET_MAPPING_KIND),
  metadata: postMetadataSchema(),
  spec: z.looseObject({ secretName: z.string().min(1) }),
});
export type PostEnvironmentSecretMapping = z.input<typeof PostEnvironmentSecretMappingSchema>;

export const SecretsPageSchema = pageSchema(SecretSchema);
export type SecretsPage = z.infer<typeof SecretsPageSchema>;
export const EnvironmentSecretMappingsPageSchema = pageSchema(EnvironmentSecretMappingSchema);
export type EnvironmentSecretMappingsPage = z.infer<typeof EnvironmentSecretMappingsPageSchema>;
