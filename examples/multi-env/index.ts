/**
 * Declarative environment provisioning: the same program for every stage; each stack's config
 * (Pulumi.<stack>.yaml) says which namespace, which Flink defaults and how much parallelism.
 *
 * This folder is a complete project; copy it out of the pulumi-cmf checkout (running it in place would
 * mix it with the checkout's own tsconfig and packages, and `pulumi stack init` writes into the stack
 * files), then, with the pulumi-cmf tarball from the README's "Install":
 *
 *   cp -r examples/multi-env ~/flink-infra && cd ~/flink-infra
 *   npm install /path/to/pulumi-cmf-0.1.0.tgz
 *   pulumi login --local && export PULUMI_CONFIG_PASSPHRASE=choose-one
 *   pulumi stack init dev
 *   CMF_EMULATOR="$PWD/.cmf-emulator.json" pulumi up --stack dev   # the embedded emulator: no CMF needed
 *
 * Against a real CMF, set `cmf:url` and `cmf:token` on each stack (or CONFLUENT_CMF_URL and
 * CONFLUENT_CMF_TOKEN) instead of CMF_EMULATOR. ci/github-actions.yml deploys each stage on main and
 * previews pull requests against what is deployed.
 */
import * as pulumi from "@pulumi/pulumi";
import { CmfApplication, CmfEnvironment } from "pulumi-cmf";

interface PipelineConfig {
  /** Application name in CMF. */
  name: string;
  jarURI: string;
  entryClass?: string;
  parallelism: number;
  /** "running" or "suspended"; suspended pipelines keep their definition but use no cluster resources. */
  state?: "running" | "suspended";
}

const config = new pulumi.Config();
const stage = pulumi.getStack();
const namespace = config.require("namespace");
const taskSlots = config.requireNumber("taskSlots");
const checkpointInterval = config.require("checkpointInterval");
const pipelines = config.requireObject<PipelineConfig[]>("pipelines");

const environment = new CmfEnvironment(`flink-${stage}`, {
  kubernetesNamespace: namespace,
  flinkApplicationDefaults: {
    spec: {
      flinkConfiguration: {
        "taskmanager.numberOfTaskSlots": String(taskSlots),
        "execution.checkpointing.interval": checkpointInterval,
      },
    },
  },
  labels: { stage },
});

const applications = pipelines.map(
  (pipeline) =>
    new CmfApplication(pipeline.name, {
      environment,
      labels: { stage },
      spec: {
        image: "confluentinc/cp-flink:1.19.3-cp2",
        flinkVersion: "v1_19",
        serviceAccount: "flink",
        jobManager: { resource: { cpu: 1, memory: "1024m" } },
        taskManager: {
          resource: { cpu: 1, memory: "2048m" },
          replicas: Math.ceil(pipeline.parallelism / taskSlots),
        },
        job: {
          jarURI: pipeline.jarURI,
          entryClass: pipeline.entryClass,
          parallelism: pipeline.parallelism,
          state: pipeline.state ?? "running",
          upgradeMode: stage === "dev" ? "stateless" : "last-state",
        },
      },
    }),
);

export const environmentName = environment.name;
export const applicationStates = pulumi
  .all(applications.map((app) => pulumi.all([app.name, app.status.jobState])))
  .apply((pairs) => Object.fromEntries(pairs));
