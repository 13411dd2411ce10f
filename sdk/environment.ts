import * as pulumi from "@pulumi/pulumi";
import {
  environmentDefinition,
  type EnvironmentArgs,
  type EnvironmentOutputs,
} from "../provider/kinds/environment/definition";
import { CmfResource, type ArgsInput, type OutputProperties } from "./common";
import environmentProvider = require("./environment-provider");

/**
 * Arguments of {@link CmfEnvironment}, derived from the kind's definition
 * (`provider/kinds/environment/definition.ts`, documented in `provider/kinds/environment/README.md`).
 */
export type CmfEnvironmentArgs = ArgsInput<EnvironmentArgs>;

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
// The outputs are typed from the definition; a class cannot declare mapped members, an interface can.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface CmfEnvironment extends OutputProperties<EnvironmentOutputs> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class CmfEnvironment extends CmfResource {
  constructor(name: string, args: CmfEnvironmentArgs, opts?: pulumi.CustomResourceOptions) {
    super(environmentProvider, environmentDefinition, name, args, opts);
  }
}
