import { isPlainObject } from "./json";
import type { JsonObject } from "./store";

/**
 * What the Flink Kubernetes Operator's `DefaultValidator` says about a FlinkDeployment spec that CMF
 * accepted (CMF stores the application, answers 201, and hands the spec to the operator, which then
 * refuses it). Checked in the operator's order; like the operator, the first problem is reported.
 * Only the rules a spec can break on its own are emulated (not those that need the operator's
 * configuration or the previous deployment). The image is not checked: the operator does not require
 * one (Flink falls back to its default image). Known gap: the operator also requires
 * `spec.serviceAccount`; the emulator does not check it yet, because the README's and the examples'
 * documents omit it and they belong to other work in progress.
 */
export const OPERATOR_VALIDATION_EXCEPTION =
  "org.apache.flink.kubernetes.operator.exception.ValidationException";

const FLINK_VERSION = /^v\d+_\d+$/;

function configured(config: JsonObject, ...keys: string[]): boolean {
  return keys.some((key) => {
    const value = Object.prototype.hasOwnProperty.call(config, key) ? config[key] : undefined;
    return typeof value === "string" && value.trim() !== "";
  });
}

function memoryOf(component: unknown): unknown {
  return isPlainObject(component) && isPlainObject(component.resource)
    ? component.resource.memory
    : undefined;
}

const hasText = (value: unknown) => typeof value === "string" && value.trim() !== "";

/** The operator's message for the first rule `spec` (the effective spec of an instance) breaks. */
export function operatorValidationProblem(spec: JsonObject): string | undefined {
  const config = isPlainObject(spec.flinkConfiguration) ? spec.flinkConfiguration : {};
  if (spec.flinkVersion === undefined || spec.flinkVersion === null) return "Flink Version must be defined.";
  if (typeof spec.flinkVersion !== "string" || !FLINK_VERSION.test(spec.flinkVersion)) {
    return `Flink version ${String(spec.flinkVersion)} is not supported by this operator version`;
  }
  if (isPlainObject(spec.job)) {
    const tm = isPlainObject(spec.taskManager) ? spec.taskManager : undefined;
    const replicas = tm?.replicas;
    if (typeof replicas === "number" && replicas < 1) return "TaskManager replicas must be larger than 0";
    const parallelism = typeof spec.job.parallelism === "number" ? spec.job.parallelism : 0;
    if (replicas === undefined && parallelism < 1) return "Job parallelism must be larger than 0";
  }
  if (
    !hasText(memoryOf(spec.jobManager)) &&
    !configured(
      config,
      "jobmanager.memory.process.size",
      "jobmanager.memory.flink.size",
      "jobmanager.memory.heap.size",
    )
  ) {
    return "JobManager resource memory must be defined using `spec.jobManager.resource.memory`";
  }
  if (
    !hasText(memoryOf(spec.taskManager)) &&
    !configured(config, "taskmanager.memory.process.size", "taskmanager.memory.flink.size") &&
    !(
      configured(config, "taskmanager.memory.task.heap.size") &&
      configured(config, "taskmanager.memory.managed.size")
    )
  ) {
    return "TaskManager resource memory must be defined using `spec.taskManager.resource.memory`";
  }
  return undefined;
}
