/**
 * CmfStatement's adapter: the calls and shapes of CMF's `/environments/{env}/statements` (POST
 * creates, PUT of the whole statement changes `stopped`, `parallelism`, properties and configuration
 * under CMF's phase rules), the wait for the phase asked, FAILED reported with CMF's detail and latest
 * exceptions, and the `onDestroy` SQL. The id is `<environment>/<name>`.
 */
import { STATEMENT_KIND, type PostStatement, type Statement } from "../../models";
import type { CmfClient } from "../../client";
import type { OperationContext } from "../../core/context";
import { KindController, type KindAdapter } from "../../core/controller";
import { CmfProviderError, ResourceInitError } from "../../core/errors";
import { isPlainObject, project, type JsonObject, type Path } from "../../core/normalize";
import { poll } from "../../core/poll";
import { settingFields } from "../../core/schema";
import { objectBody, objectCalls, objectMarks, objectOutputs } from "../cmf-object";
import { environmentNotFoundHint, timeoutOf } from "../common";
import { assessStatement, describeStatement, isDdl, normalizeSql, statementTarget } from "./await";
import { statementDefinition, type StatementWaitFor } from "./definition";

const SETTING_FIELDS = settingFields(statementDefinition);
const WHOLE_MAPS: readonly Path[] = [["properties"], ["flinkConfiguration"]];
const EXCEPTIONS_SHOWN = 3;
const EXCEPTION_CHARS = 800;

/**
 * The outputs: the spec as CMF holds it, restricted to what was declared (properties and
 * configuration whole), with the declared SQL kept when CMF's copy differs only by its normalisation.
 */
export function statementOutputs(
  environment: string,
  server: Statement,
  declared: JsonObject,
  settingsSource: JsonObject,
): JsonObject {
  const spec = (project(server.spec, declared.spec, WHOLE_MAPS) ?? {}) as JsonObject;
  const declaredSql = isPlainObject(declared.spec) ? declared.spec.statement : undefined;
  if (
    typeof declaredSql === "string" &&
    typeof spec.statement === "string" &&
    normalizeSql(declaredSql) === normalizeSql(spec.statement)
  ) {
    spec.statement = declaredSql;
  }
  const status = server.status;
  return objectOutputs(
    { environment },
    server,
    {
      spec,
      phase: status?.phase,
      detail: status?.detail,
      warning: status?.warning,
      traits: status?.traits,
      results: server.result?.results?.data,
    },
    settingsSource,
    SETTING_FIELDS,
  );
}

function statementBody(inputs: JsonObject): PostStatement {
  return objectBody(STATEMENT_KIND, inputs, inputs.spec as PostStatement["spec"]);
}

async function latestExceptions(client: CmfClient, environment: string, name: string): Promise<string[]> {
  try {
    const exceptions = await client.statements.exceptions(environment, name);
    return exceptions.slice(0, EXCEPTIONS_SHOWN).map((e) => {
      const text = e.message.length > EXCEPTION_CHARS ? `${e.message.slice(0, EXCEPTION_CHARS)}…` : e.message;
      return `${e.timestamp}: ${e.name}: ${text.replace(/\n/g, "\n      ")}`;
    });
  } catch (error) {
    return [
      `(exceptions could not be read: ${error instanceof Error ? error.message.split("\n")[0] : String(error)})`,
    ];
  }
}

type Waited = { ok: true; statement: Statement } | { ok: false; statement: Statement; message: string };

async function waitForStatement(
  ctx: OperationContext,
  client: CmfClient,
  initial: Statement,
  environment: string,
  name: string,
  target: ReturnType<typeof statementTarget>,
  timeoutSeconds: number,
): Promise<Waited> {
  const id = `${environment}/${name}`;
  const asked = target === "RUNNING_OR_COMPLETED" ? "RUNNING or COMPLETED" : target;
  const first = assessStatement(initial, target);
  const result =
    first.state === "pending"
      ? await poll(
          async () => {
            const statement = await client.statements.get(environment, name);
            if (!statement)
              return { failed: true as const, value: initial, detail: "it disappeared from CMF" };
            const assessment = assessStatement(statement, target);
            if (assessment.state === "ready") return { done: true as const, value: statement };
            if (assessment.state === "failed")
              return { failed: true as const, value: statement, detail: assessment.detail };
            return { done: false as const, value: statement, detail: assessment.detail };
          },
          { timeoutMs: timeoutSeconds * 1000, ...ctx.poll },
        )
      : first.state === "ready"
        ? { outcome: "done" as const, value: initial }
        : { outcome: "failed" as const, value: initial, detail: first.detail };
  if (result.outcome === "done") return { ok: true, statement: result.value };
  if (result.outcome === "failed") {
    const exceptions = await latestExceptions(client, environment, name);
    return {
      ok: false,
      statement: result.value,
      message: [
        `CMF statement "${id}" failed while pulumi-cmf waited for it to be ${asked}: ${result.detail}.`,
        ...(exceptions.length > 0
          ? ["Latest exceptions (newest first):", ...exceptions.map((e) => `  - ${e}`)]
          : []),
        "The statement is recorded in the state; fix it (or the cause above) and run `pulumi up` again.",
      ].join("\n"),
    };
  }
  return {
    ok: false,
    statement: result.last ?? initial,
    message: `CMF statement "${id}" did not become ${asked} within ${timeoutSeconds} s (timeoutSeconds); last status: ${describeStatement(result.last)}. It is recorded in the state, and the next \`pulumi up\` waits again.`,
  };
}

