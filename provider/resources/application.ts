/**
 * CmfApplication: check, diff and the CRUD operations against CMF's
 * `/environments/{env}/applications` (an upsert keyed by name), with waiting for the rollout.
 * The id is `<environment>/<name>`.
 */
import {
  FLINK_APPLICATION_API_VERSION,
  FLINK_APPLICATION_KIND,
  type FlinkApplication,
  type PostFlinkApplication,
} from "../models";
import type { CmfClient } from "../client";
import { CmfApiError, CmfConnectionError } from "../client/errors";
import { checkInputs } from "../core/check";
import { cmfFields, inputFields, replaceFields, settingFields } from "../core/schema";
import { isUnknown } from "../core/unknown";
import {
  applicationDefinition,
  DEFAULT_APPLICATION_TIMEOUT_SECONDS,
  jobStateOf,
  type ApplicationStatusOutput,
  type WaitFor,
} from "../kinds/application/definition";
import { annotationsWithOwner, assertMayTakeOver } from "./adoption";
import { asObject, finalOutputs, settingsOf, withNewSettings, type OperationContext } from "./context";
import { diffInputs, type DiffOutcome, type DiffRules } from "./diff";
import { CmfProviderError, describeFailure, ResourceInitError, type ErrorContext } from "./errors";
import { deepEqual, isPlainObject, pick, project, prune, without, type JsonObject } from "./normalize";
import { OWNER_ANNOTATION } from "./types";
import type { CheckFailure } from "../core/schema";
import { assessApplication, describeStatus, poll, waitTarget } from "./wait";

const CMF_FIELDS = cmfFields(applicationDefinition);
const SETTING_FIELDS = settingFields(applicationDefinition);
const INPUT_FIELDS = [...inputFields(applicationDefinition), "__provider"];

function known(value: unknown): value is string {
  return typeof value === "string" && !isUnknown(value);
}

export const APPLICATION_RULES: DiffRules = {
  cmfFields: CMF_FIELDS,
  replaceFields: replaceFields(applicationDefinition),
  settingFields: SETTING_FIELDS,
  identity: (inputs) =>
    known(inputs.environment) && known(inputs.name) ? `${inputs.environment}/${inputs.name}` : undefined,
};

export function checkApplication(news: JsonObject): { inputs: JsonObject; failures: CheckFailure[] } {
  return checkInputs(applicationDefinition, news);
}

export function diffApplication(olds: JsonObject, news: JsonObject): DiffOutcome {
  return diffInputs(APPLICATION_RULES, olds, news);
}

/** The complete desired application: CMF's POST replaces spec and metadata with what it gets. */
export function applicationBody(inputs: JsonObject): PostFlinkApplication {
  return {
    apiVersion: FLINK_APPLICATION_API_VERSION,
    kind: FLINK_APPLICATION_KIND,
    metadata: {
      name: inputs.name as string,
      labels: (inputs.labels as Record<string, string> | undefined) ?? {},
      annotations: annotationsWithOwner(inputs.annotations, inputs.owner),
    },
    spec: inputs.spec as PostFlinkApplication["spec"],
  };
}

export function statusOutput(app: FlinkApplication): ApplicationStatusOutput {
  const status = app.status;
  return (prune({
    jobState: status?.jobStatus?.state,
    lifecycleState: status?.lifecycleState,
    jobManagerDeploymentStatus: status?.jobManagerDeploymentStatus,
    jobId: status?.jobStatus?.jobId,
    currentInstance: status?.currentDeployedInstanceName,
    error: status?.error,
  }) ?? {}) as ApplicationStatusOutput;
}

/**
 * The outputs: the spec as CMF holds it, restricted to what the user declared (with
 * `flinkConfiguration` compared whole), labels and annotations whole (the upsert replaces them), the
 * settings from `settingsSource`, and the server-set fields.
 */
export function applicationOutputs(
  environment: string,
  server: FlinkApplication,
  declared: JsonObject,
  settingsSource: JsonObject,
): JsonObject {
  const metadata = server.metadata;
  return finalOutputs({
    environment,
    name: metadata.name,
    spec: project(server.spec, declared.spec, [["flinkConfiguration"]]) ?? {},
    labels: prune(metadata.labels),
    annotations: prune(without(metadata.annotations, OWNER_ANNOTATION)),
    ...settingsOf(settingsSource, SETTING_FIELDS),
    status: statusOutput(server),
    uid: metadata.uid,
    createdTime: metadata.creationTimestamp,
    updatedTime: metadata.updateTimestamp,
  });
}

