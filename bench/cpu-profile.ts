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
  /** Samples with a module load on their stack, in ms: the cost of `require`. */
  moduleLoadingMs: number;
  /** Self time by origin in ms, largest first. */
  byOrigin: { origin: string; ms: number }[];
  /** Module-loading time by the code that was being loaded (nearest frame with a file), largest first. */
  loadingByOrigin: { origin: string; ms: number }[];
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

/** The frames through which every CommonJS `require` passes (names differ between Node versions). */
const MODULE_LOAD_FRAMES = new Set(["Module._load", "wrapModuleLoad", "require"]);

function loadsAModule(frame: CallFrame | undefined): boolean {
  return (
    !!frame && frame.url.startsWith("node:internal/modules/") && MODULE_LOAD_FRAMES.has(frame.functionName)
  );
}

export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const loadsModule = new Map<number, boolean>();
  const underRequire = (id: number): boolean => {
    const known = loadsModule.get(id);
    if (known !== undefined) return known;
    const up = parent.get(id);
    const result = loadsAModule(byId.get(id)?.callFrame) || (up !== undefined && underRequire(up));
    loadsModule.set(id, result);
    return result;
  };
  // The code a require was loading: the nearest frame, from the sample up, that belongs to a file.
  const loadedOrigin = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame?.url && !frame.url.startsWith("node:")) return originOf(frame);
    }
    return "node internals";
  };
  const self = new Map<string, number>();
  const loading = new Map<string, number>();
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
    if (underRequire(id)) {
      loadingUs += us;
      const loaded = loadedOrigin(id);
      loading.set(loaded, (loading.get(loaded) ?? 0) + us);
    }
  });
  return {
    activeMs: activeUs / 1000,
    moduleLoadingMs: loadingUs / 1000,
    byOrigin: largestFirst(self),
    loadingByOrigin: largestFirst(loading),
  };
}

function largestFirst(us: Map<string, number>): { origin: string; ms: number }[] {
  return [...us.entries()].map(([origin, t]) => ({ origin, ms: t / 1000 })).sort((a, b) => b.ms - a.ms);
}

/** Several processes' summaries as one (their times added). */
export function mergeSummaries(summaries: ProfileSummary[]): ProfileSummary {
  const add = (pick: (s: ProfileSummary) => { origin: string; ms: number }[]) => {
    const total = new Map<string, number>();
    for (const s of summaries)
      for (const o of pick(s)) total.set(o.origin, (total.get(o.origin) ?? 0) + o.ms * 1000);
    return largestFirst(total);
  };
  return {
    activeMs: summaries.reduce((sum, s) => sum + s.activeMs, 0),
    moduleLoadingMs: summaries.reduce((sum, s) => sum + s.moduleLoadingMs, 0),
    byOrigin: add((s) => s.byOrigin),
    loadingByOrigin: add((s) => s.loadingByOrigin),
  };
}
