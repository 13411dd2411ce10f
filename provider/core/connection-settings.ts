/**
 * How pulumi-cmf reaches CMF, defined once: the resource `connection` input, the stack configuration
 * (`cmf:*`), the environment fallbacks, the plugin's provider configuration and the client's own
 * validation all come from this table and these rules. Pure data and pure functions.
 */
import type { CheckFailure, FieldDescriptor } from "./schema";

export interface ConnectionSetting {
  readonly type: "string" | "boolean" | "number";
  readonly description: string;
  readonly secret?: boolean;
  /** Environment variable read when neither the resource nor the stack configuration sets it. */
  readonly env?: string;
  /**
   * Its name in a resource's `connection` input, when it has one there (the embedded emulator is a
   * provider-level choice only); the stack configuration key is always `cmf:<setting name>`.
   */
  readonly input?: string;
}

export const CONNECTION_SETTINGS = {
  url: {
    type: "string",
    description: "CMF's base URL, e.g. `https://cmf.example.com:8080` (with or without `/cmf/api/v1`).",
    env: "CONFLUENT_CMF_URL",
    input: "url",
  },
  token: {
    type: "string",
    description: "Bearer token (OAuth/MDS), sent as `Authorization: Bearer <token>`. Stored as a secret.",
    secret: true,
    env: "CONFLUENT_CMF_TOKEN",
    input: "token",
  },
  caCertificate: {
    type: "string",
    description: "PEM bundle of the CAs that signed CMF's certificate (instead of the system CAs).",
    input: "caCertificate",
  },
  caCertificatePath: {
    type: "string",
    description: "Path of that PEM bundle, read by the provider at each operation.",
    env: "CONFLUENT_CMF_CERTIFICATE_AUTHORITY_PATH",
    input: "caCertificatePath",
  },
  clientCertificate: {
    type: "string",
    description: "Client certificate (PEM) for mTLS; needs the client key.",
    input: "clientCertificate",
  },
  clientCertificatePath: {
    type: "string",
    description: "Path of the client certificate.",
    env: "CONFLUENT_CMF_CLIENT_CERT_PATH",
    input: "clientCertificatePath",
  },
  clientKey: {
    type: "string",
    description: "Client private key (PEM) for mTLS. Stored as a secret.",
    secret: true,
    input: "clientKey",
  },
  clientKeyPath: {
    type: "string",
    description: "Path of the client private key.",
    env: "CONFLUENT_CMF_CLIENT_KEY_PATH",
    input: "clientKeyPath",
  },
  insecureSkipTlsVerify: {
    type: "boolean",
    description: "Accept any server certificate. Only for throwaway labs with self-signed certificates.",
    input: "insecureSkipTlsVerify",
  },
  timeoutSeconds: {
    type: "number",
    description: "Budget of one HTTP request attempt, in seconds, from 1 to 3600 (default 30).",
    input: "requestTimeoutSeconds",
  },
  emulator: {
    type: "string",
    description:
      "Path of a state file: serve every request from an embedded CMF emulator persisted there, instead of a CMF.",
    env: "CMF_EMULATOR",
  },
} as const satisfies Record<string, ConnectionSetting>;

export type ConnectionSettingName = keyof typeof CONNECTION_SETTINGS;

/** The settings in the order they are documented and read. */
export const CONNECTION_SETTING_NAMES = Object.keys(CONNECTION_SETTINGS) as ConnectionSettingName[];

type InputName<S> = S extends { input: infer I extends string } ? I : never;
type SettingValue<S> = S extends { type: "boolean" }
  ? boolean
  : S extends { type: "number" }
    ? number
    : string;

/** A resource's `connection` input (plain values), derived from the table. */
export type ConnectionInput = {
  url: string;
} & {
  [K in ConnectionSettingName as Exclude<InputName<(typeof CONNECTION_SETTINGS)[K]>, "url">]?: SettingValue<
    (typeof CONNECTION_SETTINGS)[K]
  >;
};

/** The stack configuration's `cmf:*` keys as the engine delivers them: strings. */
export type ProviderConfig = Partial<Record<ConnectionSettingName, string>>;

/** PEM material may be given inline or as a path, never both. */
export const PEM_PAIRS = [
  ["caCertificate", "caCertificatePath"],
  ["clientCertificate", "clientCertificatePath"],
  ["clientKey", "clientKeyPath"],
] as const;

/** Credentials and TLS material: taken from one place as a whole, never mixed across levels. */
export const CREDENTIAL_SETTINGS = [
  "token",
  "caCertificate",
  "caCertificatePath",
  "clientCertificate",
  "clientCertificatePath",
  "clientKey",
  "clientKeyPath",
] as const satisfies readonly ConnectionSettingName[];

/** Retries sized for CMF behind load balancers: 429/503 and dropped connections are retried. */
export const PROVIDER_RETRY = { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 5_000, deadlineMs: 120_000 };

export const MIN_TIMEOUT_SECONDS = 1;
export const MAX_TIMEOUT_SECONDS = 3600;

