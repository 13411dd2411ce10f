import { applicationController } from "../../provider/kinds/application/adapter";
import { environmentController } from "../../provider/kinds/environment/adapter";

const checkApplication = (news: Record<string, unknown>) => applicationController.check(news);
const checkEnvironment = (news: Record<string, unknown>) => environmentController.check(news);
import { UNKNOWN } from "../../provider/core/unknown";

const spec = {
  image: "confluentinc/cp-flink:1.19.3-cp2",
  flinkVersion: "v1_19",
  serviceAccount: "flink",
  jobManager: { resource: { cpu: 1, memory: "1024m" } },
  taskManager: { resource: { cpu: 1, memory: "2Gi" } },
  job: { jarURI: "local:///opt/flink/job.jar", parallelism: 2, state: "running", upgradeMode: "stateless" },
};

function app(overrides: Record<string, unknown> = {}) {
  return { environment: "prod-env", name: "orders", spec, ...overrides };
}

function env(overrides: Record<string, unknown> = {}) {
  return { name: "prod-env", kubernetesNamespace: "flink-prod", ...overrides };
}

function properties(result: { failures: { property: string }[] }): string[] {
  return result.failures.map((f) => f.property);
}

describe("checkEnvironment", () => {
  it("accepts a complete environment and echoes it", () => {
    const news = env({
      kubernetesClusterName: "east",
      flinkApplicationDefaults: { spec: { flinkConfiguration: { "taskmanager.numberOfTaskSlots": "2" } } },
      statementDefaults: { detached: { flinkConfiguration: { "table.exec.state.ttl": "1h" } } },
      computePoolDefaults: { clusterSpec: { flinkVersion: "v1_19" } },
      labels: { team: "data" },
      annotations: { owner: "me" },
      adopt: true,
      forceDelete: false,
      owner: "proj/dev/prod",
      connection: { url: "https://cmf.example.com:8080", token: "t" },
      __provider: "exports.handler = ...",
    });
    const result = checkEnvironment(news);
    expect(result.failures).toEqual([]);
    expect(result.inputs).toEqual(news);
  });

  it("reports one failure per broken rule, naming the field", () => {
    const result = checkEnvironment({
      name: "Prod_Env",
      kubernetesNamespace: "",
      labels: { team: 7 },
      adopt: "yes",
      colour: "blue",
    });
    expect(result.failures).toEqual(
      expect.arrayContaining([
        { property: "colour", reason: expect.stringMatching(/not a known field/) },
        {
          property: "name",
          reason: expect.stringMatching(/must match .*RFC 1123 subdomains.*got "Prod_Env"/s),
        },
        { property: "kubernetesNamespace", reason: "must not be empty" },
        { property: "labels.team", reason: "must be a string (got number)" },
        { property: "adopt", reason: "must be a boolean (got string)" },
      ]),
    );
    expect(result.failures).toHaveLength(5);
  });

  it("requires the name and the namespace", () => {
    const result = checkEnvironment({});
    expect(result.failures).toEqual([
      { property: "name", reason: "is required" },
      { property: "kubernetesNamespace", reason: "is required" },
    ]);
  });

  it("rejects names shorter than 4 characters with the length rule", () => {
    const result = checkEnvironment(env({ name: "abc" }));
    expect(result.failures).toEqual([
      { property: "name", reason: expect.stringMatching(/size must be between 4/) },
    ]);
  });

  it("turns numbers and booleans of every flinkConfiguration map into strings", () => {
    const result = checkEnvironment(
      env({
        flinkApplicationDefaults: {
          spec: { flinkConfiguration: { slots: 2, "pipeline.object-reuse": true } },
        },
        statementDefaults: { interactive: { flinkConfiguration: { "parallelism.default": 4 } } },
        computePoolDefaults: { clusterSpec: { flinkConfiguration: { "a.b": 1.5 } } },
      }),
    );
    expect(result.failures).toEqual([]);
    expect(result.inputs.flinkApplicationDefaults).toEqual({
      spec: { flinkConfiguration: { slots: "2", "pipeline.object-reuse": "true" } },
    });
    expect(result.inputs.statementDefaults).toEqual({
      interactive: { flinkConfiguration: { "parallelism.default": "4" } },
    });
    expect(result.inputs.computePoolDefaults).toEqual({
      clusterSpec: { flinkConfiguration: { "a.b": "1.5" } },
    });
  });

  it("rejects flinkConfiguration values that are not scalars", () => {
    const result = checkEnvironment(
      env({
        flinkApplicationDefaults: { spec: { flinkConfiguration: { nested: { a: 1 } } } },
        computePoolDefaults: { clusterSpec: { flinkConfiguration: { list: [1] } } },
      }),
    );
    expect(properties(result)).toEqual([
      "flinkApplicationDefaults.spec.flinkConfiguration.nested",
      "computePoolDefaults.clusterSpec.flinkConfiguration.list",
    ]);
  });

  it("reserves the owner annotation", () => {
    const result = checkEnvironment(env({ annotations: { "pulumi-cmf/owner": "x" } }));
    expect(result.failures).toEqual([
      { property: "annotations[pulumi-cmf/owner]", reason: expect.stringMatching(/reserved/) },
    ]);
  });

  it("skips every value that is unknown during preview, at any depth, and passes it through", () => {
    const news = env({
      name: UNKNOWN,
      kubernetesNamespace: UNKNOWN,
      labels: { team: UNKNOWN },
      flinkApplicationDefaults: { spec: { flinkConfiguration: { slots: UNKNOWN } } },
      statementDefaults: UNKNOWN,
      connection: { url: UNKNOWN, token: UNKNOWN },
    });
    const result = checkEnvironment(news);
    expect(result.failures).toEqual([]);
    expect(result.inputs).toEqual(news);
  });
});

