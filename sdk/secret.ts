import * as pulumi from "@pulumi/pulumi";
import { secretDefinition, type SecretArgs, type SecretOutputs } from "../provider/kinds/secret/definition";
import { CmfResource, type ArgsInput, type OutputProperties } from "./common";
import secretProvider = require("./secret-provider");

/**
 * Arguments of {@link CmfSecret}, derived from the kind's definition
 * (`provider/kinds/secret/definition.ts`, documented in `provider/kinds/secret/README.md`).
 */
export type CmfSecretArgs = ArgsInput<SecretArgs>;

/**
 * A CMF secret (`/cmf/api/v1/secrets`). `data` is always a Pulumi secret, in the inputs and in the
 * state, whether or not the program wrapped it with `pulumi.secret`.
 *
 * ```ts
 * const creds = new CmfSecret("kafka-creds", {
 *   data: { "sasl.jaas.config": config.requireSecret("kafkaJaas") },
 * });
 * ```
 */
// The outputs are typed from the definition; a class cannot declare mapped members, an interface can.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface CmfSecret extends OutputProperties<SecretOutputs> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class CmfSecret extends CmfResource {
  constructor(name: string, args: CmfSecretArgs, opts?: pulumi.CustomResourceOptions) {
    super(secretProvider, secretDefinition, name, args, opts);
  }
}
