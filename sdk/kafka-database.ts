import * as pulumi from "@pulumi/pulumi";
import {
  kafkaDatabaseDefinition,
  type KafkaDatabaseArgs,
  type KafkaDatabaseOutputs,
} from "../provider/kinds/kafka-database/definition";
import { CmfResource, nameOf, type ArgsInput, type OutputProperties } from "./common";
import type { CmfKafkaCatalog } from "./kafka-catalog";
import kafkaDatabaseProvider = require("./kafka-database-provider");

/**
 * Arguments of {@link CmfKafkaDatabase}, derived from the kind's definition
 * (`provider/kinds/kafka-database/definition.ts`, documented in `provider/kinds/kafka-database/README.md`).
 * `catalog` may be the {@link CmfKafkaCatalog} itself (preferred: Pulumi then creates it first and
 * deletes it last).
 */
export type CmfKafkaDatabaseArgs = Omit<ArgsInput<KafkaDatabaseArgs>, "catalog"> & {
  catalog: pulumi.Input<string> | CmfKafkaCatalog;
};

/**
 * A Kafka database of a Kafka catalog (`/cmf/api/v1/catalogs/kafka/{catalog}/databases`).
 *
 * ```ts
 * new CmfKafkaDatabase("orders-db", {
 *   catalog,
 *   spec: { kafkaCluster: { connectionConfig: { "bootstrap.servers": "kafka:9092" }, connectionSecretId: "kafka-conn" } },
 * });
 * ```
 */
// The outputs are typed from the definition; a class cannot declare mapped members, an interface can.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface CmfKafkaDatabase extends OutputProperties<KafkaDatabaseOutputs> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class CmfKafkaDatabase extends CmfResource {
  constructor(name: string, args: CmfKafkaDatabaseArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      kafkaDatabaseProvider,
      kafkaDatabaseDefinition,
      name,
      { ...args, catalog: nameOf(args.catalog) },
      opts,
    );
  }
}
