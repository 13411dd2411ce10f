/**
 * Quickstart: one CMF environment and one running Flink application.
 *
 * `npm run demo` runs this program (root Pulumi.yaml) against the embedded CMF emulator. Against a real
 * CMF, set `pulumi config set cmf:url https://cmf.example.com:8080` instead of `cmf:emulator`.
 */
import { CmfApplication, CmfEnvironment } from "pulumi-cmf";

const environment = new CmfEnvironment("demo", {
  kubernetesNamespace: "flink-demo",
  flinkApplicationDefaults: {
    spec: {
      flinkConfiguration: {
        "taskmanager.numberOfTaskSlots": "2",
        "state.checkpoints.dir": "file:///flink-data/checkpoints",
      },
    },
  },
  labels: { team: "platform" },
});

const orders = new CmfApplication("orders", {
  environment,
  spec: {
    image: "confluentinc/cp-flink:1.19.3-cp2",
    flinkVersion: "v1_19",
    serviceAccount: "flink",
    flinkConfiguration: { "metrics.reporters": "prom" },
    jobManager: { resource: { cpu: 1, memory: "1024m" } },
    taskManager: { resource: { cpu: 1, memory: "2048m" }, replicas: 2 },
    job: {
      jarURI: "local:///opt/flink/examples/streaming/StateMachineExample.jar",
      parallelism: 2,
      state: "running",
      upgradeMode: "stateless",
    },
  },
});

export const environmentName = environment.name;
export const applicationName = orders.name;
export const jobState = orders.status.apply((status) => status.jobState);
