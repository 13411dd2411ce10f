/**
 * CmfSecret: check and diff (pure), the `data` output rules (pure), and the operations against the
 * emulator: values never read back from CMF, drift from `status.version` only, values never in errors.
 */
import {
  CHANGED_OUTSIDE_PULUMI,
  digestData,
  secretData,
  secretOutputs,
} from "../../../provider/kinds/secret/adapter";
import { secretController } from "../../../provider/kinds/secret/adapter";
import { OWNER_ANNOTATION } from "../../../provider/core/ownership";
import { forEngine } from "../../../provider/resources/runtime";
import { caught, closeHarnesses, harness, type Harness } from "./harness";

const VALUE = "user=alice password=s3cr3t-Value-77";

afterAll(closeHarnesses);

function inputs(h: Harness | undefined, extra: Record<string, unknown> = {}) {
  return {
    __provider: "shim",
    name: "kafka-creds",
    data: { "sasl.jaas.config": VALUE },
    owner: "proj/dev/kafka-creds",
    ...(h ? { connection: h.connection } : {}),
    ...extra,
  };
}

describe("CmfSecret check and diff", () => {
  it("requires data and names the bad member without showing any value", () => {
    expect(secretController.check({ name: "kafka-creds" }).failures).toEqual([
      { property: "data", reason: "is required" },
    ]);
    const { failures } = secretController.check({ name: "kc", data: { a: 5, b: VALUE } });
    expect(failures).toEqual([
      expect.objectContaining({ property: "name", reason: expect.stringMatching(/at least 4/) }),
      { property: "data.a", reason: "must be a string (got number)" },
    ]);
    expect(JSON.stringify(failures)).not.toContain(VALUE);
  });

  it("reports a failure of the secret field itself without the engine showing its value", () => {
    expect(forEngine({ property: "data", reason: "must be a map of strings (got array)" }, ["data"])).toEqual(
      {
        property: "",
        reason: "data: must be a map of strings (got array)",
      },
    );
    expect(forEngine({ property: "name", reason: "is required" }, ["data"])).toEqual({
      property: "name",
      reason: "is required",
    });
  });

  it("changes data in place, replaces on a new name, and ignores the outputs CMF sets", () => {
    const olds = {
      ...inputs(undefined),
      data: digestData(inputs(undefined).data, "u"),
      version: "1",
      uid: "u",
      createdTime: "t",
    };
    expect(secretController.diff(olds, inputs(undefined)).changes).toBe(false);
    const changed = secretController.diff(olds, inputs(undefined, { data: { "sasl.jaas.config": "x" } }));
    expect(changed).toMatchObject({ changes: true, replaces: [], changedCmfFields: ["data"] });
    const renamed = secretController.diff(olds, inputs(undefined, { name: "other-creds" }));
    expect(renamed).toMatchObject({ replaces: ["name"], deleteBeforeReplace: false });
  });
});

describe("CmfSecret data output", () => {
  const server = (version: string) => ({
    apiVersion: "cmf.confluent.io/v1",
    kind: "Secret",
    metadata: { name: "kafka-creds", uid: "uid-1" },
    spec: { data: { "sasl.jaas.config": "****" } },
    status: { version },
  });

  it("holds keyed digests, never the values", () => {
    const digests = digestData({ k: VALUE }, "uid-1") as Record<string, string>;
    expect(digests.k).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(digests.k).not.toContain(VALUE);
    expect(digestData({ k: VALUE }, "uid-2")).not.toEqual(digests);
    expect(digestData(digests, "uid-1")).toEqual(digests);
  });

  it("keeps the written values' digests after a write and while the version is the one last seen", () => {
    const digests = digestData({ k: VALUE }, "uid-1");
    expect(secretData(server("1"), { data: { k: VALUE } })).toEqual(digests);
    expect(secretData(server("3"), { data: digests, version: "3" })).toEqual(digests);
  });

  it("marks data as changed when the version moved, without using CMF's masked values", () => {
    const data = secretData(server("4"), { data: { "sasl.jaas.config": "x" }, version: "3" });
    expect(data).toEqual({ "sasl.jaas.config": CHANGED_OUTSIDE_PULUMI });
    expect(secretOutputs(server("4"), { data: { k: "x" }, version: "3" }, {})).toMatchObject({
      version: "4",
      data: { "sasl.jaas.config": CHANGED_OUTSIDE_PULUMI },
    });
  });

  it("diffs the declared values against the digests in the state", () => {
    const olds = {
      ...inputs(undefined),
      uid: "uid-1",
      version: "1",
      data: digestData({ "sasl.jaas.config": VALUE }, "uid-1"),
    };
    expect(secretController.diff(olds, inputs(undefined)).changes).toBe(false);
    expect(
      secretController.diff(olds, inputs(undefined, { data: { "sasl.jaas.config": "y" } })),
    ).toMatchObject({
      changedCmfFields: ["data"],
    });
  });
});

