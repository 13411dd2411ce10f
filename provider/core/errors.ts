/**
 * Errors the provider raises and how CMF's errors are presented. Pulumi prints only `message`, so each
 * message says what was being done, what CMF answered, and what to do next. None ever carries a token,
 * a client key or a URL's credentials.
 */
import { CmfApiError, CmfConfigurationError, CmfConnectionError } from "../client/errors";

export class CmfProviderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    // The dynamic-provider host logs every failure as `${error}: ${error.stack}` besides returning it
    // (which the CLI shows on the resource); a stack trace would only repeat the message, so the log
    // line reads "<name>: <message>" once.
    this.stack = message;
  }

  override toString(): string {
    return this.name;
  }
}

const ENDPOINT_HELP = [
  "Tell pulumi-cmf where CMF is, in one of three ways:",
  '  1. on the resource: `connection: { url: "https://cmf.example.com:8080", token: ... }`',
  "  2. in the stack configuration: `pulumi config set cmf:url https://cmf.example.com:8080`",
  "     (and `pulumi config set --secret cmf:token ...` when CMF needs a token)",
  "  3. in the environment of the `pulumi` process: CONFLUENT_CMF_URL (and CONFLUENT_CMF_TOKEN)",
  "For a local, hermetic run without any CMF, set `cmf:emulator` (or CMF_EMULATOR) to a state file path.",
].join("\n");

/** No endpoint anywhere: raised at the first operation that needs CMF (never during check). */
export class MissingEndpointError extends CmfProviderError {
  constructor(what: string) {
    super(`Cannot ${what}: no CMF endpoint is configured.\n${ENDPOINT_HELP}`);
  }
}

/** A provider-level setting (stack config or environment variable) is unusable. */
export class ConnectionSettingsError extends CmfProviderError {
  readonly setting: string;

  constructor(setting: string, problem: string) {
    const fromConfig = /(^| )cmf:/.test(setting);
    super(
      `Invalid CMF connection setting ${setting}: ${problem}` +
        (fromConfig
          ? "\n`pulumi refresh` and `pulumi destroy` use the stack configuration recorded at the last `pulumi up`: if you fixed it since, run `pulumi up` first, or pass `--run-program`."
          : ""),
    );
    this.setting = setting;
  }
}

/** A lookup (`getCmfEnvironment`, ...) got arguments it cannot use: one line per argument and rule. */
export class LookupArgumentsError extends CmfProviderError {
  readonly failures: readonly { property: string; reason: string }[];

  constructor(lookup: string, failures: readonly { property: string; reason: string }[]) {
    super(
      [`Invalid arguments of ${lookup}:`, ...failures.map((f) => `  ${f.property}: ${f.reason}`)].join("\n"),
    );
    this.failures = failures;
  }
}

/**
 * A lookup found no such object. `where` is CMF's URL (never with credentials: they are refused in
 * URLs) or the embedded emulator's data file, since a lookup aimed at the wrong CMF is the usual cause.
 */
export class ObjectNotFoundError extends CmfProviderError {
  readonly where: string;

  constructor(what: string, where: string, lookup: string) {
    super(
      `${what} not found at ${where}.\n${lookup} reads objects that already exist; check the name, and that the lookup reaches the CMF that holds it (its \`connection\`, else \`cmf:url\` or CONFLUENT_CMF_URL).`,
    );
    this.where = where;
  }
}

/** The object already exists in CMF and this resource was not told to take it over. */
export class AdoptionRequiredError extends CmfProviderError {
  constructor(what: string, owner: string | undefined) {
    const lines = [
      `${what} already exists in CMF, and this resource does not manage it yet.`,
      owner === undefined
        ? "It was not created by pulumi-cmf (or by a version that did not mark its objects)."
        : `It was created by another pulumi-cmf resource (${owner}).`,
      "To take it over, set `adopt: true` on the resource and run `pulumi up` again: pulumi-cmf then",
      "updates the existing object to match the program instead of creating it. (`pulumi import` and the",
      "`import` resource option do not work for dynamic providers.) Otherwise choose another name.",
    ];
    super(lines.join("\n"));
  }
}

