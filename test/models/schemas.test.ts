import {
  ApplicationsPageSchema,
  EnvironmentSchema,
  EnvironmentsPageSchema,
  EventsPageSchema,
  FlinkApplicationInstanceSchema,
  FlinkApplicationSchema,
  parseModel,
  PostEnvironmentSchema,
  PostFlinkApplicationSchema,
  restError,
  restErrorMessages,
  RestErrorSchema,
} from "../../provider/models";

/* The application and environment examples of the CMF 2.3.1 OpenAPI document, plus a status as CFK
   captured it from a real cluster. */
const application = {
  apiVersion: "cmf.confluent.io/v1",
  kind: "FlinkApplication",
  metadata: {
    name: "state-machine",
    labels: { app: "state-machine", environment: "production" },
    annotations: { description: "Real-time fraud detection application" },
  },
  spec: {
    image: "confluentinc/cp-flink:1.19.3-cp2",
    flinkVersion: "v1_19",
    flinkConfiguration: {
      "taskmanager.numberOfTaskSlots": "2",
      "metrics.reporter.prom.factory.class": "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
      "metrics.reporter.prom.port": "9249-9250",
    },
    serviceAccount: "flink",
    jobManager: { resource: { memory: "1024m", cpu: 1 } },
    taskManager: { resource: { memory: "1024m", cpu: 1 } },
    job: {
      jarURI: "local:///opt/flink/examples/streaming/StateMachineExample.jar",
      state: "running",
      parallelism: 2,
      upgradeMode: "stateless",
    },
  },
};

const status = {
  jobStatus: {
    jobName: "State machine job",
    jobId: "b4e4a7e8",
    state: "RECONCILING",
    startTime: "1730970323318",
  },
  lifecycleState: "DEPLOYED",
  jobManagerDeploymentStatus: "DEPLOYING",
  reconciliationStatus: {
    state: "DEPLOYED",
    reconciliationTimestamp: 1730970323318,
    lastReconciledSpec: "{}",
  },
  clusterInfo: { "flink-version": "1.19.1-cp1", "total-cpu": "3.0" },
  taskManager: { labelSelector: "component=taskmanager", replicas: 2 },
  observedGeneration: 4,
  error: null,
  currentDeployedInstanceName: "0e2b1d1e-7d3f-4b6e-9c1a-1f2e3d4c5b6a",
  someFutureField: { x: 1 },
};

describe("request schemas", () => {
  test("the spec's application example is a valid upsert body", () => {
    expect(parseModel(PostFlinkApplicationSchema, application)).toEqual({ ok: true, value: application });
  });

  test("the spec's environment example is a valid upsert body", () => {
    const env = {
      name: "production",
      kubernetesNamespace: "flink-production",
      flinkApplicationDefaults: { spec: { flinkConfiguration: { "taskmanager.numberOfTaskSlots": "4" } } },
      computePoolDefaults: { clusterSpec: { flinkVersion: "v1_19" } },
      statementDefaults: { detached: { flinkConfiguration: { "state.backend.type": "hashmap" } } },
    };
    expect(parseModel(PostEnvironmentSchema, env)).toEqual({ ok: true, value: env });
  });

  test("the Confluent CLI's update body (null defaults, no namespace) is accepted", () => {
    const body = {
      name: "production",
      flinkApplicationDefaults: null,
      computePoolDefaults: null,
      statementDefaults: {},
    };
    expect(parseModel(PostEnvironmentSchema, body).ok).toBe(true);
  });

  test("unknown fields are kept (loose objects)", () => {
    const body = { ...application, spec: { ...application.spec, ingress: { template: "x" } } };
    const result = parseModel(PostFlinkApplicationSchema, body);
    expect(result.ok && (result.value.spec as Record<string, unknown>).ingress).toEqual({ template: "x" });
  });
});

describe("response schemas", () => {
  test("an application with a real operator status parses, unknown fields kept", () => {
    const parsed = FlinkApplicationSchema.parse({ ...application, status });
    expect(parsed.status?.someFutureField).toEqual({ x: 1 });
    expect(parsed.status?.error).toBeNull();
  });

  test("response parsing does not re-check name rules (objects made elsewhere still parse)", () => {
    const long = { ...application, metadata: { name: `x${"y".repeat(60)}` } };
    expect(FlinkApplicationSchema.safeParse(long).success).toBe(true);
    expect(PostFlinkApplicationSchema.safeParse(long).success).toBe(false);
  });

  test("environment: required name and namespace, nullable optional parts", () => {
    expect(
      EnvironmentSchema.safeParse({ name: "prod", kubernetesNamespace: "ns", secrets: {}, status: null })
        .success,
    ).toBe(true);
    expect(EnvironmentSchema.safeParse({ name: "prod" }).success).toBe(false);
  });

  test("pages: the envelope, with items defaulting to []", () => {
    const page = EnvironmentsPageSchema.parse({
      pageable: { page: 0, size: 20, sort: { sorted: false } },
      metadata: { size: 0 },
    });
    expect(page.items).toEqual([]);
    expect(ApplicationsPageSchema.safeParse({ items: [{ ...application, status }] }).success).toBe(true);
    expect(ApplicationsPageSchema.safeParse({ items: [{ kind: "x" }] }).success).toBe(false);
  });

  test("instances and events", () => {
    expect(
      FlinkApplicationInstanceSchema.safeParse({
        apiVersion: "cmf.confluent.io/v1",
        kind: "FlinkApplicationInstance",
        metadata: { name: "u", uid: "u" },
        status: { spec: {}, jobStatus: { jobId: "j", state: "FINISHED" } },
      }).success,
    ).toBe(true);
    const events = EventsPageSchema.parse({
      items: [
        {
          apiVersion: "cmf.confluent.io/v1alpha1",
          kind: "FlinkApplicationEvent",
          metadata: { name: "e", uid: "e", flinkApplicationInstance: "u" },
          status: { message: "Job failed", type: "JOB_STATUS", data: { exceptionString: "boom" } },
        },
      ],
    });
    expect(events.items[0].status.data?.exceptionString).toBe("boom");
  });
});

describe("RestError", () => {
  test("builds and reads CMF's error body", () => {
    const body = restError(["name: size must be between 4 and 2147483647", "other"]);
    expect(RestErrorSchema.parse(body)).toEqual(body);
    expect(restErrorMessages(body)).toEqual(["name: size must be between 4 and 2147483647", "other"]);
    expect(restErrorMessages({ errors: [{}, { message: "x" }] })).toEqual(["x"]);
    expect(restErrorMessages("<html>")).toEqual([]);
  });
});
