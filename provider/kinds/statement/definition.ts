/**
 * CmfStatement (`/cmf/api/v1/environments/{env}/statements`): every field once, with its type, rules,
 * docs and whether a change replaces the statement.
 */
import { APPLICATION_NAME, StartFromSavepointSchema } from "../../models";
import { isUnknown } from "../../core/unknown";
import { as, defineKind, field, type CheckFailure, type KindTypes } from "../../core/schema";
import {
  annotationsField,
  environmentField,
  labelsField,
  objectOutputFields,
  settingFields,
  timeoutSecondsField,
} from "../common";
import { nameRule, schemaRule } from "../rules";

export const STATEMENT_WAIT_FOR = ["RUNNING", "COMPLETED", "STOPPED", "none"] as const;
export type StatementWaitFor = (typeof STATEMENT_WAIT_FOR)[number];

export interface StatementSpecArgs {
  statement: string;
  computePoolName: string;
  properties?: Record<string, string>;
  flinkConfiguration?: Record<string, string>;
  parallelism?: number;
  stopped?: boolean;
  startFromSavepoint?: Record<string, unknown>;
}

/** `waitFor: STOPPED` needs `stopped: true`, and the other targets need it unset. */
function waitForMatchesStopped(inputs: Record<string, unknown>): CheckFailure[] {
  const waitFor = inputs.waitFor;
  const spec = inputs.spec as Record<string, unknown> | undefined;
  if (
    typeof waitFor !== "string" ||
    waitFor === "none" ||
    !spec ||
    isUnknown(spec) ||
    isUnknown(spec.stopped)
  )
    return [];
  const stopped = spec.stopped === true;
  if ((waitFor === "STOPPED") === stopped) return [];
  return [
    {
      property: "waitFor",
      reason: stopped
        ? `is "${waitFor}" but spec.stopped is true: the statement will be STOPPED; use "STOPPED" or "none"`
        : `is "STOPPED" but spec.stopped is not true; set spec.stopped: true to stop the statement`,
    },
  ];
}

const stringMap = (description: string, stringifyScalars = false) =>
  field.map({
    description,
    items: field.string({ description: "" }),
    wholeMap: true,
    ...(stringifyScalars ? { stringifyScalars: true } : {}),
  });

export const statementDefinition = defineKind({
  kind: "Statement",
  label: "CMF statement",
  className: "CmfStatement",
  description:
    "A CMF SQL statement in an environment (`/cmf/api/v1/environments/{env}/statements`): DDL that completes at once, or a streaming query that runs on a compute pool.",
  id: { parts: ["environment", "name"] },
  checks: [waitForMatchesStopped],
  fields: {
    environment: environmentField("statement"),
    name: field.string({
      description:
        "The statement's name in CMF; defaults to the resource's logical name. A DNS-1035 label of 4 to 45 characters. Changing it replaces the statement.",
      required: true,
      default: { resourceName: true },
      replaces: true,
      rules: [
        nameRule(
          APPLICATION_NAME,
          "a DNS-1035 label: 4 to 45 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
        ),
      ],
    }),
    spec: field.object(
      {
        description:
          "The statement: `statement` (the SQL) and `computePoolName` replace it when they change (deleted first: names are unique); `stopped`, `parallelism`, `properties` and `flinkConfiguration` change in place under CMF's phase rules (stop from PENDING/RUNNING/FAILING, resume from STOPPED, rescale unless COMPLETED or FAILED).",
        required: true,
        fields: {
          statement: field.string({
            description: "The SQL text. Changing it replaces the statement.",
            required: true,
            replaces: true,
          }),
          computePoolName: field.string({
            description:
              "The compute pool it runs on (set from `computePool` when the SDK is given the resource). Changing it replaces the statement.",
            required: true,
            replaces: true,
          }),
          properties: stringMap(
            "Session properties, e.g. `sql.current-catalog`, `sql.current-database` (instead of USE).",
          ),
          flinkConfiguration: stringMap(
            "Flink configuration; numbers and booleans are sent as strings.",
            true,
          ),
          parallelism: field.integer({
            description: "The job's parallelism (rescale in place).",
            minimum: 1,
          }),
          stopped: field.boolean({
            description:
              "Stopped (with a savepoint). `true` at creation creates the statement stopped, without a brief run.",
          }),
          startFromSavepoint: field.object({
            description: "Where to start from (`savepointName`, `initialSavepointPath`, ...).",
            open: true,
            rules: [schemaRule(StartFromSavepointSchema)],
          }),
        },
      },
      as<StatementSpecArgs>(),
    ),
    labels: labelsField,
    annotations: annotationsField,
    ...settingFields,
    waitFor: field.string(
      {
        role: "setting",
        description:
          "The phase create and update wait for: RUNNING (streaming queries), COMPLETED (DDL, bounded queries), STOPPED (with `spec.stopped: true`), or none. Omitted: STOPPED when `spec.stopped`, else the first of RUNNING or COMPLETED. Changing it never touches CMF.",
        enum: STATEMENT_WAIT_FOR,
      },
      as<StatementWaitFor>(),
    ),
    timeoutSeconds: timeoutSecondsField("the statement's phase"),
    onDestroy: field.string({
      role: "setting",
      description:
        "SQL run (as a statement of its own, on the same pool, waited for until COMPLETED) before this statement is deleted, e.g. `DROP TABLE orders` for a CREATE TABLE: deleting a DDL statement does not undo its DDL. Changing it never touches CMF.",
    }),
    phase: field.string({
      role: "output",
      description: "CMF's `status.phase`: PENDING, RUNNING, COMPLETED, STOPPED, FAILING, FAILED, DELETING.",
    }),
    detail: field.string({ role: "output", description: "CMF's `status.detail` (why it failed, ...)." }),
    warning: field.string({ role: "output", description: "CMF's `status.warning`, when it reports one." }),
    traits: field.object({
      role: "output",
      description: "CMF's `status.traits`: `sqlKind`, `isBounded`, `isAppendOnly`, `schema`.",
    }),
    results: field.array(
      {
        role: "output",
        description:
          "The result rows of a statement that completes at once (SHOW, DESCRIBE, ...), as CMF inlines them.",
      },
      as<Record<string, unknown>>(),
    ),
    ...objectOutputFields,
  },
});

type Types = KindTypes<typeof statementDefinition>;
export type StatementArgs = Types["Args"];
export type StatementInputs = Types["Inputs"];
export type StatementOutputs = Types["Outputs"];
