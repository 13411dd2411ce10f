import { isPlainObject } from "./json";
import { currentInstance } from "./lifecycle";
import type { SavepointParent } from "./savepoints";
import type { ApplicationRecord, EnvironmentRecord } from "./store";
import { jobStateOf } from "./views";

/**
 * An application as the parent of savepoints: its job state and id as the operator reports them, and
 * the Flink configuration of the deployed instance (environment defaults merged in), where Flink looks
 * for the default savepoint directory.
 */
export function applicationSavepointParent(env: EnvironmentRecord, app: ApplicationRecord): SavepointParent {
  const deployed = currentInstance(app)?.spec;
  const configuration = isPlainObject(deployed?.flinkConfiguration) ? deployed.flinkConfiguration : {};
  const jobStatus = isPlainObject(app.status.jobStatus) ? app.status.jobStatus : {};
  return {
    kind: "FlinkApplication",
    environment: env.name,
    name: app.name,
    owner: app,
    jobState: jobStateOf(app),
    jobId: typeof jobStatus.jobId === "string" ? jobStatus.jobId : undefined,
    flinkConfiguration: configuration,
  };
}
