import type { FlinkApplication } from "../../provider/models";
import { readProviderConfig, resolveEndpoint } from "../../provider/resources/connection";
import { ConnectionSettingsError, MissingEndpointError } from "../../provider/core/errors";
import {
  deepEqual,
  project,
  prune,
  refreshedInputs,
  stringifyScalarValues,
} from "../../provider/core/normalize";
import { containsUnknown, isUnknownAt, UNKNOWN } from "../../provider/core/unknown";
import { poll } from "../../provider/core/poll";
import { assessApplication, describeStatus, waitTarget } from "../../provider/kinds/application/await";

describe("normalize", () => {
  it("prunes null, undefined and empty objects but keeps false, 0, empty strings and arrays", () => {
    expect(
      prune({ a: null, b: undefined, c: {}, d: { e: {} }, f: false, g: 0, h: "", i: [], j: [{}] }),
    ).toEqual({
      f: false,
      g: 0,
      h: "",
      i: [],
      j: [{}],
    });
    expect(prune({ a: { b: null } })).toBeUndefined();
  });

  it("compares structurally, ignoring key order and empty members", () => {
    expect(deepEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1, d: {} })).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual({ a: "1" }, { a: 1 })).toBe(false);
    expect(deepEqual(undefined, {})).toBe(true);
  });

  it("projects the server's value onto what was declared, taking listed maps whole", () => {
    const server = {
      image: "img",
      imagePullPolicy: "IfNotPresent",
      flinkConfiguration: { a: "1", added: "2" },
      job: { jarURI: "x", args: [], state: "running", savepointTriggerNonce: 0 },
      jobManager: { resource: { cpu: 1, memory: "1g" }, replicas: 1 },
    };
    const declared = {
      image: "img",
      flinkConfiguration: { a: "1" },
      job: { jarURI: "x", state: "running" },
      taskManager: {},
    };
    expect(project(server, declared, [["flinkConfiguration"]])).toEqual({
      image: "img",
      flinkConfiguration: { a: "1", added: "2" },
      job: { jarURI: "x", state: "running" },
    });
  });

  it("takes a listed map whole even when the program declares none (keys added by hand surface)", () => {
    const server = { image: "img", flinkConfiguration: { "by.hand": "1" } };
    expect(project(server, { image: "img" }, [["flinkConfiguration"]])).toEqual(server);
    expect(
      project({ image: "img", flinkConfiguration: {} }, { image: "img" }, [["flinkConfiguration"]]),
    ).toEqual({
      image: "img",
    });
    // Only where the program declares the parent object.
    expect(project({ a: { m: { k: "v" } } }, {}, [["a", "m"]])).toBeUndefined();
  });

  it("lets a declared key missing on the server disappear, so its loss shows as drift", () => {
    expect(project({ a: 1 }, { a: 1, b: 2 }, [])).toEqual({ a: 1 });
    expect(project({ a: { x: 1 } }, { a: "scalar" }, [])).toEqual({ a: { x: 1 } });
  });

  it("hands inputs back on a refresh only when the object no longer matches the previous outputs", () => {
    const fields = ["name", "spec", "labels"];
    const previous = { name: "a", spec: { x: 1 }, labels: { t: "1" }, uid: "u1", __provider: "shim" };
    // Unchanged (server-set fields and the host's __provider are not input fields): none, the engine keeps its own.
    expect(
      refreshedInputs({ name: "a", spec: { x: 1 }, labels: { t: "1" }, uid: "u2" }, previous, fields),
    ).toBe(undefined);
    // Changed, added or removed outside Pulumi: the inputs that reproduce the object as it is.
    expect(refreshedInputs({ name: "a", spec: { x: 2 }, labels: { t: "1" } }, previous, fields)).toEqual({
      name: "a",
      spec: { x: 2 },
      labels: { t: "1" },
    });
    expect(refreshedInputs({ name: "a", spec: { x: 1 } }, previous, fields)).toEqual({
      name: "a",
      spec: { x: 1 },
    });
    // pulumi import and the lookups: no previous outputs.
    expect(refreshedInputs({ name: "a", spec: { x: 1 } }, {}, fields)).toEqual({ name: "a", spec: { x: 1 } });
  });

  it("stringifies scalar map values", () => {
    expect(stringifyScalarValues({ a: 1, b: true, c: "x", d: null, e: UNKNOWN })).toEqual({
      a: "1",
      b: "true",
      c: "x",
      d: null,
      e: UNKNOWN,
    });
  });
});

describe("unknown sentinel", () => {
  it("is found at any depth", () => {
    expect(containsUnknown({ a: [{ b: UNKNOWN }] })).toBe(true);
    expect(containsUnknown({ a: [{ b: "known" }] })).toBe(false);
    expect(isUnknownAt({ a: UNKNOWN }, ["a", "b", "c"])).toBe(true);
    expect(isUnknownAt({ a: { b: { c: 1 } } }, ["a", "b", "c"])).toBe(false);
  });
});