export function splitId(id: string): { environment: string; name: string } {
  const slash = id.indexOf("/");
  if (slash <= 0 || slash === id.length - 1) {
    throw new CmfProviderError(`Invalid CmfApplication id "${id}": expected "<environment>/<application>"`);
  }
  return { environment: id.slice(0, slash), name: id.slice(slash + 1) };
}

function hints(environment: string): Omit<ErrorContext, "action"> {
  return {
    notFoundHint: `CMF environment "${environment}" must exist before its applications: declare it with a CmfEnvironment and pass that resource (or its \`name\` output) as \`environment\`, so that Pulumi creates it first.`,
  };
}

/** The newest instance's name: after a spec change, the rollout is done when CMF has deployed it. */
async function newestInstance(
  client: CmfClient,
  environment: string,
  name: string,
): Promise<string | undefined> {
  try {
    const page = await client.applications.instances(environment, name, {
      sort: "creationTimestamp,desc",
      size: 1,
    });
    return page.items[0]?.metadata.name;
  } catch {
    // Instances arrived with CMF 2.0; without them the status alone decides.
    return undefined;
  }
}

const EXCEPTIONS_SHOWN = 3;
const EXCEPTION_CHARS = 800;

/** The latest exception events, newest first, for failure messages. */
async function latestExceptions(client: CmfClient, environment: string, name: string): Promise<string[]> {
  try {
    const page = await client.applications.events(environment, name, {
      sort: "creationTimestamp,desc",
      size: 50,
    });
    return page.items
      .map((event) => ({ at: event.metadata.creationTimestamp, text: event.status.data?.exceptionString }))
      .filter((event): event is { at: string | undefined; text: string } => typeof event.text === "string")
      .slice(0, EXCEPTIONS_SHOWN)
      .map(({ at, text }) => {
        const trimmed = text.length > EXCEPTION_CHARS ? `${text.slice(0, EXCEPTION_CHARS)}…` : text;
        return `${at ?? "(no time)"}: ${trimmed.replace(/\n/g, "\n      ")}`;
      });
  } catch (error) {
    return [
      `(events could not be read: ${error instanceof Error ? error.message.split("\n")[0] : String(error)})`,
    ];
  }
}

interface WaitRequest {
  environment: string;
  name: string;
  target: WaitFor;
  timeoutSeconds: number;
  expectedInstance?: string;
}

type WaitOutcome =
  { ok: true; app: FlinkApplication } | { ok: false; app: FlinkApplication | undefined; message: string };

async function waitForApplication(
  ctx: OperationContext,
  client: CmfClient,
  initial: FlinkApplication,
  request: WaitRequest,
): Promise<WaitOutcome> {
  const { environment, name, target } = request;
  if (target === "none") return { ok: true, app: initial };
  // The write's own answer may already show the target (CMF reports the rollout it started): no poll then.
  if (assessApplication(initial, target, request.expectedInstance).state === "ready")
    return { ok: true, app: initial };
  const id = `${environment}/${name}`;
  const result = await poll(
    async () => {
      const app = await client.applications.get(environment, name);
      if (!app) return { failed: true as const, value: undefined, detail: "it disappeared from CMF" };
      const assessment = assessApplication(app, target, request.expectedInstance);
      if (assessment.state === "ready") return { done: true as const, value: app };
      if (assessment.state === "failed")
        return { failed: true as const, value: app, detail: assessment.detail };
      return { done: false as const, value: app, detail: assessment.detail };
    },
    { timeoutMs: request.timeoutSeconds * 1000, ...ctx.poll },
  );
  if (result.outcome === "done" && result.value) return { ok: true, app: result.value };
  const events = `GET /cmf/api/v1alpha1/environments/${environment}/applications/${name}/events`;
  if (result.outcome === "failed") {
    const exceptions = result.value ? await latestExceptions(client, environment, name) : [];
    const lines = [
      `CMF application "${id}" failed while pulumi-cmf waited for it to be ${target}: ${result.detail}.`,
      ...(exceptions.length > 0
        ? ["Latest exceptions (newest first):", ...exceptions.map((e) => `  - ${e}`)]
        : []),
      `All events: ${events}.`,
      "The application is recorded in the state; fix the spec (or the cause above) and run `pulumi up` again.",
    ];
    return { ok: false, app: result.value, message: lines.join("\n") };
  }
  const last = result.outcome === "timeout" ? result.last : undefined;
  return {
    ok: false,
    app: last,
    message: [
      `CMF application "${id}" did not become ${target} within ${request.timeoutSeconds} s (timeoutSeconds); last status: ${describeStatus(last)}.`,
      'It is recorded in the state, and the next `pulumi up` waits again. Raise `timeoutSeconds`, or set `waitFor: "none"` to not wait.',
      `Events: ${events}.`,
    ].join("\n"),
  };
}