async function settle(
  ctx: OperationContext,
  client: CmfClient,
  server: Statement,
  inputs: JsonObject,
): Promise<JsonObject> {
  const environment = inputs.environment as string;
  const name = inputs.name as string;
  const target = statementTarget(inputs.waitFor as StatementWaitFor | undefined, inputs.spec);
  const waited = await waitForStatement(ctx, client, server, environment, name, target, timeoutOf(inputs));
  const outs = statementOutputs(environment, waited.statement, inputs, inputs);
  if (!waited.ok) {
    throw new ResourceInitError(waited.message, `${environment}/${name}`, {
      ...outs,
      __provider: inputs.__provider,
    });
  }
  return outs;
}

/** Runs `sql` as a statement of its own on the pool of `props`, waits for COMPLETED, and deletes it. */
async function runOnDestroy(
  ctx: OperationContext,
  client: CmfClient,
  environment: string,
  name: string,
  props: JsonObject,
  sql: string,
): Promise<void> {
  const spec = props.spec as JsonObject;
  const helper = `${name.slice(0, 36)}-destroy`;
  await client.statements.delete(environment, helper, { ignoreNotFound: true });
  const created = await client.statements.create(environment, {
    apiVersion: "cmf.confluent.io/v1",
    kind: STATEMENT_KIND,
    metadata: { name: helper },
    spec: {
      statement: sql,
      computePoolName: spec.computePoolName as string,
      ...(isPlainObject(spec.properties) ? { properties: spec.properties as Record<string, string> } : {}),
    },
  });
  const waited = await waitForStatement(
    ctx,
    client,
    created,
    environment,
    helper,
    "COMPLETED",
    timeoutOf(props),
  );
  await client.statements.delete(environment, helper, { ignoreNotFound: true });
  if (!waited.ok) {
    throw new CmfProviderError(
      `The onDestroy SQL of CMF statement "${environment}/${name}" did not complete, so the statement was not deleted:\n${waited.message}`,
    );
  }
}

/** Exported for front ends that build their own controller (e.g. with the engine as `warn`). */
export const statementAdapter: KindAdapter<Statement> = {
  definition: statementDefinition,
  ...objectCalls(
    (client) => client.statements,
    ({ environment }) => [environment],
    statementBody,
  ),
  list: {
    page: async (client, { environment }, page, size) =>
      (await client.statements.list(environment, { page, size })).items,
    nameOf: (server) => server.metadata.name,
  },
  // Its own remove: the onDestroy SQL first.
  remove: async (client, { environment, name }, { force, props, ctx, warn }) => {
    if (typeof props.onDestroy === "string" && props.onDestroy.trim() !== "") {
      await runOnDestroy(ctx, client, environment, name, props, props.onDestroy);
    } else if (isDdl((props.traits as JsonObject | undefined)?.sqlKind)) {
      warn(
        `Deleting CMF statement "${environment}/${name}" does not undo its ${String((props.traits as JsonObject).sqlKind)}: what it created stays. Set \`onDestroy\` (e.g. "DROP TABLE ...") to undo it on destroy.`,
      );
    }
    await client.statements.delete(environment, name, { force, ignoreNotFound: true });
  },
  marks: objectMarks,
  outputs: ({ environment }, server, declared, settingsSource) =>
    statementOutputs(environment, server, declared, settingsSource),
  hints: ({ environment }) => ({
    notFoundHint: environmentNotFoundHint(environment, "statements"),
  }),
  settle: (ctx, client, server, inputs) => settle(ctx, client, server, inputs),
  lastSeenReady: (olds, news) =>
    assessStatement(
      {
        apiVersion: "",
        kind: STATEMENT_KIND,
        metadata: { name: String(olds.name) },
        spec: { statement: "", computePoolName: "" },
        status: { phase: String(olds.phase ?? "") },
      },
      statementTarget(news.waitFor as StatementWaitFor | undefined, news.spec),
    ).state === "ready",
  deleteTimeoutSeconds: timeoutOf,
  describe: describeStatement,
};

export const statementController = new KindController(statementAdapter);
