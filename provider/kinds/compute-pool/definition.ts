/**
 * CmfComputePool (`/cmf/api/v1/environments/{env}/compute-pools`): every field once, with its type,
 * rules, docs and whether a change replaces the pool.
 */
import { COMPUTE_POOL_STATES, COMPUTE_POOL_TYPES, ComputePoolSpecSchema } from "../../models";
import { isUnknown } from "../../core/unknown";
import type { ComputePoolState, ComputePoolType } from "../public-types";
import { as, defineKind, field, type CheckFailure, type KindTypes } from "../../core/schema";
import {
  annotationsField,
  environmentField,
  labelsField,
  objectOutputFields,
  resourceNameField,
  settingFields,
  timeoutSecondsField,
} from "../common";
import { schemaRule } from "../rules";

export interface ComputePoolSpecArgs {
  type: ComputePoolType;
  state?: ComputePoolState;
  clusterSpec: Record<string, unknown>;
}

/** `state` applies to SHARED pools only (CMF answers 400 otherwise). */
function stateOnSharedOnly(inputs: Record<string, unknown>): CheckFailure[] {
  const spec = inputs.spec as Record<string, unknown> | undefined;
  if (!spec || isUnknown(spec) || spec.state === undefined || isUnknown(spec.type)) return [];
  return spec.type === "SHARED"
    ? []
    : [
        {
          property: "spec.state",
          reason: `applies to SHARED pools only (this pool is ${String(spec.type)})`,
        },
      ];
}

export const computePoolDefinition = defineKind({
  kind: "ComputePool",
  label: "CMF compute pool",
  className: "CmfComputePool",
  description:
    "A compute pool in a CMF environment (`/cmf/api/v1/environments/{env}/compute-pools`): the Flink cluster template CMF SQL statements run on. A SHARED pool is one session cluster for many statements; a DEDICATED pool gives each statement its own cluster.",
  id: { parts: ["environment", "name"] },
  checks: [stateOnSharedOnly],
  fields: {
    environment: environmentField("pool"),
    name: resourceNameField("pool", " Statements name it in `spec.computePoolName`."),
    spec: field.object(
      {
        description:
          "`type` (DEDICATED or SHARED; changing it replaces the pool), `clusterSpec` (a FlinkDeployment-like spec: `flinkVersion`, `image`, `flinkConfiguration`, `jobManager`, `taskManager`; no `serviceAccount` or `job`), and for SHARED pools `state` (RUNNING, the default, or SUSPENDED). CMF refuses a change while statements run on the pool.",
        required: true,
        fields: {
          type: field.string({
            description: "DEDICATED or SHARED. Changing it replaces the pool.",
            required: true,
            replaces: true,
            // Copied, so that the published declarations do not name the zod models (public-types.ts).
            enum: [...COMPUTE_POOL_TYPES] as readonly string[],
          }),
          state: field.string({
            description: "SHARED pools only: RUNNING (default) or SUSPENDED.",
            enum: [...COMPUTE_POOL_STATES] as readonly string[],
          }),
          clusterSpec: field.object({
            description: "The Flink cluster template.",
            required: true,
            open: true,
            fields: {
              flinkConfiguration: field.map({
                description: "Flink configuration; numbers and booleans are sent as strings.",
                items: field.string({ description: "" }),
                stringifyScalars: true,
                wholeMap: true,
              }),
            },
          }),
        },
        rules: [schemaRule(ComputePoolSpecSchema)],
      },
      as<ComputePoolSpecArgs>(),
    ),
    labels: labelsField,
    annotations: annotationsField,
    ...settingFields,
    timeoutSeconds: timeoutSecondsField("the pool to reach its phase (SHARED pools)"),
    phase: field.string({
      role: "output",
      description: "CMF's `status.phase`: DEDICATED, PENDING, RUNNING, SUSPENDED, FAILING, FAILED, DELETING.",
    }),
    message: field.string({ role: "output", description: "CMF's `status.message`, when it reports one." }),
    ...objectOutputFields,
  },
});

type Types = KindTypes<typeof computePoolDefinition>;
export type ComputePoolArgs = Types["Args"];
export type ComputePoolInputs = Types["Inputs"];
export type ComputePoolOutputs = Types["Outputs"];
