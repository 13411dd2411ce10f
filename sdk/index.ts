/**
 * pulumi-cmf: Pulumi resources for Confluent Manager for Apache Flink (CMF).
 */
import "../provider/node-guard"; // first: fails at once, and clearly, on an unsupported Node.js
export { CmfEnvironment, type CmfEnvironmentArgs, type CmfEnvironmentStatus } from "./environment";
export {
  CmfApplication,
  type CmfApplicationArgs,
  type CmfApplicationDocumentArgs,
  type CmfApplicationStatus,
  type CmfApplicationWaitFor,
} from "./application";
export { CmfSecret, type CmfSecretArgs } from "./secret";
export { CmfSecretMapping, type CmfSecretMappingArgs } from "./secret-mapping";
export { CmfKafkaCatalog, type CmfKafkaCatalogArgs } from "./kafka-catalog";
export { CmfKafkaDatabase, type CmfKafkaDatabaseArgs } from "./kafka-database";
export { CmfComputePool, type CmfComputePoolArgs, type CmfComputePoolDocumentArgs } from "./compute-pool";
export {
  CmfStatement,
  type CmfStatementArgs,
  type CmfStatementDocumentArgs,
  type CmfStatementSpecArgs,
} from "./statement";
export {
  getCmfApplication,
  getCmfApplicationOutput,
  getCmfComputePool,
  getCmfComputePoolOutput,
  getCmfEnvironment,
  getCmfEnvironmentOutput,
  getCmfKafkaCatalog,
  getCmfKafkaCatalogOutput,
  getCmfStatement,
  getCmfStatementOutput,
  type CmfLookup,
  type CmfLookupArgs,
  type CmfLookupResult,
} from "./lookups";
export {
  ConnectionSettingsError,
  LookupArgumentsError,
  MissingEndpointError,
  ObjectNotFoundError,
} from "../provider/core/errors";
export type {
  CmfConnectionArgs,
  DeepInput,
  FlinkConfigurationArgs,
  WithFlinkConfigurationArgs,
} from "./common";
export {
  CmfDocumentError,
  parseApplicationDocument,
  parseObjectDocument,
  type ParsedApplicationDocument,
} from "./document";
export type {
  FlinkApplicationDefaults,
  FlinkApplicationSpec,
  FlinkConfiguration,
  JobManagerSpec,
  JobSpec,
  FlinkResourceSpec,
  StatementDefaults,
  TaskManagerSpec,
} from "../provider/kinds/public-types";