function waitRequest(inputs: JsonObject, expectedInstance?: string): WaitRequest {
  return {
    environment: inputs.environment as string,
    name: inputs.name as string,
    target: waitTarget(inputs.waitFor as WaitFor | undefined, jobStateOf(inputs.spec)),
    timeoutSeconds: (inputs.timeoutSeconds as number | undefined) ?? DEFAULT_APPLICATION_TIMEOUT_SECONDS,
    ...(expectedInstance === undefined ? {} : { expectedInstance }),
  };
}

/** Waits, then the outputs; a rollout that does not become ready is a partial failure with an id. */
async function settle(
  ctx: OperationContext,
  client: CmfClient,
  server: FlinkApplication,
  inputs: JsonObject,
  expectInstance: boolean,
): Promise<JsonObject> {
  const request = waitRequest(inputs);
  if (expectInstance && request.target === "running") {
    const instance = await newestInstance(client, request.environment, request.name);
    if (instance !== undefined) request.expectedInstance = instance;
  }
  const outcome = await waitForApplication(ctx, client, server, request);
  const latest = outcome.app ?? server;
  const outs = applicationOutputs(request.environment, latest, inputs, inputs);
  if (!outcome.ok) {
    throw new ResourceInitError(outcome.message, `${request.environment}/${request.name}`, {
      ...outs,
      __provider: inputs.__provider,
    });
  }
  return outs;
}

export async function createApplication(
  ctx: OperationContext,
  inputs: JsonObject,
): Promise<{ id: string; outs: JsonObject }> {
  const environment = inputs.environment as string;
  const name = inputs.name as string;
  const id = `${environment}/${name}`;
  try {
    const client = await ctx.client();
    const existing = await client.applications.get(environment, name);
    if (existing) assertMayTakeOver(`CMF application "${id}"`, existing.metadata.annotations, inputs);
    const server = await client.applications.upsert(environment, applicationBody(inputs));
    // A new application has one instance only, so its status cannot describe an older rollout.
    return { id, outs: await settle(ctx, client, server, inputs, existing !== undefined) };
  } catch (error) {
    if (error instanceof ResourceInitError) throw error;
    throw describeFailure(error, { action: `create CMF application "${id}"`, ...hints(environment) });
  }
}

export async function readApplication(
  ctx: OperationContext,
  id: string,
  props: JsonObject,
): Promise<{ id: string; props?: JsonObject; inputs?: JsonObject }> {
  const { environment, name } = splitId(id);
  try {
    const client = await ctx.client();
    const server = await client.applications.get(environment, name);
    if (!server) return { id: "" };
    const outs = applicationOutputs(environment, server, props, props);
    return { id, props: outs, inputs: pick(outs, INPUT_FIELDS) };
  } catch (error) {
    throw describeFailure(error, { action: `read CMF application "${id}"`, ...hints(environment) });
  }
}

function withoutJobState(spec: unknown): unknown {
  if (!isPlainObject(spec) || !isPlainObject(spec.job)) return spec;
  const { state: _state, ...job } = spec.job;
  return { ...spec, job };
}

/** `running`/`suspended` when the only change is `spec.job.state` (served by start/suspend). */
export function jobStateChangeOnly(
  olds: JsonObject,
  news: JsonObject,
  outcome: DiffOutcome,
): "running" | "suspended" | undefined {
  if (outcome.changedCmfFields.length !== 1 || outcome.changedCmfFields[0] !== "spec") return undefined;
  const next = jobStateOf(news.spec);
  if (next !== "running" && next !== "suspended") return undefined;
  if (jobStateOf(olds.spec) === next) return undefined;
  return deepEqual(withoutJobState(olds.spec), withoutJobState(news.spec)) ? next : undefined;
}

const SHORTCUT_ATTEMPTS = 5;

function isTransient(error: unknown): boolean {
  if (error instanceof CmfConnectionError) return true;
  return error instanceof CmfApiError && [429, 502, 503, 504].includes(error.status);
}

/**
 * start/suspend are not retried by the client once sent (a POST). Setting a desired state is
 * idempotent, so a transient failure is resolved here: read the application, and send again only if
 * the state was not applied.
 */
