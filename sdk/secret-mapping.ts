import * as pulumi from "@pulumi/pulumi";
import {
  secretMappingDefinition,
  type SecretMappingArgs,
  type SecretMappingOutputs,
} from "../provider/kinds/secret-mapping/definition";
import { CmfResource, nameOf, type ArgsInput, type OutputProperties } from "./common";
import type { CmfEnvironment } from "./environment";
import type { CmfSecret } from "./secret";
import secretMappingProvider = require("./secret-mapping-provider");

/**
 * Arguments of {@link CmfSecretMapping}, derived from the kind's definition
 * (`provider/kinds/secret-mapping/definition.ts`, documented in `provider/kinds/secret-mapping/README.md`).
 * The secret is given either as `secret` (the {@link CmfSecret}: preferred) or as `secretName`.
 */
export type CmfSecretMappingArgs = Omit<ArgsInput<SecretMappingArgs>, "environment" | "secretName"> & {
  environment: pulumi.Input<string> | CmfEnvironment;
} & ({ secret: CmfSecret; secretName?: never } | { secretName: pulumi.Input<string>; secret?: never });

/**
 * Maps a CMF secret into an environment under a `connectionSecretId` (the mapping's name), which
 * Kafka catalogs and databases name in their connections.
 *
 * ```ts
 * new CmfSecretMapping("kafka-conn", { environment: env, secret: creds });
 * ```
 */
// The outputs are typed from the definition; a class cannot declare mapped members, an interface can.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface CmfSecretMapping extends OutputProperties<SecretMappingOutputs> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class CmfSecretMapping extends CmfResource {
  constructor(name: string, args: CmfSecretMappingArgs, opts?: pulumi.CustomResourceOptions) {
    const { secret, ...rest } = args;
    super(
      secretMappingProvider,
      secretMappingDefinition,
      name,
      {
        ...rest,
        environment: nameOf(args.environment),
        secretName: secret ? nameOf(secret) : args.secretName,
      },
      opts,
    );
  }
}
