/**
 * Where a resource's requests go. Pure: the stack configuration and the environment are passed in.
 *
 * Order:
 * 1. the resource's `connection` input, taken as a whole (its credentials are never mixed with
 *    settings from elsewhere, so a token meant for one CMF is never sent to another);
 * 2. the provider level: each `cmf:*` stack configuration key, falling back key by key to its
 *    environment variable (Confluent CLI names where they exist);
 * 3. nothing: an error listing the three ways to set the endpoint.
 * `cmf:emulator` / CMF_EMULATOR select the embedded emulator instead of a URL; setting both an URL and
 * the emulator at the same level is an error, so the emulator is never chosen silently.
 */
import type { CmfConnection } from "../client";
import {
  CONNECTION_SETTING_NAMES,
  CONNECTION_SETTINGS,
  CREDENTIAL_SETTINGS,
  crossSettingFailures,
  parseBooleanSetting,
  PROVIDER_RETRY,
  timeoutProblem,
  urlProblem,
  type ConnectionInput,
  type ConnectionSetting,
  type ConnectionSettingName,
  type ProviderConfig,
} from "../core/connection-settings";
import { ConnectionSettingsError, MissingEndpointError } from "../core/errors";

export type { ProviderConfig };

export const CONFIG_KEYS: readonly ConnectionSettingName[] = CONNECTION_SETTING_NAMES;

/** Environment variable behind each provider-level key, when there is one. */
export const ENVIRONMENT_VARIABLES: Partial<Record<ConnectionSettingName, string>> = Object.fromEntries(
  CONNECTION_SETTING_NAMES.flatMap((name) => {
    const env = (CONNECTION_SETTINGS[name] as ConnectionSetting).env;
    return env === undefined ? [] : [[name, env]];
  }),
);

export type Endpoint =
  | { kind: "cmf"; connection: CmfConnection; source: string }
  | { kind: "emulator"; dataFile: string; source: string };

/** Reads the `cmf:*` keys through the dynamic provider's `ConfigureRequest.config`. */
export function readProviderConfig(get: (key: string) => string | undefined): ProviderConfig {
  const config: ProviderConfig = {};
  for (const key of CONFIG_KEYS) {
    const value = get(`cmf:${key}`);
    if (typeof value === "string" && value.trim() !== "") config[key] = value;
  }
  return config;
}

function present(value: string | undefined): value is string {
  return typeof value === "string" && value.trim() !== "";
}

function fromResource(connection: ConnectionInput): CmfConnection {
  const out: CmfConnection = { url: connection.url, retry: PROVIDER_RETRY };
  for (const key of CREDENTIAL_SETTINGS) {
    const value = connection[key];
    if (present(value)) out[key] = value;
  }
  if (connection.insecureSkipTlsVerify === true) out.insecureSkipTlsVerify = true;
  if (typeof connection.requestTimeoutSeconds === "number") {
    out.timeoutMs = Math.round(connection.requestTimeoutSeconds * 1000);
  }
  return out;
}

interface Layered {
  value: string;
  origin: string;
}

function layered(
  config: ProviderConfig,
  env: NodeJS.ProcessEnv,
  key: keyof ProviderConfig,
): Layered | undefined {
  const fromConfig = config[key];
  if (present(fromConfig)) return { value: fromConfig, origin: `cmf:${key}` };
  const variable = ENVIRONMENT_VARIABLES[key];
  const fromEnv = variable === undefined ? undefined : env[variable];
  if (variable !== undefined && present(fromEnv)) return { value: fromEnv, origin: variable };
  return undefined;
}

function parseBoolean(setting: Layered): boolean {
  const value = parseBooleanSetting(setting.value);
  if (value === undefined) throw new ConnectionSettingsError(setting.origin, 'must be "true" or "false"');
  return value;
}

function parseSeconds(setting: Layered): number {
  const seconds = Number(setting.value.trim());
  const problem = setting.value.trim() === "" ? "is empty" : timeoutProblem(seconds);
  if (problem) throw new ConnectionSettingsError(setting.origin, `${problem} (got "${setting.value}")`);
  return seconds;
}

function fromProviderLevel(config: ProviderConfig, env: NodeJS.ProcessEnv, what: string): Endpoint {
  const url = layered(config, env, "url");
  const emulator = layered(config, env, "emulator");
  if (emulator) {
    const emulatorEndpoint: Endpoint = {
      kind: "emulator",
      dataFile: emulator.value.trim(),
      source: emulator.origin,
    };
    if (!url) return emulatorEndpoint;
    const emulatorFromConfig = emulator.origin.startsWith("cmf:");
    if (emulatorFromConfig === url.origin.startsWith("cmf:")) {
      throw new ConnectionSettingsError(
        `${url.origin} and ${emulator.origin}`,
        "are both set; set either the CMF endpoint or the embedded emulator, not both",
      );
    }
    // Stack configuration outranks the environment.
    if (emulatorFromConfig) return emulatorEndpoint;
  }
  if (!url) throw new MissingEndpointError(what);
  const urlIssue = urlProblem(url.value);
  if (urlIssue) throw new ConnectionSettingsError(url.origin, urlIssue);
  const connection: CmfConnection = { url: url.value.trim(), retry: PROVIDER_RETRY };
  const origins: Partial<Record<ConnectionSettingName, string>> = { url: url.origin };
  for (const key of CREDENTIAL_SETTINGS) {
    const setting = layered(config, env, key);
    if (setting) {
      connection[key] = setting.value;
      origins[key] = setting.origin;
    }
  }
  const insecure = layered(config, env, "insecureSkipTlsVerify");
  if (insecure && parseBoolean(insecure)) {
    connection.insecureSkipTlsVerify = true;
    origins.insecureSkipTlsVerify = insecure.origin;
  }
  const [problem] = crossSettingFailures(connection, (key) => origins[key] ?? `cmf:${key}`);
  if (problem) throw new ConnectionSettingsError(problem.property, problem.reason);
  const timeout = layered(config, env, "timeoutSeconds");
  if (timeout) connection.timeoutMs = Math.round(parseSeconds(timeout) * 1000);
  return { kind: "cmf", connection, source: url.origin };
}

/**
 * @param what for the error message when nothing is configured, e.g. "create CMF environment prod"
 */
export function resolveEndpoint(
  resourceConnection: ConnectionInput | undefined,
  config: ProviderConfig,
  env: NodeJS.ProcessEnv,
  what: string,
): Endpoint {
  if (resourceConnection !== undefined && resourceConnection !== null && present(resourceConnection.url)) {
    return { kind: "cmf", connection: fromResource(resourceConnection), source: "connection" };
  }
  return fromProviderLevel(config, env, what);
}
