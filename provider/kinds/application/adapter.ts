/**
 * CmfApplication's adapter: the calls and shapes of CMF's `/environments/{env}/applications` (an upsert
 * keyed by name), waiting for the rollout, and start/suspend for a change of the job state only. The id
 * is `<environment>/<name>`. Everything else is the generic controller's.
 */
import {
  FLINK_APPLICATION_API_VERSION,
  FLINK_APPLICATION_KIND,
  type FlinkApplication,
  type PostFlinkApplication,
} from "../../models";
import type { CmfClient } from "../../client";
import { CmfApiError, CmfConnectionError } from "../../client/errors";
import { isRetryableStatus } from "../../client/retry-policy";
import { asObject, finalOutputs, settingsOf, type OperationContext } from "../../core/context";
import { KindController, type KindAdapter } from "../../core/controller";
import type { DiffOutcome } from "../../core/diff";
import { ResourceInitError } from "../../core/errors";
import { deepEqual, isPlainObject, project, prune, without, type JsonObject } from "../../core/normalize";
import { annotationsWithOwner, OWNER_ANNOTATION } from "../../core/ownership";
import { poll } from "../../core/poll";
import { settingFields } from "../../core/schema";
import { assessApplication, describeStatus, waitTarget } from "./await";
import {
  applicationDefinition,
  DEFAULT_APPLICATION_TIMEOUT_SECONDS,
  jobStateOf,
  type ApplicationStatusOutput,
  type WaitFor,
} from "./definition";

const SETTING_FIELDS = settingFields(applicationDefinition);

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
  return error instanceof CmfApiError && isRetryableStatus(error.status);
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

/** Exported for front ends that build their own controller (e.g. with the engine as `warn`). */
export const applicationAdapter: KindAdapter<FlinkApplication> = {
  definition: applicationDefinition,
  get: (client, { environment, name }) => client.applications.get(environment, name),
  list: {
    page: async (client, { environment }, page, size) =>
      (await client.applications.list(environment, { page, size })).items,
    nameOf: (server) => server.metadata.name,
  },
  upsert: (client, { environment }, inputs) =>
    client.applications.upsert(environment, applicationBody(inputs)),
  remove: (client, { environment, name }, { force }) =>
    client.applications.delete(environment, name, { force, ignoreNotFound: true }),
  marks: (server) => ({ annotations: server.metadata.annotations, labels: server.metadata.labels }),
  outputs: ({ environment }, server, declared, settingsSource) =>
    applicationOutputs(environment, server, declared, settingsSource),
  hints: ({ environment }) => ({
    notFoundHint: `CMF environment "${environment}" does not exist. If this program declares it with a CmfEnvironment, it was deleted outside Pulumi: run \`pulumi refresh\`, then \`pulumi up\` recreates it before its applications. Otherwise declare it with a CmfEnvironment and pass that resource (or its \`name\` output) as \`environment\`, so that Pulumi creates it first: a CMF environment must exist before its applications.`,
  }),
  settle,
  write: async (client, { environment, name }, olds, news, outcome) => {
    const shortcut = jobStateChangeOnly(olds, news, outcome);
    return shortcut ? setJobState(client, environment, name, shortcut) : undefined;
  },
  startsRollout: (outcome) => outcome.changedCmfFields.includes("spec"),
  lastSeenReady: lastSeenAtTarget,
  deleteTimeoutSeconds: (props) =>
    (props.timeoutSeconds as number | undefined) ?? DEFAULT_APPLICATION_TIMEOUT_SECONDS,
  describe: describeStatus,
  stuckDeleteHint:
    "Its Flink deployment may be stuck on a finalizer; `forceDelete: true` removes only CMF's record.",
};

export const applicationController = new KindController(applicationAdapter);
