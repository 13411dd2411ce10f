/**
 * The production shape: the Flink Kubernetes Operator and CMF installed with Helm, a namespace for Flink
 * jobs, and a CMF environment plus application managed through CMF's REST API.
 *
 * A complete project: copy the folder out of the checkout (`cp -r examples/kubernetes ~/flink-platform`),
 * `npm install /path/to/pulumi-cmf-0.1.0.tgz`, point kubectl at the cluster, then:
 *
 *   pulumi stack init prod
 *   pulumi config set --secret cmfToken <bearer token>      # CMF behind OAuth/MDS
 *   pulumi config set cmfNamespace confluent                # optional
 *
 * How `pulumi` reaches CMF. It runs on a laptop or a CI runner, outside the cluster, where the service
 * name cmf-service.<namespace>.svc.cluster.local does not resolve. Choose one (`cmfUrl`):
 *
 * - A port-forward (the default, http://127.0.0.1:8080):
 *     kubectl -n confluent port-forward svc/cmf-service 8080:80
 *   The token travels inside kubectl's TLS connection to the API server. CMF is installed by this same
 *   program, so on the very first `pulumi up` the CMF resources fail with "Cannot reach CMF ...
 *   connection refused" once the Helm releases are in: start the port-forward and run `pulumi up` again.
 * - An ingress or load balancer with TLS in front of cmf-service:
 *     pulumi config set cmfUrl https://cmf.example.com
 *     pulumi config set cmfCaCertificatePath ./cmf-ca.pem    # when its CA is private
 * - From inside the cluster (a CI runner pod, the Pulumi Kubernetes Operator):
 *     pulumi config set cmfUrl http://cmf-service.confluent.svc.cluster.local
 *     pulumi config set cmfAllowPlainHttp true
 *   That URL carries the token unencrypted across the pod network, so it is refused unless you say so.
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

/**
 * The URL to reach CMF with, refusing to send the token over plain http to anything but this machine
 * (a port-forward) unless `allowPlainHttp` says so.
 */
export function cmfUrlFor(url: string, allowPlainHttp: boolean): string {
  const { protocol, hostname } = new URL(url);
  const loopback = hostname === "localhost" || hostname === "[::1]" || hostname.startsWith("127.");
  if (protocol === "http:" && !loopback && !allowPlainHttp) {
    throw new Error(
      `cmfUrl ${url} would send the CMF token over plain http across the network: use an https:// ` +
        "URL (an ingress with TLS), a port-forward (http://127.0.0.1:8080), or set cmfAllowPlainHttp " +
        "to true when pulumi runs inside the cluster",
    );
  }
  return url;
}

// The chart's service `cmf-service` maps port 80 to CMF's 8080; see the header for how to reach it.
const caCertificatePath = config.get("cmfCaCertificatePath");
const connection = {
  url: cmfUrlFor(
    config.get("cmfUrl") ?? "http://127.0.0.1:8080",
    config.getBoolean("cmfAllowPlainHttp") ?? false,
  ),
  token: cmfToken,
  ...(caCertificatePath ? { caCertificatePath } : {}),
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
