/**
 * The plain (resolved) shapes the provider runtime receives and returns. The SDK's argument types are
 * the `pulumi.Input` versions of these; the engine hands the provider plain JSON.
 */
import type { CmfConnection } from "../client";
import type { FlinkApplicationSpec, StatementDefaults } from "../models";

export type ResourceKind = "Environment" | "Application";

/** The credentials and TLS material of a connection, named alike in the input, the config and the client. */
export const CREDENTIAL_KEYS = [
  "token",
  "caCertificate",
  "caCertificatePath",
  "clientCertificate",
  "clientCertificatePath",
  "clientKey",
  "clientKeyPath",
] as const;

/**
 * How one resource reaches CMF, when it should not use the stack configuration or environment: the
 * client's connection settings, with the timeout in seconds like every other duration of the resources.
 */
export type ConnectionInput = Pick<
  CmfConnection,
  "url" | (typeof CREDENTIAL_KEYS)[number] | "insecureSkipTlsVerify"
> & {
  requestTimeoutSeconds?: number;
};

/** Inputs every kind shares: how to reach CMF and how to treat existing or deleted objects. */
export interface CommonInputs {
  connection?: ConnectionInput;
  adopt?: boolean;
  forceDelete?: boolean;
  /** `<project>/<stack>/<logical name>`, set by the SDK; written as the {@link OWNER_ANNOTATION}. */
  owner?: string;
}

export interface EnvironmentInputs extends CommonInputs {
  name: string;
  kubernetesNamespace: string;
  kubernetesClusterName?: string;
  flinkApplicationDefaults?: Record<string, unknown>;
  computePoolDefaults?: Record<string, unknown>;
  statementDefaults?: StatementDefaults;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface EnvironmentOutputs extends EnvironmentInputs {
  createdTime?: string;
  updatedTime?: string;
  secrets?: Record<string, string>;
  status?: Record<string, unknown>;
}

export type WaitFor = "running" | "suspended" | "none";
export const WAIT_FOR_VALUES: readonly WaitFor[] = ["running", "suspended", "none"];

export interface ApplicationInputs extends CommonInputs {
  environment: string;
  name: string;
  spec: FlinkApplicationSpec;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  waitFor?: WaitFor;
  timeoutSeconds?: number;
}

/** The parts of CMF's status an application user acts on. */
export interface ApplicationStatusOutput {
  jobState?: string;
  lifecycleState?: string;
  jobManagerDeploymentStatus?: string;
  jobId?: string;
  currentInstance?: string;
  error?: string;
}

export interface ApplicationOutputs extends ApplicationInputs {
  status?: ApplicationStatusOutput;
  uid?: string;
  createdTime?: string;
  updatedTime?: string;
}

/**
 * Annotation written on every object pulumi-cmf creates, holding {@link CommonInputs.owner}. A create
 * that finds an object carrying its own owner (an interrupted `pulumi up`) resumes instead of failing.
 */
export const OWNER_ANNOTATION = "pulumi-cmf/owner";

export const DEFAULT_APPLICATION_TIMEOUT_SECONDS = 600;
export const DEFAULT_DELETE_TIMEOUT_SECONDS = 600;
export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;
