import * as pulumi from "@pulumi/pulumi";
import type { FlinkApplicationSpec } from "../provider/models";
import {
  ownerOf,
  secretConnection,
  withSecretConnection,
  type CmfConnectionArgs,
  type DeepInput,
  type WithFlinkConfigurationArgs,
} from "./common";
import { parseApplicationDocument } from "./document";
import type { CmfEnvironment } from "./environment";
import applicationProvider = require("./application-provider");

/** What the provider waits for after a create or update. */
export type CmfApplicationWaitFor = "running" | "suspended" | "none";

/** Arguments of {@link CmfApplication}. */
export interface CmfApplicationArgs {
  /**
   * The environment: a {@link CmfEnvironment} (preferred: Pulumi then creates it first and deletes it
   * last) or its name. Changing it replaces the application.
   */
  environment: pulumi.Input<string> | CmfEnvironment;
  /**
   * The application's name in CMF; defaults to the resource's logical name. Applications become Flink
   * Kubernetes Operator deployments, so this is a DNS-1035 label of 4 to 45 characters. Changing it
   * replaces the application.
   */
  name?: pulumi.Input<string>;
  /**
   * The FlinkApplication spec (Flink Kubernetes Operator `FlinkDeploymentSpec`): `image`,
   * `flinkVersion`, `flinkConfiguration` (numbers and booleans are sent as strings), `serviceAccount`,
   * `jobManager`, `taskManager`, `job` (`jarURI`, `parallelism`, `state`, `upgradeMode`, ...) and any
   * other operator field. Updated in place; a change of only `job.state` uses CMF's start/suspend.
   */
  spec: DeepInput<WithFlinkConfigurationArgs<FlinkApplicationSpec>>;
  /** Labels (`metadata.labels`). Omitted means none. */
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Annotations (`metadata.annotations`). The key `pulumi-cmf/owner` is reserved. */
  annotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * What create and update wait for: `"running"` (job RUNNING, lifecycle DEPLOYED or STABLE) by default
   * when `spec.job.state` is running or unset, `"suspended"` when it is suspended, `"none"` to return
   * as soon as CMF accepted the change. Changing it never touches CMF.
   */
  waitFor?: pulumi.Input<CmfApplicationWaitFor>;
  /**
   * How long create, update and delete wait, in seconds (default 600). Pulumi's `customTimeouts` option
   * does not reach dynamic providers, hence this. Changing it never touches CMF.
   */
  timeoutSeconds?: pulumi.Input<number>;
  /** How to reach CMF when it is not the stack configuration (`cmf:url`, ...) or CONFLUENT_CMF_URL. */
  connection?: pulumi.Input<CmfConnectionArgs>;
  /** Take over an application that already exists in CMF, instead of failing. Never touches CMF. */
  adopt?: pulumi.Input<boolean>;
  /**
   * Delete with CMF's `force=true`, which drops CMF's record without waiting for Kubernetes (the Flink
   * deployment may be orphaned). Changing it never touches CMF.
   */
  forceDelete?: pulumi.Input<boolean>;
}

/** Arguments of {@link CmfApplication.fromDocument}. */
export interface CmfApplicationDocumentArgs extends Omit<CmfApplicationArgs, "spec"> {
  /**
   * A FlinkApplication document (`{apiVersion, kind, metadata, spec}`), as YAML or JSON text or an object. Its
   * `metadata.name`, `labels` and `annotations` are used unless `name`, `labels` or `annotations` are
   * given; its `status` is ignored.
   */
  document: string | Record<string, unknown>;
}

/** The parts of CMF's application status that matter for operating it. */
export interface CmfApplicationStatus {
  /** Flink job state: RECONCILING, RUNNING, FAILED, FINISHED, SUSPENDED, ... */
  jobState?: string;
  /** Operator lifecycle: CREATED, DEPLOYED, STABLE, SUSPENDED, UPGRADING, FAILED, ... */
  lifecycleState?: string;
  jobManagerDeploymentStatus?: string;
  jobId?: string;
  /** The deployed FlinkApplicationInstance (a new one per spec change). */
  currentInstance?: string;
  error?: string;
}