describe("connection resolution", () => {
  const what = 'create CMF environment "prod"';

  it("uses the resource's connection as a whole, never mixing in other credentials", () => {
    const endpoint = resolveEndpoint(
      { url: "https://resource:8443", caCertificatePath: "/ca.pem", requestTimeoutSeconds: 5 },
      { url: "https://config:8443", token: "config-token" },
      { CONFLUENT_CMF_TOKEN: "env-token" },
      what,
    );
    expect(endpoint).toMatchObject({
      kind: "cmf",
      source: "connection",
      connection: { url: "https://resource:8443", caCertificatePath: "/ca.pem", timeoutMs: 5000 },
    });
    expect(endpoint.kind === "cmf" && endpoint.connection.token).toBeUndefined();
  });

  it("layers stack configuration over environment variables, key by key", () => {
    const endpoint = resolveEndpoint(
      undefined,
      { url: "https://config:8443", insecureSkipTlsVerify: "true", timeoutSeconds: "12" },
      {
        CONFLUENT_CMF_URL: "https://env:8443",
        CONFLUENT_CMF_TOKEN: "env-token",
        CONFLUENT_CMF_CLIENT_CERT_PATH: "/c.pem",
        CONFLUENT_CMF_CLIENT_KEY_PATH: "/k.pem",
        CONFLUENT_CMF_CERTIFICATE_AUTHORITY_PATH: "/ca.pem",
      },
      what,
    );
    expect(endpoint).toMatchObject({
      kind: "cmf",
      source: "cmf:url",
      connection: {
        url: "https://config:8443",
        token: "env-token",
        clientCertificatePath: "/c.pem",
        clientKeyPath: "/k.pem",
        caCertificatePath: "/ca.pem",
        insecureSkipTlsVerify: true,
        timeoutMs: 12000,
      },
    });
    expect(resolveEndpoint(undefined, {}, { CONFLUENT_CMF_URL: "https://env:8443" }, what)).toMatchObject({
      source: "CONFLUENT_CMF_URL",
      connection: { url: "https://env:8443" },
    });
  });

  it("selects the embedded emulator only when asked, and refuses two endpoints at one level", () => {
    expect(resolveEndpoint(undefined, { emulator: "state.json" }, {}, what)).toEqual({
      kind: "emulator",
      dataFile: "state.json",
      source: "cmf:emulator",
    });
    expect(resolveEndpoint(undefined, {}, { CMF_EMULATOR: "/tmp/x.json" }, what)).toMatchObject({
      kind: "emulator",
    });
    expect(
      resolveEndpoint(undefined, { url: "https://c" }, { CMF_EMULATOR: "/tmp/x.json" }, what),
    ).toMatchObject({
      kind: "cmf",
    });
    expect(
      resolveEndpoint(undefined, { emulator: "x.json" }, { CONFLUENT_CMF_URL: "https://c" }, what),
    ).toMatchObject({
      kind: "emulator",
    });
    expect(() => resolveEndpoint(undefined, { url: "https://c", emulator: "x.json" }, {}, what)).toThrow(
      ConnectionSettingsError,
    );
    expect(() =>
      resolveEndpoint(undefined, {}, { CONFLUENT_CMF_URL: "https://c", CMF_EMULATOR: "x" }, what),
    ).toThrow(/both set/);
  });

  it("fails with the three ways to set an endpoint when there is none", () => {
    let error: unknown;
    try {
      resolveEndpoint(undefined, { token: "t" }, { CONFLUENT_CMF_TOKEN: "t" }, what);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingEndpointError);
    const message = (error as Error).message;
    expect(message).toContain('Cannot create CMF environment "prod": no CMF endpoint is configured');
    expect(message).toMatch(/connection: \{ url/);
    expect(message).toMatch(/pulumi config set cmf:url/);
    expect(message).toMatch(/CONFLUENT_CMF_URL/);
  });

  it("rejects malformed provider-level settings by name", () => {
    expect(() =>
      resolveEndpoint(undefined, { url: "https://c", insecureSkipTlsVerify: "yes" }, {}, what),
    ).toThrow(/cmf:insecureSkipTlsVerify: must be "true" or "false"/);
    expect(() => resolveEndpoint(undefined, { url: "https://c", timeoutSeconds: "soon" }, {}, what)).toThrow(
      /cmf:timeoutSeconds/,
    );
    // The same rule as the connection input's requestTimeoutSeconds: 0.5 is refused in both places.
    expect(() => resolveEndpoint(undefined, { url: "https://c", timeoutSeconds: "0.5" }, {}, what)).toThrow(
      /cmf:timeoutSeconds: must be a number of seconds from 1 to 3600 \(got "0.5"\)/,
    );
    expect(() => resolveEndpoint(undefined, { url: "127.0.0.1:8080" }, {}, what)).toThrow(
      /cmf:url: must be an absolute URL/,
    );
    expect(() =>
      resolveEndpoint(undefined, { url: "http://c", caCertificatePath: "/ca.pem" }, {}, what),
    ).toThrow(/cmf:caCertificatePath: is a TLS setting but the url uses http/);
  });

  it("reads the cmf namespace of the configuration, skipping empty values", () => {
    const config: Record<string, string> = {
      "cmf:url": "https://c",
      "cmf:token": "",
      "other:url": "x",
      "cmf:emulator": "e",
    };
    expect(readProviderConfig((key) => config[key])).toEqual({ url: "https://c", emulator: "e" });
  });
});

function app(status: Record<string, unknown> | undefined): FlinkApplication {
  return { apiVersion: "v", kind: "FlinkApplication", metadata: { name: "a" }, spec: {}, status };
}

describe("waiting", () => {
  it("assesses an application against its target", () => {
    expect(
      assessApplication(app({ jobStatus: { state: "RUNNING" }, lifecycleState: "STABLE" }), "running"),
    ).toEqual({
      state: "ready",
    });
    expect(
      assessApplication(app({ jobStatus: { state: "RUNNING" }, lifecycleState: "DEPLOYED" }), "running")
        .state,
    ).toBe("ready");
    expect(
      assessApplication(app({ jobStatus: { state: "RECONCILING" }, lifecycleState: "DEPLOYED" }), "running"),
    ).toEqual({
      state: "pending",
      detail: "job RECONCILING, lifecycle DEPLOYED",
    });
    expect(assessApplication(app(undefined), "running")).toEqual({
      state: "pending",
      detail: "no status reported yet",
    });
    expect(assessApplication(app({ lifecycleState: "SUSPENDED" }), "suspended").state).toBe("ready");
    expect(assessApplication(app({ jobStatus: { state: "FAILED" } }), "suspended").state).toBe("failed");
    expect(assessApplication(app({ lifecycleState: "DEPLOYED", error: "boom" }), "running")).toEqual({
      state: "failed",
      detail: "lifecycle DEPLOYED, error: boom",
    });
  });

  it("does not mistake the previous instance's RUNNING for the new rollout", () => {
    const running = { jobStatus: { state: "RUNNING" }, lifecycleState: "STABLE" };
    expect(
      assessApplication(app({ ...running, currentDeployedInstanceName: "old" }), "running", "new").state,
    ).toBe("pending");
    expect(
      assessApplication(app({ ...running, currentDeployedInstanceName: "new" }), "running", "new").state,
    ).toBe("ready");
    expect(assessApplication(app(running), "running", "new").state).toBe("ready");
  });

  it("derives the target from waitFor, else from the desired job state", () => {
    expect(waitTarget(undefined, undefined)).toBe("running");
    expect(waitTarget(undefined, "suspended")).toBe("suspended");
    expect(waitTarget("none", "running")).toBe("none");
  });

  it("polls with growing intervals until done, and gives up at the deadline", async () => {
    let clock = 0;
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
    };
    let calls = 0;
    const done = await poll(
      async () =>
        ++calls < 4
          ? { done: false as const, value: calls, detail: `call ${calls}` }
          : { done: true as const, value: calls },
      { timeoutMs: 10_000, initialIntervalMs: 100, maxIntervalMs: 200, now: () => clock, sleep },
    );
    expect(done).toEqual({ outcome: "done", value: 4 });
    expect(sleeps).toEqual([100, 150, 200]);

    clock = 0;
    sleeps.length = 0;
    const timeout = await poll(async () => ({ done: false as const, value: "x", detail: "still" }), {
      timeoutMs: 1_000,
      initialIntervalMs: 400,
      maxIntervalMs: 400,
      now: () => clock,
      sleep,
    });
    expect(timeout).toEqual({ outcome: "timeout", last: "x", detail: "still" });
    expect(sleeps).toEqual([400, 400, 200]);

    const failed = await poll(async () => ({ failed: true as const, value: 1, detail: "boom" }), {
      timeoutMs: 0,
    });
    expect(failed).toEqual({ outcome: "failed", value: 1, detail: "boom" });
  });

  it("describes a status in words", () => {
    expect(
      describeStatus(
        app({
          jobStatus: { state: "RUNNING" },
          lifecycleState: "STABLE",
          jobManagerDeploymentStatus: "READY",
        }),
      ),
    ).toBe("job RUNNING, lifecycle STABLE, job manager READY");
  });
});
