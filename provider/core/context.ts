import type { CmfClient } from "../client";
import { isPlainObject, prune, type JsonObject } from "./normalize";

/** What a CRUD operation gets from the runtime: a client for the resource's connection, and timing. */
export interface OperationContext {
  /** Resolved lazily, so that operations that need no CMF call never fail on a missing endpoint. */
  client(): Promise<CmfClient>;
  /** Poll intervals while waiting; defaults suit a real CMF. */
  poll?: { initialIntervalMs?: number; maxIntervalMs?: number };
}

/** Inputs every kind stores but never sends to CMF. */
export const COMMON_SETTING_FIELDS = ["connection", "adopt", "forceDelete"] as const;

/** The provider-only settings of `inputs`, as they are stored in the outputs. */
export function settingsOf(inputs: JsonObject, fields: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const field of [...fields, "owner"]) {
    if (inputs[field] !== undefined && inputs[field] !== null) out[field] = inputs[field];
  }
  return out;
}

/** Objects are `JsonObject`s everywhere in the runtime; anything else (a missing props bag) is `{}`. */
export function asObject(value: unknown): JsonObject {
  return isPlainObject(value) ? value : {};
}

/** Outputs ready for the engine: no `undefined`, `null` or empty members (a Struct cannot hold them). */
export function finalOutputs(outputs: JsonObject): JsonObject {
  return (prune(outputs) as JsonObject | undefined) ?? {};
}

/** Outputs after a change of settings only: CMF's fields as last seen, the new settings. */
export function withNewSettings(
  olds: JsonObject,
  news: JsonObject,
  settingFields: readonly string[],
): JsonObject {
  const kept: JsonObject = { ...olds };
  for (const field of [...settingFields, "owner", "__provider"]) delete kept[field];
  return finalOutputs({ ...kept, ...settingsOf(news, settingFields) });
}
