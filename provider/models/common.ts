import { z } from "zod";

/** Kubernetes-style `labels` / `annotations`: map<string,string>. */
export const StringMapSchema = z.record(z.string(), z.string());
export type StringMap = z.infer<typeof StringMapSchema>;

/** A free-form JSON object (`format: yamlorjson` in the OpenAPI document). */
export const FreeFormObjectSchema = z.record(z.string(), z.unknown());
export type FreeFormObject = z.infer<typeof FreeFormObjectSchema>;

const FLINK_CONFIGURATION_VALUE = z.string({
  error: (issue) =>
    issue.input === undefined
      ? undefined
      : `must be a string (got ${issue.input === null ? "null" : Array.isArray(issue.input) ? "array" : typeof issue.input}); CMF stores flinkConfiguration as map<string,string>, so quote the value, e.g. "2"`,
});

/** Flink configuration: map<string,string> (numbers and booleans must be sent as strings). */
export const FlinkConfigurationSchema = z.record(z.string(), FLINK_CONFIGURATION_VALUE);
export type FlinkConfiguration = z.infer<typeof FlinkConfigurationSchema>;