describe("checkApplication", () => {
  it("accepts a complete application", () => {
    const result = checkApplication(app({ labels: { a: "b" }, waitFor: "running", timeoutSeconds: 60 }));
    expect(result.failures).toEqual([]);
  });

  it("applies the 45-character DNS-1035 rule to names", () => {
    const cases: [string, RegExp][] = [
      ["a".repeat(46), /size must be between 4 and 45/],
      ["1orders", /must match/],
      ["orders.v2", /must match/],
      ["Orders", /must match/],
      ["orders-", /must match/],
    ];
    for (const [name, rule] of cases) {
      const result = checkApplication(app({ name }));
      expect(result.failures).toEqual([{ property: "name", reason: expect.stringMatching(rule) }]);
      expect(result.failures[0].reason).toMatch(/DNS-1035/);
    }
    expect(checkApplication(app({ name: "a".repeat(45) })).failures).toEqual([]);
  });

  it("validates the spec field by field: enums, integers, memory and cpu", () => {
    const result = checkApplication(
      app({
        spec: {
          ...spec,
          jobManager: { resource: { cpu: "500m", memory: "lots" } },
          taskManager: { resource: { cpu: -1, memory: "0m" }, replicas: 1.5 },
          job: { jarURI: "local:///x.jar", parallelism: 0, state: "runing", upgradeMode: "savepoints" },
        },
      }),
    );
    const byProperty = Object.fromEntries(result.failures.map((f) => [f.property, f.reason]));
    expect(byProperty).toEqual({
      "spec.jobManager.resource.cpu": "must be a number (got string)",
      "spec.jobManager.resource.memory": expect.stringMatching(/memory size such as "1024m".*got "lots"/),
      "spec.taskManager.resource.cpu": "must be greater than 0",
      "spec.taskManager.resource.memory": 'must be greater than zero (got "0m")',
      "spec.taskManager.replicas": "must be an integer (got 1.5)",
      "spec.job.parallelism": "must be greater than or equal to 1",
      "spec.job.state": 'must be one of: running, suspended (got "runing")',
      "spec.job.upgradeMode": 'must be one of: stateless, savepoint, last-state (got "savepoints")',
    });
  });

  it("accepts Flink and Kubernetes memory units", () => {
    for (const memory of ["1024m", "2g", "2 GB", "512mb", "1.5g", "2Gi", "1024Mi", "3t", "100b"]) {
      const result = checkApplication(
        app({ spec: { ...spec, jobManager: { resource: { cpu: 1, memory } } } }),
      );
      expect({ memory, failures: result.failures }).toEqual({ memory, failures: [] });
    }
  });

  it("turns flinkConfiguration numbers and booleans into strings and rejects objects", () => {
    const result = checkApplication(
      app({ spec: { ...spec, flinkConfiguration: { a: 1, b: false, c: "x" } } }),
    );
    expect(result.failures).toEqual([]);
    expect((result.inputs.spec as { flinkConfiguration: unknown }).flinkConfiguration).toEqual({
      a: "1",
      b: "false",
      c: "x",
    });
    const bad = checkApplication(app({ spec: { ...spec, flinkConfiguration: { a: { b: 1 } } } }));
    expect(bad.failures).toEqual([
      {
        property: "spec.flinkConfiguration.a",
        reason: expect.stringMatching(/must be a string \(got object\)/),
      },
    ]);
  });

  it("requires environment, name and spec", () => {
    const result = checkApplication({});
    expect(result.failures).toEqual([
      { property: "environment", reason: "is required" },
      { property: "name", reason: "is required" },
      { property: "spec", reason: "is required (the FlinkApplication spec)" },
    ]);
  });

  it("checks waitFor, its consistency with spec.job.state, and timeoutSeconds", () => {
    expect(checkApplication(app({ waitFor: "ready" })).failures).toEqual([
      { property: "waitFor", reason: 'must be one of: running, suspended, none (got "ready")' },
    ]);
    const suspended = { ...spec, job: { ...spec.job, state: "suspended" } };
    expect(properties(checkApplication(app({ spec: suspended, waitFor: "running" })))).toEqual(["waitFor"]);
    expect(properties(checkApplication(app({ waitFor: "suspended" })))).toEqual(["waitFor"]);
    expect(checkApplication(app({ spec: suspended, waitFor: "suspended" })).failures).toEqual([]);
    expect(checkApplication(app({ spec: suspended, waitFor: "none" })).failures).toEqual([]);
    expect(checkApplication(app({ timeoutSeconds: 0 })).failures).toEqual([
      { property: "timeoutSeconds", reason: expect.stringMatching(/integer from 1 to/) },
    ]);
    expect(properties(checkApplication(app({ timeoutSeconds: 1.5 })))).toEqual(["timeoutSeconds"]);
  });

  it("skips unknown values anywhere in the spec but still checks the known ones", () => {
    const news = app({
      environment: UNKNOWN,
      spec: {
        ...spec,
        image: UNKNOWN,
        jobManager: { resource: { cpu: UNKNOWN, memory: UNKNOWN } },
        job: { ...spec.job, parallelism: UNKNOWN, state: "runing" },
        flinkConfiguration: { a: UNKNOWN, b: 2 },
      },
      waitFor: UNKNOWN,
    });
    const result = checkApplication(news);
    expect(result.failures).toEqual([
      { property: "spec.job.state", reason: 'must be one of: running, suspended (got "runing")' },
    ]);
    const checked = result.inputs.spec as { flinkConfiguration: Record<string, unknown>; image: unknown };
    expect(checked.flinkConfiguration).toEqual({ a: UNKNOWN, b: "2" });
    expect(checked.image).toBe(UNKNOWN);
    expect(result.inputs.environment).toBe(UNKNOWN);
  });

  it("skips a spec that is entirely unknown", () => {
    expect(checkApplication(app({ spec: UNKNOWN })).failures).toEqual([]);
  });
});

