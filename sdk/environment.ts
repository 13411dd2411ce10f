import * as pulumi from "@pulumi/pulumi";
import type { FlinkApplicationDefaults, StatementDefaults } from "../provider/models";
import {
  ownerOf,
  secretConnection,
  withSecretConnection,
  type CmfConnectionArgs,
  type DeepInput,
} from "./common";
import environmentProvider = require("./environment-provider");

/** Arguments of {@link CmfEnvironment}. */
export interface CmfEnvironmentArgs {
  /**
   * The environment's name in CMF; defaults to the resource's logical name. An RFC 1123 subdomain of
   * at least 4 characters. Changing it replaces the environment (its applications are replaced too).
   */
  name?: pulumi.Input<string>;
  /**
   * The Kubernetes namespace CMF deploys this environment's Flink clusters into. It must already exist.
   * Changing it replaces the environment.
   */
  kubernetesNamespace: pulumi.Input<string>;
  /**
   * The Kubernetes cluster registered in CMF (CMF 2.3+); omitted means the cluster CMF runs in.
   * Changing it replaces the environment.
   */
  kubernetesClusterName?: pulumi.Input<string>;
  /**
   * Defaults merged into every application of the environment when an instance is deployed, in the
   * shape of a partial FlinkApplication (`{ metadata?, spec? }`). The environment's
   * `spec.flinkConfiguration` wins over the application's. Numbers and booleans in
   * `flinkConfiguration` are sent as strings. Omitted means none (CMF's upsert clears them).
   */
  flinkApplicationDefaults?: DeepInput<FlinkApplicationDefaults>;
  /** Defaults for compute pools (e.g. `{ clusterSpec: { flinkVersion, image, flinkConfiguration } }`). */
  computePoolDefaults?: DeepInput<Record<string, unknown>>;
  /** Flink configuration for statements: `{ detached?: { flinkConfiguration }, interactive?: {...} }`. */
  statementDefaults?: DeepInput<StatementDefaults>;
  /** Labels (CMF 2.3+ `metadata.labels`). Omitted means none. */
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Annotations (CMF 2.3+ `metadata.annotations`). The key `pulumi-cmf/owner` is reserved. */
  annotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** How to reach CMF when it is not the stack configuration (`cmf:url`, ...) or CONFLUENT_CMF_URL. */
  connection?: pulumi.Input<CmfConnectionArgs>;
  /**
   * Take over an environment that already exists in CMF (updating it to match), instead of failing.
   * Pulumi's `import` does not work for dynamic providers; this is the way to bring one under
   * management. Changing it never touches CMF.
   */
  adopt?: pulumi.Input<boolean>;
  /**
   * Delete with CMF's `force=true`, which drops CMF's record without cleaning up Kubernetes (the
   * namespace's service account and secret may be left behind). Changing it never touches CMF.
   */
  forceDelete?: pulumi.Input<boolean>;
}

/** Server-reported summary of an environment (present when CMF includes it). */
export type CmfEnvironmentStatus = Record<string, unknown>;

/**
 * A CMF environment (`/cmf/api/v1/environments`): a Kubernetes namespace and the defaults applied to
 * the Flink applications, statements and compute pools deployed into it.
 *
 * ```ts
 * const env = new CmfEnvironment("prod", {
 *   kubernetesNamespace: "flink-prod",
 *   flinkApplicationDefaults: { spec: { flinkConfiguration: { "taskmanager.numberOfTaskSlots": "2" } } },
 * });
 * ```
 */
export class CmfEnvironment extends pulumi.dynamic.Resource {
  /** The name in CMF. */
  declare public readonly name: pulumi.Output<string>;
  declare public readonly kubernetesNamespace: pulumi.Output<string>;
  declare public readonly kubernetesClusterName: pulumi.Output<string | undefined>;
  /** As last seen on CMF (restricted to what the program declares). */
  declare public readonly flinkApplicationDefaults: pulumi.Output<FlinkApplicationDefaults | undefined>;
  declare public readonly computePoolDefaults: pulumi.Output<Record<string, unknown> | undefined>;
  declare public readonly statementDefaults: pulumi.Output<StatementDefaults | undefined>;
  declare public readonly labels: pulumi.Output<Record<string, string> | undefined>;
  /** Without the `pulumi-cmf/owner` marker. */
  declare public readonly annotations: pulumi.Output<Record<string, string> | undefined>;
  declare public readonly adopt: pulumi.Output<boolean | undefined>;
  declare public readonly forceDelete: pulumi.Output<boolean | undefined>;
  /** CMF's `created_time` (RFC 3339). */
  declare public readonly createdTime: pulumi.Output<string>;
  /** CMF's `updated_time` (RFC 3339). */
  declare public readonly updatedTime: pulumi.Output<string>;
  /** Connection secret id → CMF secret name, from the environment's secret mappings. */
  declare public readonly secrets: pulumi.Output<Record<string, string> | undefined>;
  declare public readonly status: pulumi.Output<CmfEnvironmentStatus | undefined>;

  constructor(name: string, args: CmfEnvironmentArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      name: args.name ?? name,
      kubernetesNamespace: args.kubernetesNamespace,
      kubernetesClusterName: args.kubernetesClusterName,
      flinkApplicationDefaults: args.flinkApplicationDefaults,
      computePoolDefaults: args.computePoolDefaults,
      statementDefaults: args.statementDefaults,
      labels: args.labels,
      annotations: args.annotations,
      connection: secretConnection(args.connection),
      adopt: args.adopt,
      forceDelete: args.forceDelete,
      owner: ownerOf(name),
      createdTime: undefined,
      updatedTime: undefined,
      secrets: undefined,
      status: undefined,
    };
    super(environmentProvider, name, props, withSecretConnection(opts), "cmf", "Environment");
  }
}
