import { ApplicationsApi } from "./applications-api";
import { ComputePoolsApi } from "./compute-pools-api";
import { KafkaCatalogsApi, KafkaDatabasesApi } from "./kafka-catalogs-api";
import { SecretMappingsApi, SecretsApi } from "./secrets-api";
import { StatementsApi } from "./statements-api";
import { resolveConnection, type CmfConnection, type FileReader } from "./connection";
import { EnvironmentsApi } from "./environments-api";
import { HttpTransport, type TransportDependencies } from "./http-transport";
import { ResourceInformationApi, SystemInformationApi } from "./information-api";
import { KubernetesClustersApi } from "./kubernetes-clusters-api";
import { RequestCore } from "./request-core";
import { DetachedSavepointsApi, SavepointsApi } from "./savepoints-api";

/**
 * Internal options: test seams (a file reader for the TLS paths; the clock, random source and sleep of
 * retries) and the in-process server the provider's embedded emulator offers (`dispatch`).
 */
export interface CmfClientInternals extends TransportDependencies {
  readonly readFile?: FileReader;
}

/**
 * Typed client for CMF's REST API. The constructor validates the connection (and reads TLS files)
 * synchronously, throwing {@link CmfConfigurationError}; the HTTP pool is created at the first request.
 * Call `close()` when done so that keep-alive sockets do not hold the process open.
 */
export class CmfClient {
  readonly environments: EnvironmentsApi;
  readonly applications: ApplicationsApi;
  readonly savepoints: SavepointsApi;
  readonly detachedSavepoints: DetachedSavepointsApi;
  readonly kubernetesClusters: KubernetesClustersApi;
  readonly systemInformation: SystemInformationApi;
  readonly resourceInformation: ResourceInformationApi;
  readonly computePools: ComputePoolsApi;
  readonly statements: StatementsApi;
  readonly secrets: SecretsApi;
  readonly secretMappings: SecretMappingsApi;
  readonly kafkaCatalogs: KafkaCatalogsApi;
  readonly kafkaDatabases: KafkaDatabasesApi;
  /** `origin + path prefix`, without `/cmf/api/v1`. */
  readonly baseUrl: string;
  readonly #transport: HttpTransport;

  constructor(connection: CmfConnection, internals: CmfClientInternals = {}) {
    const resolved = resolveConnection(connection, internals.readFile);
    this.baseUrl = resolved.baseUrl;
    this.#transport = new HttpTransport(resolved, internals);
    const core = new RequestCore(resolved, this.#transport);
    this.environments = new EnvironmentsApi(core);
    this.applications = new ApplicationsApi(core);
    this.savepoints = new SavepointsApi(core);
    this.detachedSavepoints = new DetachedSavepointsApi(core);
    this.kubernetesClusters = new KubernetesClustersApi(core);
    this.systemInformation = new SystemInformationApi(core);
    this.resourceInformation = new ResourceInformationApi(core);
    this.computePools = new ComputePoolsApi(core);
    this.statements = new StatementsApi(core);
    this.secrets = new SecretsApi(core);
    this.secretMappings = new SecretMappingsApi(core);
    this.kafkaCatalogs = new KafkaCatalogsApi(core);
    this.kafkaDatabases = new KafkaDatabasesApi(core);
  }

  get closed(): boolean {
    return this.#transport.closed;
  }

  /** Closes the pool after in-flight requests finish; later calls throw {@link CmfClientClosedError}. */
  async close(): Promise<void> {
    await this.#transport.close();
  }
}
