import { z } from "zod";
import { FlinkConfigurationSchema, FreeFormObjectSchema, StringMapSchema } from "./common";
import { EnvironmentNameSchema, KubernetesNameSchema } from "./names";

/** `{detached:{flinkConfiguration}, interactive:{flinkConfiguration}}`; configuration values are strings. */
export const StatementDefaultsEntrySchema = z.looseObject({
  flinkConfiguration: FlinkConfigurationSchema.optional(),
});
export const StatementDefaultsSchema = z.looseObject({
  detached: StatementDefaultsEntrySchema.optional(),
  interactive: StatementDefaultsEntrySchema.optional(),
});
export type StatementDefaults = z.infer<typeof StatementDefaultsSchema>;

/**
 * Free-form in the OpenAPI document, in the shape of a partial FlinkApplication. Only
 * `spec.flinkConfiguration` is typed, because CMF stores it as map<string,string> and merges it into
 * every application instance.
 */
export const FlinkApplicationDefaultsSchema = z.looseObject({
  metadata: FreeFormObjectSchema.optional(),
  spec: z.looseObject({ flinkConfiguration: FlinkConfigurationSchema.optional() }).optional(),
});
export type FlinkApplicationDefaults = z.infer<typeof FlinkApplicationDefaultsSchema>;

export const EnvironmentMetadataSchema = z.looseObject({
  name: z.string(),
  labels: StringMapSchema.optional(),
  annotations: StringMapSchema.optional(),
  creationTimestamp: z.string().optional(),
  updateTimestamp: z.string().optional(),
});
export type EnvironmentMetadata = z.infer<typeof EnvironmentMetadataSchema>;

/**
 * The request body of `POST /environments`, with CMF's validation rules. No field is required by the
 * schema itself (CMF 2.3); the name may come as the deprecated top-level `name` or as `metadata.name`.
 * The defaults accept `null` because the Confluent CLI sends it on update.
 */
export const PostEnvironmentSchema = z
  .looseObject({
    name: EnvironmentNameSchema.optional(),
    metadata: EnvironmentMetadataSchema.extend({ name: EnvironmentNameSchema }).optional(),
    kubernetesNamespace: KubernetesNameSchema.optional(),
    kubernetesClusterName: KubernetesNameSchema.optional(),
    flinkApplicationDefaults: FlinkApplicationDefaultsSchema.nullish(),
    computePoolDefaults: FreeFormObjectSchema.nullish(),
    statementDefaults: StatementDefaultsSchema.nullish(),
  })
  .check((ctx) => {
    const { name, metadata } = ctx.value;
    if (name === undefined && metadata === undefined) {
      ctx.issues.push({ code: "custom", path: ["name"], message: "must not be null", input: ctx.value });
    } else if (name !== undefined && metadata !== undefined && name !== metadata.name) {
      ctx.issues.push({
        code: "custom",
        path: ["metadata", "name"],
        message: `must equal name ("${name}")`,
        input: ctx.value,
      });
    }
  });
export type PostEnvironment = z.input<typeof PostEnvironmentSchema>;

export const EnvironmentStatusSchema = z.looseObject({
  resources: FreeFormObjectSchema.optional(),
  resourceSummary: FreeFormObjectSchema.optional(),
  kubernetesCluster: FreeFormObjectSchema.optional(),
});
export type EnvironmentStatus = z.infer<typeof EnvironmentStatusSchema>;

/** An Environment as CMF returns it. Lenient (unknown keys kept, optional parts nullable). */
export const EnvironmentSchema = z.looseObject({
  name: z.string(),
  kubernetesNamespace: z.string(),
  kubernetesClusterName: z.string().nullish(),
  metadata: EnvironmentMetadataSchema.nullish(),
  flinkApplicationDefaults: FreeFormObjectSchema.nullish(),
  computePoolDefaults: FreeFormObjectSchema.nullish(),
  statementDefaults: StatementDefaultsSchema.nullish(),
  created_time: z.string().nullish(),
  updated_time: z.string().nullish(),
  /** Only in single GET, not in lists. */
  secrets: StringMapSchema.nullish(),
  status: EnvironmentStatusSchema.nullish(),
});
export type Environment = z.infer<typeof EnvironmentSchema>;
