/**
 * Status messages while an operation waits, and customTimeouts reaching the core: the plugin's own
 * decisions, with a scripted core; then the engine log service receiving ephemeral, URN-tied lines.
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import { CmfPlugin, describeStatusOutput, type Core } from "../../provider/plugin/provider";
import { EngineLog } from "../../provider/plugin/server";

const APP_URN = "urn:pulumi:dev::flink::cmf:index:Application::orders";

/** A core whose create takes `phases.length` status reads to finish, and records what it was given. */
function scriptedCore(phases: Record<string, string>[]) {
  const calls: { op: string; args: unknown[] }[] = [];
  let reads = 0;
  let finish: () => void = () => undefined;
  const core: Core = {
    configure: () => undefined,
    check: async (_kind, _olds, news) => ({ inputs: news as Record<string, unknown> }),
    diff: async () => ({ changes: false }),
    create: async (kind, inputs) => {
      calls.push({ op: "create", args: [kind, inputs] });
      await new Promise<void>((resolve) => (finish = resolve));
      return { id: "prod/orders", outs: { ...(inputs as object), status: phases[phases.length - 1] } };
    },
    read: async () => {
      const status = phases[Math.min(reads++, phases.length - 1)];
      if (reads >= phases.length) setTimeout(finish, 5);
      return { id: "prod/orders", props: { status } };
    },
    update: async () => ({ outs: {} }),
    delete: async (kind, id, props) => {
      calls.push({ op: "delete", args: [kind, id, props] });
    },
  };
  return { core, calls };
}

describe("status while waiting", () => {
  it("describes a status output by its states", () => {
    expect(
      describeStatusOutput({
        jobState: "RECONCILING",
        lifecycleState: "DEPLOYED",
        jobManagerDeploymentStatus: "DEPLOYING",
        jobId: "abc",
      }),
    ).toBe("job RECONCILING, lifecycle DEPLOYED, job manager deployment DEPLOYING");
    expect(describeStatusOutput({ jobState: "FAILED", error: "OOM" })).toBe("job FAILED, error: OOM");
    expect(describeStatusOutput(undefined)).toBeUndefined();
  });

  it("shows each new status next to the resource, and hands customTimeouts to the core", async () => {
    const { core, calls } = scriptedCore([
      { jobState: "RECONCILING", lifecycleState: "DEPLOYED" },
      { jobState: "RECONCILING", lifecycleState: "DEPLOYED" },
      { jobState: "RUNNING", lifecycleState: "STABLE" },
    ]);
    const lines: [string, string][] = [];
    const plugin = new CmfPlugin(core, (urn, message) => lines.push([urn, message]), { statusIntervalMs: 5 });
    const created = await plugin.create(APP_URN, { environment: "prod", name: "orders", spec: {} }, 90.5);
    expect(lines).toEqual([
      [APP_URN, "orders: job RECONCILING, lifecycle DEPLOYED"],
      [APP_URN, "orders: job RUNNING, lifecycle STABLE"],
    ]);
    // The wait budget reaches the core for this operation, and is not stored.
    expect(calls[0].args[1]).toMatchObject({ timeoutSeconds: 91 });
    expect(created.properties).not.toHaveProperty("timeoutSeconds");

    await plugin.delete(APP_URN, "prod/orders", { name: "orders" }, 0);
    expect(calls[1].args[2]).toEqual({ name: "orders" });
  });
});

describe("EngineLog", () => {
  it("sends ephemeral INFO lines tied to the URN to the engine's log service", async () => {
    const received: engineproto.LogRequest[] = [];
    const server = new grpc.Server();
    server.addService(enginerpc.EngineService, {
      log: (call: { request: engineproto.LogRequest }, callback: grpc.sendUnaryData<emptyproto.Empty>) => {
        received.push(call.request);
        callback(null, new emptyproto.Empty());
      },
    } as unknown as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    const log = new EngineLog();
    try {
      log.connect(`127.0.0.1:${port}`);
      log.status(APP_URN, "orders: job RUNNING");
      const deadline = Date.now() + 5_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(received).toHaveLength(1);
      expect(received[0].getUrn()).toBe(APP_URN);
      expect(received[0].getMessage()).toBe("orders: job RUNNING");
      expect(received[0].getEphemeral()).toBe(true);
      expect(received[0].getSeverity()).toBe(engineproto.LogSeverity.INFO);
    } finally {
      log.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    }
  });
});