describe("connection validation", () => {
  const secret = "sup3r-s3cret-t0ken";

  it("validates the URL form without ever echoing a connection value", () => {
    const cases: [unknown, RegExp][] = [
      [{ url: `ftp://${secret}.example.com` }, /http or https/],
      [{ url: `https://admin:${secret}@cmf.example.com` }, /must not contain credentials/],
      [{ url: `${secret}` }, /absolute URL/],
      [{ url: `https://cmf.example.com/?token=${secret}` }, /query string/],
      [{ token: secret }, /required when connection is set/],
    ];
    for (const [connection, rule] of cases) {
      const result = checkEnvironment(env({ connection }));
      expect(result.failures).toEqual([{ property: "connection.url", reason: expect.stringMatching(rule) }]);
      expect(JSON.stringify(result.failures)).not.toContain(secret);
    }
  });

  it("checks the types, pairs and TLS consistency of the other settings", () => {
    const result = checkApplication(
      app({
        connection: {
          url: "http://cmf:8080",
          token: 42,
          caCertificate: "-----BEGIN CERTIFICATE-----",
          caCertificatePath: "/ca.pem",
          clientKey: secret,
          insecureSkipTlsVerify: "true",
          requestTimeoutSeconds: 0,
          proxy: "x",
        },
      }),
    );
    expect(properties(result).sort()).toEqual(
      [
        "connection.proxy",
        "connection.token",
        "connection.insecureSkipTlsVerify",
        "connection.requestTimeoutSeconds",
        "connection.caCertificate",
        "connection.clientCertificate",
      ].sort(),
    );
    expect(JSON.stringify(result.failures)).not.toContain(secret);
  });

  it("reports one failure per field, the first rule it breaks", () => {
    const result = checkApplication(
      app({ connection: { url: "http://cmf:8080", caCertificate: "pem", caCertificatePath: "/ca.pem" } }),
    );
    expect(result.failures).toEqual([
      {
        property: "connection.caCertificate",
        reason: "and connection.caCertificatePath are both set; set only one",
      },
    ]);
  });

  it("applies one timeout rule, from 1 to 3600 seconds, which 0.5 breaks", () => {
    for (const seconds of [0, 0.5, 3601]) {
      expect(
        checkApplication(app({ connection: { url: "https://cmf:8080", requestTimeoutSeconds: seconds } }))
          .failures,
      ).toEqual([
        {
          property: "connection.requestTimeoutSeconds",
          reason: "must be a number of seconds from 1 to 3600",
        },
      ]);
    }
    expect(
      checkApplication(app({ connection: { url: "https://cmf:8080", requestTimeoutSeconds: 1.5 } })).failures,
    ).toEqual([]);
  });

  it("accepts an https connection with mTLS material", () => {
    const connection = {
      url: "https://cmf.example.com:8443/cmf/api/v1",
      caCertificatePath: "/etc/ca.pem",
      clientCertificatePath: "/etc/client.pem",
      clientKeyPath: "/etc/client.key",
      requestTimeoutSeconds: 10,
    };
    expect(checkEnvironment(env({ connection })).failures).toEqual([]);
  });
});
