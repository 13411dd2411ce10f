/**
 * The production shape: the Flink Kubernetes Operator and CMF installed with Helm, a namespace for Flink
 * jobs, and a CMF environment plus application that reach CMF through its in-cluster service.
 *
 * Stack config:
 *   pulumi config set --secret cmfToken <bearer token>      # CMF behind OAuth/MDS
 *   pulumi config set cmfNamespace confluent                # optional
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CmfApplication, CmfEnvironment } from "pulumi-cmf";

const config = new pulumi.Config();
const cmfNamespaceName = config.get("cmfNamespace") ?? "confluent";
const cmfToken = config.requireSecret("cmfToken");

const cmfNamespace = new k8s.core.v1.Namespace("cmf", { metadata: { name: cmfNamespaceName } });
export const flinkNamespace = new k8s.core.v1.Namespace("flink-jobs", { metadata: { name: "flink-jobs" } });

const confluentCharts = { repo: "https://packages.confluent.io/helm" };

// CMF drives Flink through the operator, which must watch the namespace the jobs run in.
const operator = new k8s.helm.v3.Release("flink-operator", {
  chart: "flink-kubernetes-operator",
  repositoryOpts: confluentCharts,
  namespace: cmfNamespace.metadata.name,
  values: { watchNamespaces: [flinkNamespace.metadata.name] },
});

export const cmf = new k8s.helm.v3.Release(
  "cmf",
  {
    chart: "confluent-manager-for-apache-flink",
    repositoryOpts: confluentCharts,
    namespace: cmfNamespace.metadata.name,
    values: { resources: { requests: { cpu: "500m", memory: "1Gi" } } },
  },
  { dependsOn: [operator] },
);

// The chart's service `cmf-service` maps port 80 to CMF's 8080.
const connection = {
  url: pulumi.interpolate`http://cmf-service.${cmf.status.namespace}.svc.cluster.local:80`,
  token: cmfToken,
};

export const environment = new CmfEnvironment(
  "production",
  {
    kubernetesNamespace: flinkNamespace.metadata.name,
    flinkApplicationDefaults: {
      spec: {
        flinkConfiguration: {
          "state.checkpoints.dir": "s3://flink-state/checkpoints",
          "execution.checkpointing.interval": "60s",
        },
      },
    },
    connection,
  },
  { dependsOn: [cmf] },
);

export const orders = new CmfApplication("orders", {
  environment,
  connection,
  spec: {
    image: "confluentinc/cp-flink:1.19.3-cp2",
    flinkVersion: "v1_19",
    serviceAccount: "flink",
    jobManager: { resource: { cpu: 1, memory: "2048m" } },
    taskManager: { resource: { cpu: 2, memory: "4096m" }, replicas: 3 },
    job: {
      jarURI: "local:///opt/flink/usrlib/orders-pipeline.jar",
      entryClass: "com.example.orders.Pipeline",
      parallelism: 6,
      state: "running",
      upgradeMode: "last-state",
    },
  },
  timeoutSeconds: 900,
});

export const applicationName = orders.name;
export const jobState = orders.status.apply((status) => status.jobState);
