/**
 * CmfSecret's adapter: the calls and shapes of CMF's `/secrets` (POST creates, PUT replaces). CMF
 * never returns the values, so the outputs keep digests of the values pulumi-cmf wrote, and a refresh
 * tells an outside change from CMF's `status.version` only. The id is the secret name.
 */
import { createHmac } from "node:crypto";
import { SECRET_KIND, type Secret } from "../../models";
import { KindController, type KindAdapter } from "../../core/controller";
import { isPlainObject, type JsonObject } from "../../core/normalize";
import { settingFields } from "../../core/schema";
import { objectBody, objectCalls, objectMarks, objectOutputs } from "../cmf-object";
import { secretDefinition } from "./definition";

const SETTING_FIELDS = settingFields(secretDefinition);
const DELETE_TIMEOUT_SECONDS = 60;

/** What `data` holds after a refresh that found another version: never a value, only its keys. */
export const CHANGED_OUTSIDE_PULUMI = "(changed outside Pulumi)";

const DIGEST_PREFIX = "hmac-sha256:";

/**
 * The outputs hold a digest of each value, never the value: outputs travel in the engine's RPC
 * answers, which `pulumi up --debug` prints. The key is the secret's uid (its name before CMF
 * reports one), so equal values of two secrets do not look alike.
 */
export function digestData(data: unknown, key: string): unknown {
  if (!isPlainObject(data)) return data;
  return Object.fromEntries(
    Object.entries(data).map(([name, value]) => [
      name,
      typeof value === "string" && !value.startsWith(DIGEST_PREFIX)
        ? `${DIGEST_PREFIX}${createHmac("sha256", key).update(value).digest("hex")}`
        : value,
    ]),
  );
}

function digestKey(server: { metadata: { uid?: string | null; name: string } }): string {
  return server.metadata.uid ?? server.metadata.name;
}

/** The inputs as the outputs hold them: `data` digested with the key of the object in the state. */
export function comparableInputs(news: JsonObject, olds: JsonObject): JsonObject {
  const key = (olds.uid as string | undefined) ?? (olds.name as string | undefined) ?? "";
  return { ...news, data: digestData(news.data, key) };
}

/**
 * The `data` output, as digests:
 * - right after a write (`declared` are the inputs, which carry no version): of the values written;
 * - on a refresh that finds the version pulumi-cmf last saw: the digests in the state;
 * - otherwise (changed outside Pulumi, or imported): CMF's keys with a marker for a value, so that
 *   the next diff finds `data` changed. CMF's masked values are never compared with the real ones.
 */
export function secretData(server: Secret, declared: JsonObject): unknown {
  const written = declared.version === undefined && declared.data !== undefined;
  if (written || (declared.version !== undefined && declared.version === server.status?.version)) {
    return digestData(declared.data, digestKey(server));
  }
  const keys = isPlainObject(server.spec?.data) ? Object.keys(server.spec.data) : [];
  return Object.fromEntries(keys.map((key) => [key, CHANGED_OUTSIDE_PULUMI]));
}

export function secretOutputs(server: Secret, declared: JsonObject, settingsSource: JsonObject): JsonObject {
  return objectOutputs(
    {},
    server,
    {
      data: secretData(server, declared),
      version: server.status?.version,
      environments: server.status?.environments,
    },
    settingsSource,
    SETTING_FIELDS,
  );
}

/** Exported for front ends that build their own controller (e.g. with the engine as `warn`). */
export const secretAdapter: KindAdapter<Secret> = {
  definition: secretDefinition,
  ...objectCalls(
    (client) => client.secrets,
    () => [],
    (inputs) => objectBody(SECRET_KIND, inputs, { data: inputs.data as Record<string, string> }),
  ),
  marks: objectMarks,
  outputs: (_names, server, declared, settingsSource) => secretOutputs(server, declared, settingsSource),
  hints: () => ({
    conflictHint:
      "CMF refuses to delete a secret that an environment still maps. Declare each CmfSecretMapping with `secret: <the CmfSecret>` so that Pulumi deletes the mappings first.",
  }),
  comparable: comparableInputs,
  deleteTimeoutSeconds: () => DELETE_TIMEOUT_SECONDS,
  describe: () => "still listed by CMF",
};

export const secretController = new KindController(secretAdapter);
