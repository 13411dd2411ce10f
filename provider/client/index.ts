import "../node-guard"; // first: fails at once, and clearly, on an unsupported Node.js
export { CmfClient, type CmfClientInternals } from "./cmf-client";
export {
  CMF_ALPHA_API_PATH,
  CMF_API_PATH,
  DEFAULT_TIMEOUT_MS,
  resolveConnection,
  type CmfConnection,
  type ResolvedConnection,
  type ResolvedTls,
} from "./connection";
export {
  CmfApiError,
  CmfArgumentError,
  CmfClientClosedError,
  CmfConfigurationError,
  CmfConnectionError,
  CmfResponseError,
  type CmfApiErrorDetails,
  type CmfConnectionErrorDetails,
} from "./errors";
export { EnvironmentsApi } from "./environments-api";
export type { DeleteOptions, GetOptions } from "./operation-options";
export { ApplicationsApi, type StartOptions } from "./applications-api";
export {
  DetachedSavepointsApi,
  SavepointsApi,
  type SavepointDeleteOptions,
  type SavepointParentRef,
} from "./savepoints-api";
export { KubernetesClustersApi } from "./kubernetes-clusters-api";
export { ResourceInformationApi, SystemInformationApi } from "./information-api";
export { ComputePoolsApi, type ComputePoolListQuery } from "./compute-pools-api";
export { KafkaCatalogsApi, KafkaDatabasesApi } from "./kafka-catalogs-api";
export { SecretMappingsApi, SecretsApi, type SecretListQuery } from "./secrets-api";
export { StatementsApi, type StatementListQuery, type StatementResultRow } from "./statements-api";
export type {
  ApplicationListQuery,
  EnvironmentListQuery,
  EventListQuery,
  FilterQuery,
  InstanceListQuery,
  KubernetesClusterListQuery,
  PageQuery,
  SavepointListQuery,
  SearchQuery,
} from "./list-query";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy";
export { DEBUG_ENV_VAR } from "./debug-log";
export type {
  ApplicationInstancesPage,
  ApplicationsPage,
  Environment,
  EnvironmentsPage,
  EventsPage,
  FlinkApplication,
  FlinkApplicationEvent,
  FlinkApplicationInstance,
  FlinkApplicationSpec,
  FlinkApplicationStatus,
  C3LicenseInformation,
  KubernetesCluster,
  KubernetesClustersPage,
  Page,
  PostEnvironment,
  PostFlinkApplication,
  PostSavepoint,
  PutKubernetesCluster,
  ResourceInformation,
  Savepoint,
  SavepointsPage,
  SystemInformation,
  ComputePool,
  ComputePoolsPage,
  EnvironmentSecretMapping,
  EnvironmentSecretMappingsPage,
  KafkaCatalog,
  KafkaCatalogsPage,
  KafkaDatabase,
  KafkaDatabasesPage,
  PostComputePool,
  PostEnvironmentSecretMapping,
  PostKafkaCatalog,
  PostKafkaDatabase,
  PostSecret,
  PostStatement,
  Secret,
  SecretsPage,
  Statement,
  StatementException,
  StatementPhase,
  StatementResult,
  StatementsPage,
} from "../models";
