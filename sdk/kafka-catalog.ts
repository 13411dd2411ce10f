import * as pulumi from "@pulumi/pulumi";
import {
  kafkaCatalogDefinition,
  type KafkaCatalogArgs,
  type KafkaCatalogOutputs,
} from "../provider/kinds/kafka-catalog/definition";
import { CmfResource, type ArgsInput, type OutputProperties } from "./common";
import kafkaCatalogProvider = require("./kafka-catalog-provider");

/**
 * Arguments of {@link CmfKafkaCatalog}, derived from the kind's definition
 * (`provider/kinds/kafka-catalog/definition.ts`, documented in `provider/kinds/kafka-catalog/README.md`).
 */
export type CmfKafkaCatalogArgs = ArgsInput<KafkaCatalogArgs>;

/**
 * A Kafka catalog (`/cmf/api/v1/catalogs/kafka`) for CMF SQL statements.
 *
 * ```ts
 * const catalog = new CmfKafkaCatalog("kafka-cat", {
 *   spec: { srInstance: { connectionConfig: { "schema.registry.url": "http://sr:8081" }, connectionSecretId: "sr-conn" } },
 * });
 * ```
 */
// The outputs are typed from the definition; a class cannot declare mapped members, an interface can.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface CmfKafkaCatalog extends OutputProperties<KafkaCatalogOutputs> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class CmfKafkaCatalog extends CmfResource {
  constructor(name: string, args: CmfKafkaCatalogArgs, opts?: pulumi.CustomResourceOptions) {
    super(kafkaCatalogProvider, kafkaCatalogDefinition, name, args, opts);
  }
}
