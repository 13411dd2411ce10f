import { applicationController, jobStateChangeOnly } from "../../provider/kinds/application/adapter";
import { environmentController } from "../../provider/kinds/environment/adapter";

type Inputs = Record<string, unknown>;
const diffApplication = (olds: Inputs, news: Inputs) => applicationController.diff(olds, news);
const diffEnvironment = (olds: Inputs, news: Inputs) => environmentController.diff(olds, news);
import { UNKNOWN } from "../../provider/core/unknown";

const spec = {
  image: "img:1",
  flinkConfiguration: { "taskmanager.numberOfTaskSlots": "2" },
  job: { jarURI: "local:///x.jar", parallelism: 1, state: "running", upgradeMode: "stateless" },
};

/** Old outputs as the provider stores them: user-owned fields, settings and server-set fields. */
const envOutputs = {
  __provider: "exports.handler = old",
  name: "prod-env",
  kubernetesNamespace: "flink-prod",
  labels: { team: "data" },
  connection: { url: "https://cmf:8080", token: "t1" },
  owner: "p/s/prod",
  createdTime: "2026-01-01T00:00:00.000Z",
  updatedTime: "2026-01-02T00:00:00.000Z",
  secrets: { a: "b" },
  status: { resources: {} },
};
const envInputs = {
  __provider: "exports.handler = new",
  name: "prod-env",
  kubernetesNamespace: "flink-prod",
  labels: { team: "data" },
  connection: { url: "https://cmf:8080", token: "t1" },
  owner: "p/s/prod",
};

const appOutputs = {
  __provider: "exports.handler = old",
  environment: "prod-env",
  name: "orders",
  spec,
  waitFor: "running",
  owner: "p/s/orders",
  status: { jobState: "RUNNING", lifecycleState: "STABLE" },
  uid: "u-1",
  createdTime: "2026-01-01T00:00:00.000Z",
  updatedTime: "2026-01-01T00:00:00.000Z",
};
const appInputs = {
  __provider: "exports.handler = new",
  environment: "prod-env",
  name: "orders",
  spec,
  waitFor: "running",
  owner: "p/s/orders",
};

describe("diffEnvironment", () => {
  it("ignores __provider, server-set fields, status and the owner marker", () => {
    const outcome = diffEnvironment(envOutputs, { ...envInputs, owner: "renamed/stack/prod" });
    expect(outcome).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      changedCmfFields: [],
      changedSettings: [],
    });
  });

  it("treats empty maps and absent maps alike", () => {
    expect(diffEnvironment({ ...envOutputs, labels: undefined }, { ...envInputs, labels: {} }).changes).toBe(
      false,
    );
  });

  it("updates in place for defaults, labels and annotations", () => {
    for (const change of [
      { labels: { team: "ops" } },
      { labels: undefined },
      { annotations: { a: "b" } },
      { flinkApplicationDefaults: { spec: { flinkConfiguration: { x: "1" } } } },
      { statementDefaults: { detached: { flinkConfiguration: { y: "2" } } } },
      { computePoolDefaults: { clusterSpec: { image: "i" } } },
    ]) {
      const outcome = diffEnvironment(envOutputs, { ...envInputs, ...change });
      expect({ change, changes: outcome.changes, replaces: outcome.replaces }).toEqual({
        change,
        changes: true,
        replaces: [],
      });
    }
  });

  it("replaces on name (create first: the new name is free)", () => {
    const outcome = diffEnvironment(envOutputs, { ...envInputs, name: "prod-env-2" });
    expect(outcome).toMatchObject({ changes: true, replaces: ["name"], deleteBeforeReplace: false });
  });

  it("replaces on namespace and cluster, deleting first because the name stays", () => {
    expect(diffEnvironment(envOutputs, { ...envInputs, kubernetesNamespace: "other" })).toMatchObject({
      changes: true,
      replaces: ["kubernetesNamespace"],
      deleteBeforeReplace: true,
    });
    expect(diffEnvironment(envOutputs, { ...envInputs, kubernetesClusterName: "east" })).toMatchObject({
      replaces: ["kubernetesClusterName"],
      deleteBeforeReplace: true,
    });
    expect(diffEnvironment({ ...envOutputs, kubernetesClusterName: "east" }, { ...envInputs })).toMatchObject(
      { replaces: ["kubernetesClusterName"], deleteBeforeReplace: true },
    );
  });

  it("counts unknown values as changes, and an unknown name as a replacement that deletes first", () => {
    expect(diffEnvironment(envOutputs, { ...envInputs, labels: { team: UNKNOWN } })).toMatchObject({
      changes: true,
      replaces: [],
      changedCmfFields: ["labels"],
    });
    expect(diffEnvironment(envOutputs, { ...envInputs, name: UNKNOWN })).toMatchObject({
      changes: true,
      replaces: ["name"],
      deleteBeforeReplace: true,
    });
  });

  it("reports connection-only and setting-only changes as changes that touch no CMF field", () => {
    const rotated = diffEnvironment(envOutputs, {
      ...envInputs,
      connection: { url: "https://cmf:8080", token: "t2" },
    });
    expect(rotated).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      changedCmfFields: [],
      changedSettings: ["connection"],
    });
    const removed = diffEnvironment(envOutputs, { ...envInputs, connection: undefined });
    expect(removed.changedSettings).toEqual(["connection"]);
    const flags = diffEnvironment(envOutputs, { ...envInputs, adopt: true, forceDelete: true });
    expect(flags).toMatchObject({
      changes: true,
      replaces: [],
      changedCmfFields: [],
      changedSettings: ["adopt", "forceDelete"],
    });
    expect(
      diffEnvironment(envOutputs, { ...envInputs, connection: { url: UNKNOWN } }).changedSettings,
    ).toEqual(["connection"]);
  });
});