async function setJobState(
  client: CmfClient,
  environment: string,
  name: string,
  state: "running" | "suspended",
): Promise<FlinkApplication> {
  for (let attempt = 1; ; attempt++) {
    try {
      return state === "running"
        ? await client.applications.start(environment, name)
        : await client.applications.suspend(environment, name);
    } catch (error) {
      if (!isTransient(error) || attempt >= SHORTCUT_ATTEMPTS) throw error;
      const current = await client.applications.get(environment, name);
      if (current && jobStateOf(current.spec) === state) return current;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/** Whether the outputs of the last operation show the application where the inputs want it. */
function lastSeenAtTarget(olds: JsonObject, news: JsonObject): boolean {
  const target = waitTarget(news.waitFor as WaitFor | undefined, jobStateOf(news.spec));
  if (target === "none") return true;
  const status = asObject(olds.status);
  const seen: FlinkApplication = {
    apiVersion: FLINK_APPLICATION_API_VERSION,
    kind: FLINK_APPLICATION_KIND,
    metadata: { name: String(olds.name) },
    spec: {},
    status: {
      jobStatus: { state: status.jobState as string | undefined },
      lifecycleState: status.lifecycleState as string | undefined,
      error: status.error as string | undefined,
    },
  };
  return assessApplication(seen, target).state === "ready";
}

export async function updateApplication(
  ctx: OperationContext,
  id: string,
  olds: JsonObject,
  news: JsonObject,
): Promise<{ outs: JsonObject }> {
  const environment = news.environment as string;
  const name = news.name as string;
  const outcome = diffApplication(olds, news);
  try {
    if (outcome.changedCmfFields.length === 0 && outcome.changedSettings.length > 0) {
      if (!outcome.changedSettings.includes("connection") && lastSeenAtTarget(olds, news)) {
        return { outs: withNewSettings(olds, news, SETTING_FIELDS) };
      }
      // A new endpoint or credentials must reach this application before they are recorded; a rollout
      // that had not finished (a partial failure being retried) is waited for again. Reads only.
      const client = await ctx.client();
      const server = await client.applications.get(environment, name);
      if (!server) {
        throw new CmfProviderError(
          `Cannot ${outcome.changedSettings.includes("connection") ? "switch" : "update"} CMF application "${id}": it does not exist${outcome.changedSettings.includes("connection") ? " at the new connection" : ""}. If it moved or was deleted, run \`pulumi refresh\`.`,
        );
      }
      return { outs: await settle(ctx, client, server, news, false) };
    }
    const client = await ctx.client();
    if (outcome.changedCmfFields.length === 0) {
      // Nothing changed: the engine retries a resource whose previous rollout did not become ready.
      const server = await client.applications.get(environment, name);
      if (!server)
        throw new CmfProviderError(`CMF application "${id}" no longer exists; run \`pulumi refresh\`.`);
      return { outs: await settle(ctx, client, server, news, false) };
    }
    const shortcut = jobStateChangeOnly(olds, news, outcome);
    const server = shortcut
      ? await setJobState(client, environment, name, shortcut)
      : await client.applications.upsert(environment, applicationBody(news));
    const specChanged = outcome.changedCmfFields.includes("spec");
    return { outs: await settle(ctx, client, server, news, specChanged) };
  } catch (error) {
    if (error instanceof ResourceInitError) throw error;
    throw describeFailure(error, { action: `update CMF application "${id}"`, ...hints(environment) });
  }
}

export async function deleteApplication(ctx: OperationContext, id: string, props: JsonObject): Promise<void> {
  const { environment, name } = splitId(id);
  const timeoutSeconds = (props.timeoutSeconds as number | undefined) ?? DEFAULT_APPLICATION_TIMEOUT_SECONDS;
  try {
    const client = await ctx.client();
    await client.applications.delete(environment, name, {
      force: props.forceDelete === true,
      ignoreNotFound: true,
    });
    const gone = await poll(
      async () => {
        const app = await client.applications.get(environment, name);
        return app
          ? { done: false as const, value: app, detail: describeStatus(app) }
          : { done: true as const, value: undefined };
      },
      { timeoutMs: timeoutSeconds * 1000, ...ctx.poll },
    );
    if (gone.outcome !== "done") {
      throw new CmfProviderError(
        `CMF accepted the deletion of application "${id}" but still lists it after ${timeoutSeconds} s (last status: ${gone.outcome === "timeout" ? gone.detail : "unknown"}). Its Flink deployment may be stuck on a finalizer; \`forceDelete: true\` removes only CMF's record.`,
      );
    }
  } catch (error) {
    throw describeFailure(error, { action: `delete CMF application "${id}"`, ...hints(environment) });
  }
}

export const applicationKind = {
  check: (_olds: JsonObject, news: JsonObject) => checkApplication(asObject(news)),
  diff: diffApplication,
  create: createApplication,
  read: readApplication,
  update: updateApplication,
  delete: deleteApplication,
};