/**
 * A Flink application in a CMF environment (`/cmf/api/v1/environments/{env}/applications`).
 *
 * ```ts
 * const app = new CmfApplication("orders", {
 *   environment: env,
 *   spec: {
 *     image: "confluentinc/cp-flink:1.19.3-cp2",
 *     flinkVersion: "v1_19",
 *     serviceAccount: "flink",
 *     jobManager: { resource: { cpu: 1, memory: "1024m" } },
 *     taskManager: { resource: { cpu: 1, memory: "1024m" } },
 *     job: { jarURI: "local:///opt/flink/examples/streaming/StateMachineExample.jar", parallelism: 1, state: "running", upgradeMode: "stateless" },
 *   },
 * });
 * ```
 */
export class CmfApplication extends pulumi.dynamic.Resource {
  /** The environment's name. */
  declare public readonly environment: pulumi.Output<string>;
  /** The name in CMF. */
  declare public readonly name: pulumi.Output<string>;
  /** The spec as last seen on CMF (restricted to what the program declares). */
  declare public readonly spec: pulumi.Output<FlinkApplicationSpec>;
  declare public readonly labels: pulumi.Output<Record<string, string> | undefined>;
  /** Without the `pulumi-cmf/owner` marker. */
  declare public readonly annotations: pulumi.Output<Record<string, string> | undefined>;
  declare public readonly waitFor: pulumi.Output<CmfApplicationWaitFor | undefined>;
  declare public readonly timeoutSeconds: pulumi.Output<number | undefined>;
  declare public readonly adopt: pulumi.Output<boolean | undefined>;
  declare public readonly forceDelete: pulumi.Output<boolean | undefined>;
  /** Status when the last operation ended (refresh to update it). */
  declare public readonly status: pulumi.Output<CmfApplicationStatus>;
  /** CMF's `metadata.uid`. */
  declare public readonly uid: pulumi.Output<string>;
  declare public readonly createdTime: pulumi.Output<string>;
  declare public readonly updatedTime: pulumi.Output<string>;

  constructor(name: string, args: CmfApplicationArgs, opts?: pulumi.CustomResourceOptions) {
    const environment = pulumi.CustomResource.isInstance(args.environment)
      ? (args.environment as CmfEnvironment).name
      : (args.environment as pulumi.Input<string>);
    const props = {
      environment,
      name: args.name ?? name,
      spec: args.spec,
      labels: args.labels,
      annotations: args.annotations,
      waitFor: args.waitFor,
      timeoutSeconds: args.timeoutSeconds,
      connection: secretConnection(args.connection),
      adopt: args.adopt,
      forceDelete: args.forceDelete,
      owner: ownerOf(name),
      status: undefined,
      uid: undefined,
      createdTime: undefined,
      updatedTime: undefined,
    };
    super(applicationProvider, name, props, withSecretConnection(opts), "cmf", "Application");
  }

  /**
   * A CmfApplication from an existing FlinkApplication document (the JSON files given to
   * `confluent flink application create`). Throws {@link CmfDocumentError} naming the bad field.
   */
  static fromDocument(
    name: string,
    args: CmfApplicationDocumentArgs,
    opts?: pulumi.CustomResourceOptions,
  ): CmfApplication {
    const { document, ...rest } = args;
    const parsed = parseApplicationDocument(document);
    return new CmfApplication(
      name,
      {
        ...rest,
        name: rest.name ?? parsed.name ?? name,
        spec: parsed.spec as FlinkApplicationSpec,
        labels: rest.labels ?? parsed.labels,
        annotations: rest.annotations ?? parsed.annotations,
      },
      opts,
    );
  }
}
