/**
 * Where a process spends its time, from a V8 `.cpuprofile` (what `node --cpu-prof` writes): self time per
 * origin (zod, undici, @pulumi/pulumi, grpc, pulumi-cmf's own layers, …) and the share spent loading
 * modules (any sample below a `require`). Pure: it only reads the profile object.
 */

interface CallFrame {
  functionName: string;
  url: string;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time that was not idle, in ms. */
  activeMs: number;
  /** Samples with a module load (`Module._load`) on their stack, in ms: the cost of `require`. */
  moduleLoadingMs: number;
  /** Self time by origin in ms, largest first. */
  byOrigin: { origin: string; ms: number }[];
}

/** The origin a frame's code belongs to; the order matters (pulumi-cmf's dist lies outside node_modules). */
export function originOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === "(garbage collector)") return "garbage collection";
    if (functionName === "(idle)") return "idle";
    return "V8 / native";
  }
  const nodeModule = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (nodeModule) {
    const name = nodeModule[1];
    if (name === "@grpc/grpc-js" || name === "google-protobuf" || name === "@grpc/proto-loader")
      return "grpc / protobuf";
    if (name === "pulumi-cmf") return ownLayer(url) ?? "pulumi-cmf (other)";
    return name;
  }
  if (url.startsWith("node:")) return "node internals";
  return ownLayer(url) ?? "other";
}

function ownLayer(url: string): string | undefined {
  const layer = /\/dist\/(provider\/[^/]+|sdk)\//.exec(url);
  return layer ? `pulumi-cmf ${layer[1]}` : undefined;
}

export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const loadsModule = new Map<number, boolean>();
  const underRequire = (id: number): boolean => {
    const known = loadsModule.get(id);
    if (known !== undefined) return known;
    const frame = byId.get(id)?.callFrame;
    const up = parent.get(id);
    const result = frame?.functionName === "Module._load" || (up !== undefined && underRequire(up));
    loadsModule.set(id, result);
    return result;
  };
  const self = new Map<string, number>();
  let activeUs = 0;
  let loadingUs = 0;
  // timeDeltas[i] is the time elapsed before sample i, so it is charged to sample i.
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const origin = originOf(frame);
    if (origin === "idle") return;
    activeUs += us;
    self.set(origin, (self.get(origin) ?? 0) + us);
    if (underRequire(id)) loadingUs += us;
  });
  return {
    activeMs: activeUs / 1000,
    moduleLoadingMs: loadingUs / 1000,
    byOrigin: [...self.entries()]
      .map(([origin, us]) => ({ origin, ms: us / 1000 }))
      .sort((a, b) => b.ms - a.ms),
  };
}
