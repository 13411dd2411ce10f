/**
 * CmfApplication (`/cmf/api/v1/environments/{env}/applications`): every field once, with its type,
 * rules, docs and whether a change replaces the application.
 */
import { APPLICATION_NAME, FlinkApplicationSpecSchema } from "../../models";
import type { FlinkApplicationSpec } from "../public-types";
import { isUnknown } from "../../core/unknown";
import { as, defineKind, field, type CheckFailure, type KindTypes } from "../../core/schema";
import { annotationsField, environmentField, labelsField, settingFields } from "../common";
import { memoryRule, nameRule, schemaRule } from "../rules";

export const WAIT_FOR_VALUES = ["running", "suspended", "none"] as const;
export type WaitFor = (typeof WAIT_FOR_VALUES)[number];

export const DEFAULT_APPLICATION_TIMEOUT_SECONDS = 600;
export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

/** The parts of CMF's application status an application user acts on. */
export interface ApplicationStatusOutput {
  /** Flink job state: RECONCILING, RUNNING, FAILED, FINISHED, SUSPENDED, ... */
  jobState?: string;
  /** Operator lifecycle: CREATED, DEPLOYED, STABLE, SUSPENDED, UPGRADING, FAILED, ... */
  lifecycleState?: string;
  jobManagerDeploymentStatus?: string;
  jobId?: string;
  /** The deployed FlinkApplicationInstance (a new one per spec change). */
  currentInstance?: string;
  error?: string;
}

export function jobStateOf(spec: unknown): unknown {
  if (typeof spec !== "object" || spec === null) return undefined;
  const job = (spec as Record<string, unknown>).job;
  return typeof job === "object" && job !== null ? (job as Record<string, unknown>).state : undefined;
}

/** `waitFor` must be reachable from the desired job state. */
function waitForMatchesJobState(inputs: Record<string, unknown>): CheckFailure[] {
  const waitFor = inputs.waitFor;
  if (typeof waitFor !== "string" || !(WAIT_FOR_VALUES as readonly string[]).includes(waitFor)) return [];
  const jobState = jobStateOf(inputs.spec);
  if (isUnknown(jobState) || isUnknown(inputs.spec)) return [];
  const desired = jobState === "suspended" ? "suspended" : "running";
  if (waitFor === "none" || waitFor === desired) return [];
  return [
    {
      property: "waitFor",
      reason: `is "${waitFor}" but spec.job.state makes the application ${desired}; use "${desired}" or "none"`,
    },
  ];
}

export const applicationDefinition = defineKind({
  kind: "Application",
  label: "CMF application",
  className: "CmfApplication",
  description: "A Flink application in a CMF environment (`/cmf/api/v1/environments/{env}/applications`).",
  id: { parts: ["environment", "name"] },
  checks: [waitForMatchesJobState],
  fields: {
    environment: environmentField("application"),
    name: field.string({
      description:
        "The application's name in CMF; defaults to the resource's logical name. Applications become Flink Kubernetes Operator deployments, so this is a DNS-1035 label of 4 to 45 characters. Changing it replaces the application.",
      required: true,
      default: { resourceName: true },
      replaces: true,
      rules: [
        nameRule(
          APPLICATION_NAME,
          "CMF applications become Flink Kubernetes Operator deployments, so names are DNS-1035 labels of 4 to 45 characters: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
        ),
      ],
    }),
    spec: field.object(
      {
        description:
          "The FlinkApplication spec (Flink Kubernetes Operator `FlinkDeploymentSpec`): `image`, `flinkVersion`, `flinkConfiguration` (numbers and booleans are sent as strings), `serviceAccount`, `jobManager`, `taskManager`, `job` (`jarURI`, `parallelism`, `state`, `upgradeMode`, ...) and any other operator field. Updated in place; a change of only `job.state` uses CMF's start/suspend.",
        required: true,
        requiredReason: "is required (the FlinkApplication spec)",
        open: true,
        fields: {
          flinkConfiguration: field.map({
            description: "Flink configuration; numbers and booleans are sent as strings.",
            stringifyScalars: true,
            wholeMap: true,
          }),
        },
        rules: [schemaRule(FlinkApplicationSpecSchema), memoryRule],
      },
      as<FlinkApplicationSpec>(),
    ),
    labels: labelsField,
    annotations: annotationsField,
    ...settingFields,
    waitFor: field.string(
      {
        role: "setting",
        description:
          'What create and update wait for: `"running"` (job RUNNING, lifecycle DEPLOYED or STABLE) by default when `spec.job.state` is running or unset, `"suspended"` when it is suspended, `"none"` to return as soon as CMF accepted the change. Changing it never touches CMF.',
        enum: WAIT_FOR_VALUES,
      },
      as<WaitFor>(),
    ),
    timeoutSeconds: field.integer({
      role: "setting",
      description:
        "How long create, update and delete wait, in seconds (default 600). Pulumi's `customTimeouts` option does not reach dynamic providers, hence this. Changing it never touches CMF.",
      minimum: 1,
      maximum: MAX_TIMEOUT_SECONDS,
      default: { value: DEFAULT_APPLICATION_TIMEOUT_SECONDS },
    }),
    status: field.object(
      {
        role: "output",
        required: true,
        description: "Status when the last operation ended (refresh to update it).",
      },
      as<ApplicationStatusOutput>(),
    ),
    uid: field.string({ role: "output", required: true, description: "CMF's `metadata.uid`." }),
    createdTime: field.string({
      role: "output",
      required: true,
      description: "`metadata.creationTimestamp` (RFC 3339).",
    }),
    updatedTime: field.string({
      role: "output",
      required: true,
      description: "`metadata.updateTimestamp` (RFC 3339).",
    }),
  },
});

type Types = KindTypes<typeof applicationDefinition>;
export type ApplicationArgs = Types["Args"];
export type ApplicationInputs = Types["Inputs"];
export type ApplicationOutputs = Types["Outputs"];
