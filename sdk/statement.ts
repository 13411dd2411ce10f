import * as pulumi from "@pulumi/pulumi";
import {
  statementDefinition,
  type StatementArgs,
  type StatementOutputs,
  type StatementSpecArgs,
} from "../provider/kinds/statement/definition";
import {
  CmfResource,
  nameOf,
  type ArgsInput,
  type DeepInput,
  type OutputProperties,
  type WithFlinkConfigurationArgs,
} from "./common";
import type { CmfComputePool } from "./compute-pool";
import { parseObjectDocument } from "./document";
import type { CmfEnvironment } from "./environment";
import statementProvider = require("./statement-provider");

/** `spec` as a program gives it: `computePoolName` may come from `computePool` instead. */
export type CmfStatementSpecArgs = WithFlinkConfigurationArgs<Omit<StatementSpecArgs, "computePoolName">> & {
  computePoolName?: string;
};

/**
 * Arguments of {@link CmfStatement}, derived from the kind's definition
 * (`provider/kinds/statement/definition.ts`, documented in `provider/kinds/statement/README.md`).
 * `environment` may be the {@link CmfEnvironment}, and the pool given as `computePool` (the
 * {@link CmfComputePool}: preferred, Pulumi then deletes the statement before the pool) or as
 * `spec.computePoolName`.
 */
export type CmfStatementArgs = Omit<ArgsInput<StatementArgs>, "environment" | "spec"> & {
  environment: pulumi.Input<string> | CmfEnvironment;
  computePool?: CmfComputePool;
  spec: DeepInput<CmfStatementSpecArgs>;
};

/** Arguments of {@link CmfStatement.fromDocument}. */
export interface CmfStatementDocumentArgs extends Omit<CmfStatementArgs, "spec"> {
  /** A Statement document (the file given to `confluent flink statement create`): YAML/JSON text or an object. */
  document: string | Record<string, unknown>;
}

/**
 * A CMF SQL statement (`/cmf/api/v1/environments/{env}/statements`).
 *
 * ```ts
 * new CmfStatement("orders-to-sink", {
 *   environment: env,
 *   computePool: pool,
 *   spec: { statement: "INSERT INTO sink SELECT * FROM orders", stopped: config.getBoolean("paused") },
 * });
 * ```
 */
// The outputs are typed from the definition; a class cannot declare mapped members, an interface can.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface CmfStatement extends OutputProperties<StatementOutputs> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class CmfStatement extends CmfResource {
  constructor(name: string, args: CmfStatementArgs, opts?: pulumi.CustomResourceOptions) {
    const { computePool, ...rest } = args;
    const spec = computePool
      ? pulumi
          .all([args.spec as pulumi.Input<Record<string, unknown>>, computePool.name])
          .apply(([s, pool]) => ({ ...s, computePoolName: pool }))
      : args.spec;
    super(
      statementProvider,
      statementDefinition,
      name,
      { ...rest, environment: nameOf(args.environment), spec },
      opts,
    );
  }

  /** A CmfStatement from a Statement document. Throws {@link CmfDocumentError} naming the bad field. */
  static fromDocument(
    name: string,
    args: CmfStatementDocumentArgs,
    opts?: pulumi.CustomResourceOptions,
  ): CmfStatement {
    const { document, ...rest } = args;
    const parsed = parseObjectDocument(document, "Statement");
    return new CmfStatement(
      name,
      {
        ...rest,
        name: rest.name ?? parsed.name ?? name,
        spec: parsed.spec as unknown as CmfStatementSpecArgs,
        labels: rest.labels ?? parsed.labels,
        annotations: rest.annotations ?? parsed.annotations,
      },
      opts,
    );
  }
}
