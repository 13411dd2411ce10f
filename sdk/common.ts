import * as pulumi from "@pulumi/pulumi";

/**
 * A value where every member, at any depth, may also be a `pulumi.Input` (an `Output` of another
 * resource, or a promise).
 */
export type DeepInput<T> = T extends readonly (infer U)[]
  ? pulumi.Input<DeepInput<U>[]>
  : T extends object
    ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }>
    : pulumi.Input<T>;

/** Flink configuration as users write it: numbers and booleans are sent to CMF as strings. */
export type FlinkConfigurationArgs = Record<string, string | number | boolean>;

/** `T` with its `flinkConfiguration` member widened to {@link FlinkConfigurationArgs}. */
export type WithFlinkConfigurationArgs<T> = {
  [K in keyof T]: K extends "flinkConfiguration" ? FlinkConfigurationArgs | undefined : T[K];
};

/**
 * How one resource reaches CMF, overriding the stack configuration (`cmf:*`) and the environment
 * variables. It is used as a whole: none of its credentials is combined with settings from elsewhere.
 * `token` and `clientKey` are stored as Pulumi secrets.
 */
export interface CmfConnectionArgs {
  /** CMF's base URL, e.g. `https://cmf.example.com:8080` (with or without `/cmf/api/v1`). */
  url: pulumi.Input<string>;
  /** Bearer token (OAuth/MDS). Stored as a secret. */
  token?: pulumi.Input<string>;
  /** PEM bundle of the CAs that signed CMF's certificate (instead of the system CAs). */
  caCertificate?: pulumi.Input<string>;
  /** Path of that PEM bundle, read by the provider at each operation. */
  caCertificatePath?: pulumi.Input<string>;
  /** Client certificate (PEM) for mTLS. */
  clientCertificate?: pulumi.Input<string>;
  /** Path of the client certificate. */
  clientCertificatePath?: pulumi.Input<string>;
  /** Client private key (PEM) for mTLS. Stored as a secret. */
  clientKey?: pulumi.Input<string>;
  /** Path of the client private key. */
  clientKeyPath?: pulumi.Input<string>;
  /** Accept any server certificate. Only for throwaway labs. */
  insecureSkipTlsVerify?: pulumi.Input<boolean>;
  /** Budget of one HTTP request attempt, in seconds (default 30). */
  requestTimeoutSeconds?: pulumi.Input<number>;
}

const SECRET_FIELDS = new Set(["token", "clientKey"]);

/**
 * The connection as a resource input, with `token` and `clientKey` wrapped as secrets. When the whole
 * connection is itself an `Output`, its members cannot be told apart before it resolves, so all of it
 * becomes secret.
 */
export function secretConnection(
  connection: pulumi.Input<CmfConnectionArgs> | undefined,
): pulumi.Input<unknown> | undefined {
  if (connection === undefined || connection === null) return undefined;
  if (pulumi.Output.isInstance(connection) || connection instanceof Promise) return pulumi.secret(connection);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(connection)) {
    if (value === undefined) continue;
    out[key] = SECRET_FIELDS.has(key) ? pulumi.secret(value as pulumi.Input<string>) : value;
  }
  return out;
}

/**
 * `<project>/<stack>/<logical name>`: written by the provider as the `pulumi-cmf/owner` annotation, so
 * that a `pulumi up` interrupted after CMF created an object (but before Pulumi recorded it) resumes
 * on the next run instead of reporting a conflict.
 */
export function ownerOf(name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
}

/** Resource options every pulumi-cmf resource adds: the echoed connection is a secret output too. */
export function withSecretConnection(
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.CustomResourceOptions {
  return pulumi.mergeOptions(opts, { additionalSecretOutputs: ["connection"] });
}
