import type { CmfEmulator } from "../../provider/emulator";
import { HUB_CLUSTER_NAME } from "../../provider/emulator";
import { Api, application, apps, environment, RFC3339_MS, startEmulator, UUID, V1 } from "./helpers";

/* Kubernetes clusters: the hub, registration by control, PUT semantics, decommission conflicts. */

const CLUSTERS = `${V1}/kubernetes-clusters`;
let emu: CmfEmulator;
let api: Api;
const put = (name: string, body: unknown) => api.request("PUT", `${CLUSTERS}/${name}`, { body });

beforeAll(async () => {
  ({ emu, api } = await startEmulator());
});
afterAll(() => emu.close());
beforeEach(() => emu.controls.reset());

describe("kubernetes clusters", () => {
  test("the hub cluster always exists, also after a reset: ACTIVE and CONNECTED", async () => {
    const list = await api.get(CLUSTERS);
    expect(list.status).toBe(200);
    expect(list.json.metadata.size).toBe(1);
    const hub = list.json.items[0];
    expect(hub).toMatchObject({
      apiVersion: "cmf.confluent.io/v1",
      kind: "KubernetesCluster",
      metadata: { name: HUB_CLUSTER_NAME },
      spec: { lifecycleState: "ACTIVE" },
      status: { state: "CONNECTED", kubernetesVersion: expect.stringMatching(/^v1\./) },
    });
    expect(hub.metadata.uid).toMatch(UUID);
    expect(hub.status.lastHeartbeatTimestamp).toMatch(RFC3339_MS);
    expect((await api.get(`${CLUSTERS}/${HUB_CLUSTER_NAME}`)).json).toEqual(hub);
    expect((await api.get(`${CLUSTERS}/nope`)).status).toBe(404);
    expect((await put("nope", { spec: { lifecycleState: "ACTIVE" } })).status).toBe(404);
  });

  test("more clusters are registered through the control (HTTP and in-process); 409 twice, 400 bad name", async () => {
    const res = await api.post("/_emulator/kubernetes-clusters", {
      name: "spoke-eu",
      labels: { region: "eu" },
      connectivity: "DISCONNECTED",
      message: "Failed to connect to cluster: connection timed out",
    });
    expect(res.status).toBe(201);
    expect(res.json.status).toEqual({
      state: "DISCONNECTED",
      message: "Failed to connect to cluster: connection timed out",
    });
    await emu.controls.registerKubernetesCluster({ name: "spoke-us" });
    expect((await api.post("/_emulator/kubernetes-clusters", { name: "spoke-us" })).status).toBe(409);
    expect((await api.post("/_emulator/kubernetes-clusters", { name: "Bad_Name" })).status).toBe(400);
    const list = await api.get(`${CLUSTERS}?filter=labels.region=eu`);
    expect(list.json.items.map((c: { metadata: { name: string } }) => c.metadata.name)).toEqual(["spoke-eu"]);
    const sorted = await api.get(`${CLUSTERS}?sort=name,desc&fields=metadata.name`);
    expect(sorted.json.items).toEqual([
      { apiVersion: "cmf.confluent.io/v1", kind: "KubernetesCluster", metadata: { name: "spoke-us" } },
      { apiVersion: "cmf.confluent.io/v1", kind: "KubernetesCluster", metadata: { name: "spoke-eu" } },
      { apiVersion: "cmf.confluent.io/v1", kind: "KubernetesCluster", metadata: { name: HUB_CLUSTER_NAME } },
    ]);
    const reconnected = await api.request("PUT", "/_emulator/kubernetes-clusters/spoke-eu/connectivity", {
      body: { connectivity: "CONNECTED" },
    });
    expect(reconnected.json.status.state).toBe("CONNECTED");
    expect(reconnected.json.status.lastHeartbeatTimestamp).toMatch(RFC3339_MS);
  });

  test("PUT labels/annotations: omitted or null = unchanged, {} = clears, a map replaces", async () => {
    await emu.controls.registerKubernetesCluster({
      name: "spoke-1",
      labels: { a: "1" },
      annotations: { n: "x" },
    });
    const replaced = await put("spoke-1", { metadata: { name: "spoke-1", labels: { b: "2" } } });
    expect(replaced.status).toBe(200);
    expect(replaced.json.metadata.labels).toEqual({ b: "2" });
    expect(replaced.json.metadata.annotations).toEqual({ n: "x" });
    const nulls = await put("spoke-1", { metadata: { labels: null, annotations: null }, spec: {} });
    expect(nulls.json.metadata).toMatchObject({ labels: { b: "2" }, annotations: { n: "x" } });
    const cleared = await put("spoke-1", { metadata: { labels: {} } });
    expect(cleared.json.metadata).not.toHaveProperty("labels");
    expect(cleared.json.metadata.annotations).toEqual({ n: "x" });
    expect((await api.get(`${CLUSTERS}/spoke-1`)).json).toEqual(cleared.json);
  });

  test("PUT 400: another name in metadata, an unknown lifecycleState, a body that is not an object", async () => {
    const renamed = await put(HUB_CLUSTER_NAME, { metadata: { name: "other" } });
    expect(renamed.status).toBe(400);
    expect(renamed.json.errors[0].message).toMatch(/^metadata\.name: must equal the cluster name/);
    const state = await put(HUB_CLUSTER_NAME, { spec: { lifecycleState: "GONE" } });
    expect(state.status).toBe(400);
    expect(state.json.errors[0].message).toMatch(
      /^spec\.lifecycleState: must be one of: ACTIVE, DECOMMISSIONED/,
    );
    expect((await put(HUB_CLUSTER_NAME, [1])).status).toBe(400);
  });

  test("decommission: 400 with CMF's message while environments reference it; then allowed; recommission", async () => {
    await emu.controls.registerKubernetesCluster({ name: "azure-k8s-cluster" });
    await api.post(
      `${V1}/environments`,
      environment("prod-azure", { kubernetesClusterName: "azure-k8s-cluster" }),
    );
    await api.post(
      `${V1}/environments`,
      environment("staging-azure", { kubernetesClusterName: "azure-k8s-cluster" }),
    );
    const refused = await put("azure-k8s-cluster", { spec: { lifecycleState: "DECOMMISSIONED" } });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      errors: [
        {
          message:
            "Cannot decommission cluster 'azure-k8s-cluster': referenced by environments [prod-azure, staging-azure]",
        },
      ],
    });
    /* The hub is referenced by environments without kubernetesClusterName. */
    await api.post(`${V1}/environments`, environment("on-hub"));
    expect(
      (await put(HUB_CLUSTER_NAME, { spec: { lifecycleState: "DECOMMISSIONED" } })).json.errors[0].message,
    ).toBe(`Cannot decommission cluster '${HUB_CLUSTER_NAME}': referenced by environments [on-hub]`);

    await api.delete(`${V1}/environments/prod-azure`);
    await api.delete(`${V1}/environments/staging-azure`);
    const done = await put("azure-k8s-cluster", { spec: { lifecycleState: "DECOMMISSIONED" } });
    expect(done.status).toBe(200);
    expect(done.json.spec.lifecycleState).toBe("DECOMMISSIONED");
    expect(done.json.status.state).toBe("DECOMMISSIONED");
    expect(done.json.status).not.toHaveProperty("kubernetesVersion");
    const onIt = await api.post(
      `${V1}/environments`,
      environment("late", { kubernetesClusterName: "azure-k8s-cluster" }),
    );
    expect(onIt.status).toBe(400);
    expect(onIt.json.errors[0].message).toMatch(/is DECOMMISSIONED/);
    const back = await put("azure-k8s-cluster", { spec: { lifecycleState: "ACTIVE" } });
    expect(back.json.status.state).toBe("CONNECTED");
    expect(
      (
        await api.post(
          `${V1}/environments`,
          environment("late", { kubernetesClusterName: "azure-k8s-cluster" }),
        )
      ).status,
    ).toBe(200);
  });

  test("an environment's kubernetesClusterName must name a registered cluster (the spec's own 400 example)", async () => {
    const res = await api.post(
      `${V1}/environments`,
      environment("prod", { kubernetesClusterName: "nonexistent" }),
    );
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([
      { message: "Environment's kubernetesClusterName 'nonexistent' does not exist." },
    ]);
    expect((await api.get(`${V1}/environments/prod`)).status).toBe(404);
    /* An existing environment keeps working even though the rule applies only to creation. */
    await api.post(`${V1}/environments`, environment("prod", { kubernetesClusterName: HUB_CLUSTER_NAME }));
    await api.post(apps("prod"), application("orders"));
    expect((await api.post(`${V1}/environments`, environment("prod"))).status).toBe(200);
  });
});
