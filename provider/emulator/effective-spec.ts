import type { FlinkApplicationSpec } from "../models";
import { deepMerge, isPlainObject } from "./json";
import type { JsonObject } from "./store";

export const INSTANCE_ANNOTATION = "platform.confluent.io/cmf-fa-instance";

/**
 * The spec CMF hands to the operator for one instance: the environment's
 * `flinkApplicationDefaults.spec` deep-merged under the application's spec (the application fills in
 * or overrides defaults), except `flinkConfiguration`, where the environment wins on conflicting keys
 * (CMF documents environment configuration as a way to enforce options). Like CMF, the result carries
 * the instance annotation on the pod template and an explicit `job.args`.
 */
export function effectiveSpec(
  defaults: JsonObject | undefined,
  spec: FlinkApplicationSpec,
  instanceName: string,
): JsonObject {
  const defaultSpec = isPlainObject(defaults?.spec) ? defaults.spec : {};
  const merged = deepMerge(defaultSpec, spec) as JsonObject;

  const envConfig = isPlainObject(defaultSpec.flinkConfiguration)
    ? defaultSpec.flinkConfiguration
    : undefined;
  if (envConfig) {
    const appConfig = isPlainObject(spec.flinkConfiguration) ? spec.flinkConfiguration : {};
    merged.flinkConfiguration = { ...appConfig, ...envConfig };
  }

  const podTemplate = isPlainObject(merged.podTemplate) ? merged.podTemplate : {};
  const metadata = isPlainObject(podTemplate.metadata) ? podTemplate.metadata : {};
  const annotations = isPlainObject(metadata.annotations) ? metadata.annotations : {};
  merged.podTemplate = {
    ...podTemplate,
    metadata: { ...metadata, annotations: { ...annotations, [INSTANCE_ANNOTATION]: instanceName } },
  };
  if (isPlainObject(merged.job) && merged.job.args === undefined) merged.job = { ...merged.job, args: [] };
  return merged;
}
