/**
 * Helpers for asserting on Pulumi state in engine tests: where a secret may appear, and which
 * resources a stack records.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretValue(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG
  );
}

/** Paths (e.g. `resources[3].inputs.connection.token`) of strings containing `needle` outside any secret. */
export function plainPaths(value: unknown, needle: string, at = ""): string[] {
  if (isSecretValue(value)) return [];
  if (typeof value === "string") return value.includes(needle) ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => plainPaths(item, needle, `${at}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, member]) =>
      plainPaths(member, needle, at ? `${at}.${key}` : key),
    );
  }
  return [];
}

/**
 * Every file under `dir` whose bytes contain `needle` (for the raw, encrypted state on disk).
 * Symbolic links and `node_modules` are not followed.
 */
export function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink() || entry.name === "node_modules") continue;
    if (entry.isDirectory()) hits.push(...filesContaining(full, needle));
    else if (fs.readFileSync(full).includes(needle)) hits.push(full);
  }
  return hits;
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  initErrors?: string[];
}

export interface DeploymentState {
  resources?: StateResource[];
  pending_operations?: { resource: StateResource; type: string }[];
}

export function resourcesOfType(deployment: DeploymentState, type: string): StateResource[] {
  return (deployment.resources ?? []).filter((r) => r.type === `pulumi-nodejs:dynamic/cmf:${type}`);
}
