import { originOf, summarizeProfile, type CpuProfile } from "../../bench/cpu-profile";

const frame = (functionName: string, url = "") => ({ functionName, url });

describe("CPU profile summary", () => {
  it("names the origin of a frame by package, pulumi-cmf layer or runtime", () => {
    expect(originOf(frame("parse", "file:///p/node_modules/zod/v4/core/parse.js"))).toBe("zod");
    expect(originOf(frame("x", "file:///p/node_modules/@grpc/grpc-js/build/src/server.js"))).toBe(
      "grpc / protobuf",
    );
    expect(originOf(frame("x", "file:///p/node_modules/@pulumi/pulumi/runtime/rpc.js"))).toBe(
      "@pulumi/pulumi",
    );
    expect(originOf(frame("x", "file:///p/node_modules/pulumi-cmf/dist/provider/client/a.js"))).toBe(
      "pulumi-cmf provider/client",
    );
    expect(originOf(frame("x", "file:///repo/dist/sdk/index.js"))).toBe("pulumi-cmf sdk");
    expect(originOf(frame("x", "node:internal/modules/cjs/loader"))).toBe("node internals");
    expect(originOf(frame("(garbage collector)"))).toBe("garbage collection");
    expect(originOf(frame("(idle)"))).toBe("idle");
  });

  it("charges each sample's time to its frame, skips idle, and counts time below a require", () => {
    // root → Module._load → zod parse; root → undici request; root → (idle)
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame("(root)"), children: [2, 4, 5] },
        { id: 2, callFrame: frame("wrapModuleLoad", "node:internal/modules/cjs/loader"), children: [3] },
        { id: 3, callFrame: frame("parse", "file:///p/node_modules/zod/index.js") },
        { id: 4, callFrame: frame("request", "file:///p/node_modules/undici/index.js") },
        { id: 5, callFrame: frame("(idle)") },
      ],
      samples: [3, 3, 4, 5, 2],
      timeDeltas: [1000, 2000, 4000, 8000, 500],
    };
    const summary = summarizeProfile(profile);
    expect(summary.activeMs).toBeCloseTo(7.5);
    expect(summary.moduleLoadingMs).toBeCloseTo(3.5);
    expect(summary.byOrigin).toEqual([
      { origin: "undici", ms: 4 },
      { origin: "zod", ms: 3 },
      { origin: "node internals", ms: 0.5 },
    ]);
  });
});
