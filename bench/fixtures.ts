/** What every benchmark deploys: one typical FlinkApplication spec, and the standalone emulator. */
import * as path from "node:path";
import { startChildServer, type ChildServer } from "./child-server";

export const BENCH_SPEC = {
  image: "confluentinc/cp-flink:1.19.3-cp2",
  flinkVersion: "v1_19",
  serviceAccount: "flink",
  flinkConfiguration: { "taskmanager.numberOfTaskSlots": "2" },
  jobManager: { resource: { cpu: 1, memory: "1024m" } },
  taskManager: { resource: { cpu: 1, memory: "1024m" } },
  job: {
    jarURI: "local:///opt/flink/examples/streaming/StateMachineExample.jar",
    parallelism: 2,
    state: "running" as const,
    upgradeMode: "stateless" as const,
  },
};

/** A FlinkApplication request body with the benchmark spec. */
export function benchApplication(name: string, labels?: Record<string, string>) {
  return {
    apiVersion: "cmf.confluent.io/v1" as const,
    kind: "FlinkApplication" as const,
    metadata: { name, labels },
    spec: BENCH_SPEC,
  };
}

/** The `cmf-emulator` command in a child process, in memory, with applications RUNNING at once. */
export function startStandaloneEmulator(): Promise<ChildServer> {
  return startChildServer(process.execPath, [
    path.resolve(__dirname, "..", "provider", "emulator", "cli.js"),
    "--port",
    "0",
    "--lifecycle",
    "instant",
  ]);
}