describe("CmfSecret operations", () => {
  it("create, read without drift, out-of-band change seen from the version, update, delete", async () => {
    const h = await harness();
    const desired = inputs(h);
    const created = await h.runtime.create("Secret", desired);
    expect(created.id).toBe("kafka-creds");
    expect(created.outs).toMatchObject({
      name: "kafka-creds",
      data: { "sasl.jaas.config": expect.stringMatching(/^hmac-sha256:/) },
      version: "1",
      owner: "proj/dev/kafka-creds",
      createdTime: expect.any(String),
    });
    expect(JSON.stringify(created.outs)).not.toContain(VALUE);
    const stored = await h.direct.secrets.get("kafka-creds");
    expect(stored?.metadata.annotations).toEqual({ [OWNER_ANNOTATION]: "proj/dev/kafka-creds" });

    const read = await h.runtime.read("Secret", "kafka-creds", created.outs);
    expect(read.props).toEqual(created.outs);
    expect((await h.runtime.diff("Secret", "kafka-creds", read.props, desired)).changes).toBe(false);

    await h.direct.secrets.update("kafka-creds", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "Secret",
      metadata: { name: "kafka-creds", annotations: { [OWNER_ANNOTATION]: "proj/dev/kafka-creds" } },
      spec: { data: { "sasl.jaas.config": "rotated elsewhere" } },
    });
    const drifted = await h.runtime.read("Secret", "kafka-creds", created.outs);
    expect(drifted.props).toMatchObject({
      version: "2",
      data: { "sasl.jaas.config": CHANGED_OUTSIDE_PULUMI },
    });
    const diff = await h.runtime.diff("Secret", "kafka-creds", drifted.props, desired);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

    const updated = await h.runtime.update("Secret", "kafka-creds", drifted.props, desired);
    expect(updated.outs).toMatchObject({ version: "3", data: created.outs.data });
    const again = await h.runtime.read("Secret", "kafka-creds", updated.outs);
    expect((await h.runtime.diff("Secret", "kafka-creds", again.props, desired)).changes).toBe(false);

    await h.runtime.delete("Secret", "kafka-creds", updated.outs);
    expect(await h.direct.secrets.get("kafka-creds")).toBeUndefined();
    expect(await h.runtime.read("Secret", "kafka-creds", updated.outs)).toEqual({ id: "" });
  });

  it("refuses to take over an existing secret unless adopting", async () => {
    const h = await harness();
    await h.direct.secrets.create({
      apiVersion: "cmf.confluent.io/v1",
      kind: "Secret",
      metadata: { name: "kafka-creds" },
      spec: { data: { k: "v" } },
    });
    const refused = await caught(h.runtime.create("Secret", inputs(h)));
    expect(refused.message).toMatch(/CMF secret "kafka-creds" already exists/);
    const adopted = await h.runtime.create("Secret", inputs(h, { adopt: true }));
    expect(adopted.outs).toMatchObject({ version: "2" });
    expect(JSON.stringify(adopted.outs)).not.toContain(VALUE);
  });

  it("explains a refused delete of a mapped secret, without its values", async () => {
    const h = await harness();
    const created = await h.runtime.create("Secret", inputs(h));
    await h.direct.environments.upsert({ name: "prod-env", kubernetesNamespace: "flink-prod" });
    await h.direct.secretMappings.create("prod-env", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "EnvironmentSecretMapping",
      metadata: { name: "kafka-conn" },
      spec: { secretName: "kafka-creds" },
    });
    const refused = await caught(h.runtime.delete("Secret", "kafka-creds", created.outs));
    expect(refused.message).toMatch(/delete CMF secret "kafka-creds"/);
    expect(refused.message).toMatch(/CmfSecretMapping with `secret: <the CmfSecret>`/);
    expect(refused.message).not.toContain(VALUE);
  });
});
