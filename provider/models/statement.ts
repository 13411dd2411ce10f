import { z } from "zod";
import { pageSchema } from "./page";
import { FreeFormObjectSchema, StringMapSchema } from "./common";
import { ApplicationNameSchema } from "./names";
import { envelopeFields, postMetadataSchema, ResourceMetadataSchema } from "./resource-metadata";

export const STATEMENT_KIND = "Statement";
export const STATEMENT_RESULT_KIND = "StatementResult";
export const STATEMENT_EXCEPTION_KIND = "StatementException";
export const STATEMENT_EXCEPTION_LIST_KIND = "StatementExceptionList";
export const STATEMENT_PHASES = [
  "PENDING",
  "RUNNING",
  "COMPLETED",
  "DELETING",
  "FAILING",
  "FAILED",
  "STOPPED",
] as const;
export type StatementPhase = (typeof STATEMENT_PHASES)[number];

export const StartFromSavepointSchema = z.looseObject({
  savepointName: z.string().optional(),
  uid: z.string().optional(),
  initialSavepointPath: z.string().optional(),
  allowNonRestoredState: z.boolean().optional(),
  savepointRedeployNonce: z.number().int().optional(),
});

export const StatementSpecSchema = z.looseObject({
  statement: z.string().min(1),
  computePoolName: z.string().min(1),
  /** Session properties, e.g. `sql.current-catalog`, `sql.current-database`. */
  properties: StringMapSchema.optional(),
  flinkConfiguration: StringMapSchema.optional(),
  parallelism: z.number().int().min(1).max(2147483647).optional(),
  stopped: z.boolean().optional(),
  startFromSavepoint: StartFromSavepointSchema.optional(),
});
export type StatementSpec = z.infer<typeof StatementSpecSchema>;

/** CMF's DataType: recursive (ROW fields, ARRAY elements, MAP keys and values). */
export interface DataType {
  type: string;
  nullable: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  keyType?: DataType;
  valueType?: DataType;
  elementType?: DataType;
  fields?: { name: string; fieldType: DataType; description?: string }[];
  resolution?: string;
  fractionalPrecision?: number;
}

export const StatementResultSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({
    creationTimestamp: z.string().nullish(),
    annotations: StringMapSchema.nullish(),
  }),
  results: z.looseObject({ data: z.array(FreeFormObjectSchema).nullish() }),
});
export type StatementResult = z.infer<typeof StatementResultSchema>;

export const StatementSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ResourceMetadataSchema,
  spec: z.looseObject({
    statement: z.string(),
    computePoolName: z.string(),
    properties: StringMapSchema.nullish(),
    flinkConfiguration: StringMapSchema.nullish(),
    parallelism: z.number().int().nullish(),
    stopped: z.boolean().nullish(),
    startFromSavepoint: FreeFormObjectSchema.nullish(),
  }),
  status: z
    .looseObject({
      phase: z.string(),
      detail: z.string().nullish(),
      traits: FreeFormObjectSchema.nullish(),
      resourceSummary: FreeFormObjectSchema.nullish(),
      warning: z.string().nullish(),
    })
    .nullish(),
  result: StatementResultSchema.nullish(),
});
export type Statement = z.infer<typeof StatementSchema>;

/** The body of create and update (`confluent flink statement` files; the CLI PUTs a GET's answer). */
export const PostStatementSchema = z.looseObject({
  ...envelopeFields(STATEMENT_KIND),
  metadata: postMetadataSchema(ApplicationNameSchema),
  spec: StatementSpecSchema,
  status: z.unknown().optional(),
  result: z.unknown().optional(),
});
export type PostStatement = z.input<typeof PostStatementSchema>;

export const StatementExceptionSchema = z.looseObject({
  apiVersion: z.string().nullish(),
  kind: z.string().nullish(),
  name: z.string(),
  message: z.string(),
  timestamp: z.string(),
});
export type StatementException = z.infer<typeof StatementExceptionSchema>;

export const StatementExceptionListSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  data: z.array(StatementExceptionSchema),
});
export type StatementExceptionList = z.infer<typeof StatementExceptionListSchema>;

export const StatementsPageSchema = pageSchema(StatementSchema);
export type StatementsPage = z.infer<typeof StatementsPageSchema>;
