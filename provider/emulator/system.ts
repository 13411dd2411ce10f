import { clusterState } from "./clusters";
import { isPlainObject } from "./json";
import type { EmulatorState, JsonObject } from "./store";
import { jobStateOf } from "./views";

/** The informational endpoints (`system-information`, `resource-information`, `c3/license`). HTTP-free. */

/** The CMF version the emulator speaks (the vendored OpenAPI document's). */
export const EMULATED_CMF_VERSION = "2.3.1";
/** POLICY: CMF reports its git commit here; the emulator says what it is instead. */
export const EMULATOR_REVISION = "pulumi-cmf-emulator";
/**
 * POLICY: the licence the emulator reports: valid, of type ENTERPRISE, expiring at a fixed far date
 * (2100-01-01T00:00:00Z) so that answers are deterministic.
 */
export const EMULATED_LICENSE = { status: "VALID", licenseType: "ENTERPRISE", expiration: 4_102_444_800_000 };

export function systemInformation(): JsonObject {
  return { status: { version: EMULATED_CMF_VERSION, revision: EMULATOR_REVISION } };
}

export function c3License(): JsonObject {
  return { kind: "C3LicenseInformation", status: { ...EMULATED_LICENSE } };
}

/**
 * Bytes of a Flink `MemorySize` ("1024m", "2g", "1.5gb", "512mebibytes") or Kubernetes quantity ("2Gi").
 * Flink reads every unit as binary (k = 1024), and so does this; undefined when it is not a size.
 */
export function parseMemoryBytes(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  if (!m) return undefined;
  const unit = m[2].toLowerCase();
  const powers: Record<string, number> = {
    "": 0,
    b: 0,
    bytes: 0,
    k: 1,
    kb: 1,
    ki: 1,
    kibibytes: 1,
    m: 2,
    mb: 2,
    mi: 2,
    mebibytes: 2,
    g: 3,
    gb: 3,
    gi: 3,
    gibibytes: 3,
    t: 4,
    tb: 4,
    ti: 4,
    tebibytes: 4,
  };
  const power = powers[unit];
  return power === undefined ? undefined : Math.round(Number(m[1]) * 1024 ** power);
}

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

function number(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/**
 * What an application's deployment requests while it has a cluster: job manager and task managers
 * (`replicas`, default 1), cpu in cores and memory in bytes. A suspended or failed application holds
 * nothing (FKO removes its pods).
 */
export function applicationFootprint(spec: JsonObject): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const part of ["jobManager", "taskManager"]) {
    const section = isPlainObject(spec[part]) ? spec[part] : {};
    const resource = isPlainObject(section.resource) ? section.resource : {};
    const replicas = typeof section.replicas === "number" ? section.replicas : 1;
    cpu += number(resource.cpu) * replicas;
    memory += (typeof resource.memory === "string" ? (parseMemoryBytes(resource.memory) ?? 0) : 0) * replicas;
  }
  return { cpu, memory };
}

const HOLDS_RESOURCES = new Set([
  "RUNNING",
  "RECONCILING",
  "CREATED",
  "INITIALIZING",
  "RESTARTING",
  "FAILING",
]);

/**
 * `GET /resource-information`: counts from the store itself. Applications are counted by job state,
 * statements by phase, clusters by observed state; `savepoints` are those of applications and statements.
 */
export function resourceInformation(state: EmulatorState): JsonObject {
  const applications: Record<string, number> = {};
  const clusters: Record<string, number> = {};
  let savepoints = 0;
  let cpu = 0;
  let memory = 0;
  for (const env of state.environments.values()) {
    for (const app of env.applications.values()) {
      const jobState = jobStateOf(app) ?? "UNKNOWN";
      count(applications, jobState);
      savepoints += app.savepoints?.length ?? 0;
      if (HOLDS_RESOURCES.has(jobState)) {
        const used = applicationFootprint(app.spec as JsonObject);
        cpu += used.cpu;
        memory += used.memory;
      }
    }
  }
  for (const c of state.kubernetesClusters.values()) count(clusters, clusterState(c));
  const statements: Record<string, number> = {};
  let computePools = 0;
  for (const sql of state.sql.environments.values()) {
    computePools += sql.computePools.size;
    for (const stmt of sql.statements.values()) {
      count(statements, stmt.phase);
      savepoints += stmt.savepointRecords?.length ?? 0;
    }
  }
  return {
    status: {
      resources: {
        environments: state.environments.size,
        applications,
        computePools,
        statements,
        secrets: state.sql.secrets.size,
        catalogs: state.sql.catalogs.size,
        savepoints,
        detachedSavepoints: state.detachedSavepoints.length,
        kubernetesClusters: clusters,
      },
      resourceSummary: { cpu, memory },
    },
  };
}
