import * as pulumi from "@pulumi/pulumi";
import type { FlinkApplicationSpec } from "../provider/kinds/public-types";
import {
  applicationDefinition,
  type ApplicationArgs,
  type ApplicationOutputs,
  type ApplicationStatusOutput,
  type WaitFor,
} from "../provider/kinds/application/definition";
import {
  CmfResource,
  type ArgsInput,
  type DeepInput,
  type OutputProperties,
  type WithFlinkConfigurationArgs,
} from "./common";
import { parseApplicationDocument } from "./document";
import type { CmfEnvironment } from "./environment";
import applicationProvider = require("./application-provider");

/** What the provider waits for after a create or update. */
export type CmfApplicationWaitFor = WaitFor;

/**
 * Arguments of {@link CmfApplication}, derived from the kind's definition
 * (`provider/kinds/application/definition.ts`, documented in `provider/kinds/application/README.md`).
 * `environment` may also be the {@link CmfEnvironment} itself (preferred: Pulumi then creates it first
 * and deletes it last); `spec.flinkConfiguration` values may be numbers or booleans.
 */
export type CmfApplicationArgs = Omit<ArgsInput<ApplicationArgs>, "environment" | "spec"> & {
  environment: pulumi.Input<string> | CmfEnvironment;
  spec: DeepInput<WithFlinkConfigurationArgs<FlinkApplicationSpec>>;
};

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
export type CmfApplicationStatus = ApplicationStatusOutput;

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
// The outputs are typed from the definition; a class cannot declare mapped members, an interface can.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface CmfApplication extends OutputProperties<ApplicationOutputs> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class CmfApplication extends CmfResource {
  constructor(name: string, args: CmfApplicationArgs, opts?: pulumi.CustomResourceOptions) {
    const environment = pulumi.CustomResource.isInstance(args.environment)
      ? (args.environment as CmfEnvironment).name
      : (args.environment as pulumi.Input<string>);
    super(applicationProvider, applicationDefinition, name, { ...args, environment }, opts);
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