/** The object is managed by Confluent for Kubernetes: pulumi-cmf neither takes it over nor changes it. */
export class CfkManagedError extends CmfProviderError {
  constructor(what: string, manager: string, action: "adopt" | "update" | "delete") {
    const verb = { adopt: "create or adopt", update: "update", delete: "delete" }[action];
    super(
      [
        `${what} is managed by Confluent for Kubernetes (CFK): it carries \`cmf.platform.confluent.io/managed-by: ${manager}\`.`,
        `pulumi-cmf does not ${verb} objects CFK manages (as the Confluent CLI refuses to): change it through its CFK custom resource,`,
        "or choose another name for this resource.",
      ].join("\n"),
    );
  }
}

/** The object now carries another resource's owner marker: update leaves it alone. */
export class OwnedElsewhereError extends CmfProviderError {
  constructor(what: string, marker: string, owner: string) {
    super(
      [
        `${what} is now managed by another pulumi-cmf resource (${marker}), not by this one (${owner}), so pulumi-cmf leaves it as it is.`,
        ...HAND_OVER,
      ].join("\n"),
    );
  }
}

/** How to hand an object from one pulumi-cmf resource (or stack) to another; in errors and warnings. */
export const HAND_OVER = [
  "It was adopted (`adopt: true`) by that resource, perhaps in another stack. To hand it over:",
  "  - to let that resource keep it, make this stack forget it: `pulumi state delete <this resource's URN>`",
  "    (`pulumi stack --show-urns` lists them); the object stays in CMF;",
  "  - to take it back here, make the other stack forget it the same way, then here run",
  "    `pulumi state delete <URN>` and `pulumi up` with `adopt: true` on this resource.",
];

/**
 * CMF accepted the object but it did not become ready. Carrying `id` and `properties` makes the Pulumi
 * host report a partial failure (`ErrorResourceInitFailed`): the object is recorded in the state,
 * never orphaned, and the next `pulumi up` updates it and waits again.
 */
export class ResourceInitError extends CmfProviderError {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(message: string, id: string, properties: Record<string, unknown>) {
    super(message);
    this.id = id;
    this.properties = properties;
    this.reasons = [message];
  }
}

function hintFor(error: CmfApiError, context: ErrorContext): string | undefined {
  switch (error.status) {
    case 401:
      return "CMF did not accept the credentials: check the token (connection.token, cmf:token or CONFLUENT_CMF_TOKEN).";
    case 403:
      return "The credentials lack a permission for this operation: check the principal's CMF role bindings.";
    case 404:
      return context.notFoundHint;
    case 409:
      return context.conflictHint;
    default:
      return undefined;
  }
}

export interface ErrorContext {
  /** "create CMF application prod/orders" */
  action: string;
  notFoundHint?: string;
  conflictHint?: string;
}

/** CMF's own messages, prefixed with what was being done and followed by a hint when one helps. */
export function describeFailure(error: unknown, context: ErrorContext): Error {
  if (error instanceof CmfProviderError) return error;
  if (error instanceof CmfApiError) {
    const hint = hintFor(error, context);
    return new CmfProviderError(`Failed to ${context.action}: ${error.message}${hint ? `\n${hint}` : ""}`, {
      cause: error,
    });
  }
  if (error instanceof CmfConnectionError) {
    return new CmfProviderError(
      `Failed to ${context.action}: ${error.message}\nCheck that CMF runs and that the endpoint (connection.url, cmf:url or CONFLUENT_CMF_URL) is right.`,
      { cause: error },
    );
  }
  if (error instanceof CmfConfigurationError) {
    return new CmfProviderError(`Failed to ${context.action}: ${error.message}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CmfProviderError(`Failed to ${context.action}: ${message}`, { cause: error });
}
