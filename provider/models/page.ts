import { z } from "zod";
import { EnvironmentSchema } from "./environment";
import { FlinkApplicationSchema } from "./application";
import { FlinkApplicationInstanceSchema } from "./instance";
import { FlinkApplicationEventSchema } from "./event";

export const SortInfoSchema = z.looseObject({
  sorted: z.boolean().optional(),
  unsorted: z.boolean().optional(),
  empty: z.boolean().optional(),
});
export type SortInfo = z.infer<typeof SortInfoSchema>;

export const PageableSchema = z.looseObject({
  page: z.number().int().min(0).optional(),
  size: z.number().int().min(1).optional(),
  sort: SortInfoSchema.optional(),
});
export type Pageable = z.infer<typeof PageableSchema>;

/** `metadata.size` is the total number of matching elements, not the size of this page. */
export const PageMetadataSchema = z.looseObject({ size: z.number().int().min(0).optional() });

/** The list envelope every CMF list endpoint returns. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    pageable: PageableSchema.optional(),
    metadata: PageMetadataSchema.optional(),
    items: z.array(item).default([]),
  });
}

export interface Page<T> {
  pageable?: Pageable;
  metadata?: { size?: number; [k: string]: unknown };
  items: T[];
  [k: string]: unknown;
}

export const EnvironmentsPageSchema = pageSchema(EnvironmentSchema);
export type EnvironmentsPage = z.infer<typeof EnvironmentsPageSchema>;
export const ApplicationsPageSchema = pageSchema(FlinkApplicationSchema);
export type ApplicationsPage = z.infer<typeof ApplicationsPageSchema>;
export const ApplicationInstancesPageSchema = pageSchema(FlinkApplicationInstanceSchema);
export type ApplicationInstancesPage = z.infer<typeof ApplicationInstancesPageSchema>;
export const EventsPageSchema = pageSchema(FlinkApplicationEventSchema);
export type EventsPage = z.infer<typeof EventsPageSchema>;
