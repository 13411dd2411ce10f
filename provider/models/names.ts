import { z } from "zod";

/**
 * Name rules of CMF. The environment rule is the one the OpenAPI document states (RFC 1123 subdomain,
 * at least 4 characters, no maximum since CMF 2.2). Applications become Flink Kubernetes Operator
 * `FlinkDeployment`s of the same name, so they must also be DNS-1035 labels of at most 45 characters
 * (the operator's limit, which the Confluent CLI also applies).
 */
export const RFC1123_SUBDOMAIN_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
export const RFC1123_SUBDOMAIN_REGEX = new RegExp(RFC1123_SUBDOMAIN_PATTERN);
export const DNS1035_LABEL_PATTERN = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
export const DNS1035_LABEL_REGEX = new RegExp(DNS1035_LABEL_PATTERN);

export interface NameRule {
  readonly minLength: number;
  /** Undefined means no upper bound (CMF reports it as 2147483647, Java's Integer.MAX_VALUE). */
  readonly maxLength?: number;
  /** A bound of ours where CMF states none: refused with its own message, CMF's wording kept otherwise. */
  readonly policyMaxLength?: number;
  readonly pattern: RegExp;
}

/**
 * POLICY: CMF 2.2+ states no maximum for environment names; the emulator (and the provider) refuse
 * names above 253 characters, the RFC 1123 subdomain limit that CMF 1.x documented and that every
 * Kubernetes object name derived from the environment must meet anyway.
 */
export const ENVIRONMENT_NAME_MAX_LENGTH = 253;
export const ENVIRONMENT_NAME: NameRule = {
  minLength: 4,
  policyMaxLength: ENVIRONMENT_NAME_MAX_LENGTH,
  pattern: RFC1123_SUBDOMAIN_REGEX,
};
export const APPLICATION_NAME: NameRule = { minLength: 4, maxLength: 45, pattern: DNS1035_LABEL_REGEX };
/** `kubernetesNamespace` and `kubernetesClusterName`. */
export const KUBERNETES_NAME: NameRule = { minLength: 1, maxLength: 253, pattern: RFC1123_SUBDOMAIN_REGEX };

const JAVA_INT_MAX = 2147483647;

/**
 * Problems of a name under a rule, worded like CMF's bean-validation messages
 * ("size must be between 4 and 2147483647", `must match "<regex>"`), without the field prefix.
 */
export function nameProblems(value: string, rule: NameRule): string[] {
  const problems: string[] = [];
  const max = rule.maxLength ?? JAVA_INT_MAX;
  if (value.length < rule.minLength || value.length > max) {
    problems.push(`size must be between ${rule.minLength} and ${max}`);
  } else if (rule.policyMaxLength !== undefined && value.length > rule.policyMaxLength) {
    problems.push(
      `size must be at most ${rule.policyMaxLength} (the RFC 1123 limit pulumi-cmf applies; got ${value.length})`,
    );
  }
  if (!rule.pattern.test(value)) problems.push(`must match "${rule.pattern.source}"`);
  return problems;
}

export function environmentNameProblems(name: string): string[] {
  return nameProblems(name, ENVIRONMENT_NAME);
}

export function applicationNameProblems(name: string): string[] {
  return nameProblems(name, APPLICATION_NAME);
}

export function kubernetesNameProblems(name: string): string[] {
  return nameProblems(name, KUBERNETES_NAME);
}

export function isValidEnvironmentName(name: unknown): name is string {
  return typeof name === "string" && environmentNameProblems(name).length === 0;
}

export function isValidApplicationName(name: unknown): name is string {
  return typeof name === "string" && applicationNameProblems(name).length === 0;
}

/** A zod string schema that reports every broken part of a name rule as its own issue. */
export function nameSchema(rule: NameRule): z.ZodString {
  return z.string().check((ctx) => {
    for (const message of nameProblems(ctx.value, rule)) {
      ctx.issues.push({ code: "custom", message, input: ctx.value });
    }
  });
}

export const EnvironmentNameSchema = nameSchema(ENVIRONMENT_NAME);
export const ApplicationNameSchema = nameSchema(APPLICATION_NAME);
export const KubernetesNameSchema = nameSchema(KUBERNETES_NAME);
