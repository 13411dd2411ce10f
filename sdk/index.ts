/**
 * pulumi-cmf: Pulumi resources for Confluent Manager for Apache Flink (CMF).
 */
export { CmfEnvironment, type CmfEnvironmentArgs, type CmfEnvironmentStatus } from "./environment";
export {
  CmfApplication,
  type CmfApplicationArgs,
  type CmfApplicationDocumentArgs,
  type CmfApplicationStatus,
  type CmfApplicationWaitFor,
} from "./application";
export type {
  CmfConnectionArgs,
  DeepInput,
  FlinkConfigurationArgs,
  WithFlinkConfigurationArgs,
} from "./common";
export { CmfDocumentError, parseApplicationDocument, type ParsedApplicationDocument } from "./document";
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
