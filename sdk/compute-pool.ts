import * as pulumi from "@pulumi/pulumi";
import {
  computePoolDefinition,
  type ComputePoolArgs,
  type ComputePoolOutputs,
  type ComputePoolSpecArgs,
} from "../provider/kinds/compute-pool/definition";
import { CmfResource, nameOf, type ArgsInput, type DeepInput, type OutputProperties } from "./common";
import { parseObjectDocument } from "./document";
import type { CmfEnvironment } from "./environment";
import computePoolProvider = require("./compute-pool-provider");

/**
 * Arguments of {@link CmfComputePool}, derived from the kind's definition
 * (`provider/kinds/compute-pool/definition.ts`, documented in `provider/kinds/compute-pool/README.md`).
 * `environment` may also be the {@link CmfEnvironment} itself (preferred).
 */
export type CmfComputePoolArgs = Omit<ArgsInput<ComputePoolArgs>, "environment" | "spec"> & {
  environment: pulumi.Input<string> | CmfEnvironment;
  spec: DeepInput<ComputePoolSpecArgs>;
};

/** Arguments of {@link CmfComputePool.fromDocument}. */
export interface CmfComputePoolDocumentArgs extends Omit<CmfComputePoolArgs, "spec"> {
  /**
   * A ComputePool document (`{apiVersion, kind, metadata, spec}`, the file given to
   * `confluent flink compute-pool create`), as YAML or JSON text or an object. Its `metadata.name`,
   * `labels` and `annotations` are used unless `name`, `labels` or `annotations` are given.
   */
  document: string | Record<string, unknown>;
}

/**
 * A compute pool in a CMF environment (`/cmf/api/v1/environments/{env}/compute-pools`). A SHARED pool
 * is waited for until RUNNING (or SUSPENDED when `spec.state` asks for it).
 *
 * ```ts
 * const pool = new CmfComputePool("sql-pool", {
 *   environment: env,
 *   spec: {
 *     type: "SHARED",
 *     clusterSpec: {
 *       flinkVersion: "v1_19",
 *       image: "confluentinc/cp-flink-sql:1.19-cp1",
 *       jobManager: { resource: { cpu: 1, memory: "1024m" } },
 *       taskManager: { resource: { cpu: 1, memory: "1024m" } },
 *     },
 *   },
 * });
 * ```
 */
// The outputs are typed from the definition; a class cannot declare mapped members, an interface can.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface CmfComputePool extends OutputProperties<ComputePoolOutputs> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class CmfComputePool extends CmfResource {
  constructor(name: string, args: CmfComputePoolArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      computePoolProvider,
      computePoolDefinition,
      name,
      { ...args, environment: nameOf(args.environment) },
      opts,
    );
  }

  /** A CmfComputePool from a ComputePool document. Throws {@link CmfDocumentError} naming the bad field. */
  static fromDocument(
    name: string,
    args: CmfComputePoolDocumentArgs,
    opts?: pulumi.CustomResourceOptions,
  ): CmfComputePool {
    const { document, ...rest } = args;
    const parsed = parseObjectDocument(document, "ComputePool");
    return new CmfComputePool(
      name,
      {
        ...rest,
        name: rest.name ?? parsed.name ?? name,
        spec: parsed.spec as unknown as ComputePoolSpecArgs,
        labels: rest.labels ?? parsed.labels,
        annotations: rest.annotations ?? parsed.annotations,
      },
      opts,
    );
  }
}
