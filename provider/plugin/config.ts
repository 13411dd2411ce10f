/**
 * The provider configuration (`cmf:url`, `cmf:token`, ... or an explicit `cmf.Provider`'s arguments):
 * validated at preview (CheckConfig), compared (DiffConfig) and handed to the core (Configure). The
 * settings, their types and their rules are the core's connection table; this only adapts the shapes
 * the engine sends (typed values or strings, secrets unwrapped) to the strings the core reads. Pure.
 */
import {
  CONNECTION_SETTINGS,
  CONNECTION_SETTING_NAMES,
  crossSettingFailures,
  normalizeToken,
  parseBooleanSetting,
  timeoutProblem,
  urlProblem,
  type ConnectionSettingName,
  type ProviderConfig,
} from "../core/connection-settings";
import type { CheckFailure } from "../core/schema";
import { resolveEndpoint } from "../resources/connection";
import { CmfProviderError } from "../core/errors";
import { isPlainObject, type JsonObject } from "../core/normalize";
import { UNKNOWN } from "../core/unknown";
import type { PropertyChange } from "./detailed-diff";

/** Keys the engine adds to every provider's configuration. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

function isSetting(key: string): key is ConnectionSettingName {
  return (CONNECTION_SETTING_NAMES as readonly string[]).includes(key);
}

/** How a user spells the setting in the stack configuration (and so in messages). */
function configName(setting: string): string {
  return `cmf:${setting}`;
}

/** A value as the stack configuration holds it: text, whatever type the engine delivered it as. */
function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** The configuration the core reads: strings keyed by setting, empty values left out. */
export function providerConfig(args: JsonObject): ProviderConfig {
  const config: ProviderConfig = {};
  for (const setting of CONNECTION_SETTING_NAMES) {
    const text = asText(args[setting]);
    if (text !== undefined && text.trim() !== "" && text !== UNKNOWN) config[setting] = text;
  }
  return config;
}

/**
 * The configuration from a ConfigureRequest's `variables` (`cmf:config:url` in old engines, `cmf:url`
 * in newer ones), when it carries no `args`.
 */
export function argsFromVariables(variables: Iterable<[string, string]>): JsonObject {
  const args: JsonObject = {};
  for (const [key, value] of variables) {
    const setting = key.replace(/^cmf:(config:)?/, "");
    if (isSetting(setting)) args[setting] = value;
  }
  return args;
}

function failure(setting: string, reason: string): CheckFailure {
  // The engine prints a failure with the property's value next to it; a secret's is never shown.
  const secret = isSetting(setting) && (CONNECTION_SETTINGS[setting] as { secret?: boolean }).secret === true;
  return secret
    ? { property: "", reason: `${configName(setting)} ${reason}` }
    : { property: setting, reason };
}

function typeFailure(setting: ConnectionSettingName, value: unknown): CheckFailure | undefined {
  const type = CONNECTION_SETTINGS[setting].type;
  const text = asText(value);
  if (text === undefined) return failure(setting, `must be a ${type}`);
  if (type === "boolean" && typeof value !== "boolean" && parseBooleanSetting(text) === undefined) {
    return failure(setting, 'must be "true" or "false"');
  }
  if (type === "number" && typeof value !== "number" && !Number.isFinite(Number(text.trim()))) {
    return failure(setting, `must be a number (got ${JSON.stringify(text)})`);
  }
  return undefined;
}

function ruleFailure(setting: ConnectionSettingName, text: string): CheckFailure | undefined {
  let problem: string | undefined;
  if (setting === "url") problem = urlProblem(text);
  else if (setting === "token") {
    const token = normalizeToken(text);
    problem = "problem" in token ? token.problem : undefined;
  } else if (setting === "timeoutSeconds") problem = timeoutProblem(Number(text.trim()));
  return problem === undefined ? undefined : failure(setting, problem);
}

/**
 * Every problem of the provider configuration as given (environment variables are read at each
 * operation, so a missing URL is not a failure here). Values not known yet are skipped.
 */
export function checkConfig(args: JsonObject): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const known: Partial<Record<ConnectionSettingName, unknown>> = {};
  for (const [key, value] of Object.entries(args)) {
    if (ENGINE_KEYS.has(key) || value === undefined || value === null || value === UNKNOWN) continue;
    if (!isSetting(key)) {
      failures.push({
        property: key,
        reason: `is not a cmf setting; the settings are ${CONNECTION_SETTING_NAMES.map(configName).join(", ")}`,
      });
      continue;
    }
    const typeProblem = typeFailure(key, value);
    if (typeProblem) {
      failures.push(typeProblem);
      continue;
    }
    const text = asText(value) as string;
    const ruleProblem = ruleFailure(key, text);
    if (ruleProblem) failures.push(ruleProblem);
    known[key] = CONNECTION_SETTINGS[key].type === "boolean" ? (parseBooleanSetting(text) ?? value) : value;
  }
  if (failures.length > 0) return failures;
  for (const cross of crossSettingFailures(known, configName)) failures.push(cross);
  if (failures.length > 0) return failures;
  // The rules that pick the endpoint (e.g. a URL and the embedded emulator both set), at this level only.
  try {
    resolveEndpoint(undefined, providerConfig(args), {}, "check the cmf provider configuration");
  } catch (error) {
    if (error instanceof CmfProviderError && "setting" in error) {
      failures.push({ property: "", reason: error.message });
    }
  }
  return failures;
}

/**
 * What changed between two configurations. Never a replacement: the configuration says how to reach
 * CMF, and CMF objects stay the same objects whatever the endpoint or credentials.
 */
export function diffConfig(olds: JsonObject, news: JsonObject): PropertyChange[] {
  const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
    (key) => !ENGINE_KEYS.has(key),
  );
  const changes: PropertyChange[] = [];
  for (const key of keys.sort()) {
    const before = isPlainObject(olds[key]) ? JSON.stringify(olds[key]) : asText(olds[key]);
    const after = isPlainObject(news[key]) ? JSON.stringify(news[key]) : asText(news[key]);
    if (before === after && after !== UNKNOWN) continue;
    const kind = before === undefined ? "add" : after === undefined ? "delete" : "update";
    changes.push({ path: key, kind, replace: false });
  }
  return changes;
}
