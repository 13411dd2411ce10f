/**
 * Declarative environment provisioning: the same program for every stage; each stack's config
 * (Pulumi.<stack>.yaml) says which namespace, which Flink defaults and how much parallelism.
 *
 *   pulumi stack select dev && pulumi up
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