describe("diffApplication", () => {
  it("ignores status, uid, timestamps and __provider", () => {
    expect(diffApplication(appOutputs, appInputs).changes).toBe(false);
  });

  it("updates in place for spec, labels and annotations", () => {
    expect(diffApplication(appOutputs, { ...appInputs, spec: { ...spec, image: "img:2" } })).toMatchObject({
      changes: true,
      replaces: [],
      changedCmfFields: ["spec"],
    });
    expect(diffApplication(appOutputs, { ...appInputs, labels: { a: "b" } }).changedCmfFields).toEqual([
      "labels",
    ]);
  });

  it("replaces on name (creating first) and on environment (creating first: another environment)", () => {
    expect(diffApplication(appOutputs, { ...appInputs, name: "orders-v2" })).toMatchObject({
      replaces: ["name"],
      deleteBeforeReplace: false,
    });
    expect(diffApplication(appOutputs, { ...appInputs, environment: "staging-env" })).toMatchObject({
      replaces: ["environment"],
      deleteBeforeReplace: false,
    });
  });

  it("deletes first when the environment is replaced but keeps its name", () => {
    expect(diffApplication(appOutputs, { ...appInputs, environment: UNKNOWN })).toMatchObject({
      changes: true,
      replaces: ["environment"],
      deleteBeforeReplace: true,
    });
  });

  it("counts an unknown anywhere in the spec as a change", () => {
    const outcome = diffApplication(appOutputs, {
      ...appInputs,
      spec: { ...spec, job: { ...spec.job, parallelism: UNKNOWN } },
    });
    expect(outcome).toMatchObject({ changes: true, replaces: [], changedCmfFields: ["spec"] });
  });

  it("never touches CMF for waitFor, timeoutSeconds, adopt, forceDelete or connection changes", () => {
    const outcome = diffApplication(appOutputs, {
      ...appInputs,
      waitFor: "none",
      timeoutSeconds: 30,
      adopt: true,
      forceDelete: true,
      connection: { url: "https://other:8080" },
    });
    expect(outcome).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      changedCmfFields: [],
      changedSettings: ["connection", "adopt", "forceDelete", "waitFor", "timeoutSeconds"],
    });
  });

  it("recognises a change of only spec.job.state", () => {
    const suspended = { ...appInputs, spec: { ...spec, job: { ...spec.job, state: "suspended" } } };
    expect(jobStateChangeOnly(appOutputs, suspended, diffApplication(appOutputs, suspended))).toBe(
      "suspended",
    );
    const both = { ...appInputs, spec: { ...suspended.spec, image: "img:2" } };
    expect(jobStateChangeOnly(appOutputs, both, diffApplication(appOutputs, both))).toBeUndefined();
    const resumed = { ...appOutputs, spec: suspended.spec };
    expect(jobStateChangeOnly(resumed, appInputs, diffApplication(resumed, appInputs))).toBe("running");
    const withLabels = { ...suspended, labels: { a: "b" } };
    expect(
      jobStateChangeOnly(appOutputs, withLabels, diffApplication(appOutputs, withLabels)),
    ).toBeUndefined();
  });
});