/**
 * Problems of a URL as a CMF endpoint, worded without the URL itself: it may carry credentials, and
 * check failures are printed and logged.
 */
export function urlProblem(value: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    return "must be an absolute URL such as https://cmf.example.com:8080";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "must use the http or https scheme";
  if (parsed.username !== "" || parsed.password !== "") {
    return "must not contain credentials (user:password@); set token instead";
  }
  if (parsed.search !== "" || parsed.hash !== "") return "must not have a query string or fragment";
  return undefined;
}

/** The request timeout, in seconds; one rule for the input, the stack config and the plugin. */
export function timeoutProblem(seconds: number): string | undefined {
  if (Number.isFinite(seconds) && seconds >= MIN_TIMEOUT_SECONDS && seconds <= MAX_TIMEOUT_SECONDS) {
    return undefined;
  }
  return `must be a number of seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS}`;
}

/** A bearer token goes into a header: printable ASCII only (a header-injection guard). */
export const TOKEN_PATTERN = /^[\x21-\x7e]+$/;

/** The token as sent (a leading `Bearer ` tolerated), or the problem; the value is never echoed. */
export function normalizeToken(raw: string): { token: string } | { problem: string } {
  const token = raw.trim().replace(/^bearer\s+/i, "");
  return TOKEN_PATTERN.test(token)
    ? { token }
    : { problem: "must be printable ASCII without spaces or line breaks" };
}

/** `"true"` / `"false"` as the stack configuration and environment variables spell booleans. */
export function parseBooleanSetting(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  return value === "true" ? true : value === "false" ? false : undefined;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

/**
 * The rules across settings, for one level (a `connection` input or the provider level). `name` maps a
 * setting to how the user spells it there (`connection.clientKey`, `cmf:clientKey`).
 */
export function crossSettingFailures(
  values: Partial<Record<ConnectionSettingName, unknown>>,
  name: (setting: ConnectionSettingName) => string,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const [inline, path] of PEM_PAIRS) {
    if (present(values[inline]) && present(values[path])) {
      failures.push({ property: name(inline), reason: `and ${name(path)} are both set; set only one` });
    }
  }
  const hasCert = present(values.clientCertificate) || present(values.clientCertificatePath);
  const hasKey = present(values.clientKey) || present(values.clientKeyPath);
  if (hasCert !== hasKey) {
    failures.push({
      property: name(hasCert ? "clientKey" : "clientCertificate"),
      reason: "is required for mTLS: set both the client certificate and the client key",
    });
  }
  const url = values.url;
  if (typeof url === "string" && url.trim().toLowerCase().startsWith("http:")) {
    const tls = (
      ["caCertificate", "caCertificatePath", "clientCertificate", "clientCertificatePath"] as const
    ).find((setting) => present(values[setting]));
    const culprit =
      tls ?? (values.insecureSkipTlsVerify === true ? ("insecureSkipTlsVerify" as const) : undefined);
    if (culprit) {
      failures.push({ property: name(culprit), reason: "is a TLS setting but the url uses http; use https" });
    }
  }
  return failures;
}

const inputSettings = CONNECTION_SETTING_NAMES.filter(
  (setting) => (CONNECTION_SETTINGS[setting] as ConnectionSetting).input !== undefined,
);

function inputName(setting: ConnectionSettingName): string {
  return (CONNECTION_SETTINGS[setting] as ConnectionSetting).input ?? setting;
}

/** Back from a `connection` input member to its setting. */
function settingOfInput(input: Record<string, unknown>): Partial<Record<ConnectionSettingName, unknown>> {
  return Object.fromEntries(inputSettings.map((setting) => [setting, input[inputName(setting)]]));
}

/** The `connection` input as a field descriptor: its members, their types and every rule above. */
export const CONNECTION_FIELD: FieldDescriptor = {
  type: "object",
  role: "setting",
  secret: true,
  description:
    "How to reach CMF when it is not the stack configuration (`cmf:url`, ...) or CONFLUENT_CMF_URL. Used as a whole: none of its credentials is combined with settings from elsewhere.",
  fields: Object.fromEntries(
    inputSettings.map((setting): [string, FieldDescriptor] => {
      const s: ConnectionSetting = CONNECTION_SETTINGS[setting];
      return [
        inputName(setting),
        {
          type: s.type,
          description: s.description,
          ...(s.secret ? { secret: true } : {}),
          ...(setting === "url"
            ? {
                required: true,
                requiredReason: "is required when connection is set",
                rules: [(value: unknown, property: string) => problemAt(property, urlProblem(String(value)))],
              }
            : {}),
          ...(setting === "timeoutSeconds"
            ? {
                rules: [
                  (value: unknown, property: string) => problemAt(property, timeoutProblem(Number(value))),
                ],
              }
            : {}),
        },
      ];
    }),
  ),
  rules: [
    (value, property) =>
      crossSettingFailures(
        settingOfInput(value as Record<string, unknown>),
        (s) => `${property}.${inputName(s)}`,
      ),
  ],
};

function problemAt(property: string, problem: string | undefined): CheckFailure[] {
  return problem === undefined ? [] : [{ property, reason: problem }];
}
