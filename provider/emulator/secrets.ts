import { createHmac, randomBytes } from "node:crypto";
import {
  ENVIRONMENT_SECRET_MAPPING_KIND,
  PostEnvironmentSecretMappingSchema,
  PostSecretSchema,
  SECRET_KIND,
} from "../models";
import { badRequest, conflict } from "./errors";
import { envelope, newResource, parseBody, requireSameName, updateMetadata } from "./sql-common";
import { environmentObjects, inEnvironment, parsePutBody, requireNamed, requireNewName } from "./sql-names";
import type { SecretMappingRecord, SecretRecord } from "./sql-state";
import type { EmulatorState, JsonObject } from "./store";

/**
 * POLICY (notes §4 #13: the CLI's mock shows keys with `****`; the real server may omit `spec`):
 * GET and list return `spec.data` with every key kept and every value replaced by this mask. The
 * OpenAPI document marks `spec` required, so it is kept. The emulator never keeps the values: only
 * the keys and a salted digest (to bump `status.version` on real changes), so the data file holds none.
 */
export const MASKED_SECRET_VALUE = "****";

/**
 * POLICY (notes §4 #7, undocumented): deleting a secret that environments still map is refused with
 * 409 naming them. Deleting mappings first works against CMF whatever it does; relying on a silent
 * delete that leaves dangling mappings would only work here.
 */
export const REFUSE_DELETE_OF_MAPPED_SECRET = true;

export function requireSecret(state: EmulatorState, name: string): SecretRecord {
  return requireNamed(state.sql.secrets, "Secret", name);
}

/** Environments that map the secret, sorted (its `status.environments`). */
export function environmentsMapping(state: EmulatorState, secretName: string): string[] {
  const out: string[] = [];
  for (const [env, sql] of state.sql.environments) {
    for (const mapping of sql.secretMappings.values()) {
      if (mapping.secretName === secretName) {
        out.push(env);
        break;
      }
    }
  }
  return out.sort();
}

/** The environment's `secrets` field: connectionSecretId (mapping name) → secret name. */
export function environmentSecrets(state: EmulatorState, env: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const mapping of state.sql.peek(env)?.secretMappings.values() ?? [])
    out[mapping.name] = mapping.secretName;
  return out;
}

/** Keyed hash of the data in a canonical key order: equal data, equal digest (for the same salt). */
export function dataDigest(data: Record<string, string>, salt: string): string {
  const canonical = JSON.stringify(
    Object.keys(data)
      .sort()
      .map((k) => [k, data[k]]),
  );
  return createHmac("sha256", salt).update(canonical).digest("hex");
}

export function secretView(state: EmulatorState, secret: SecretRecord): JsonObject {
  const data: Record<string, string> = {};
  for (const key of secret.keys) data[key] = MASKED_SECRET_VALUE;
  return {
    ...envelope(SECRET_KIND, secret),
    spec: { data },
    status: { version: String(secret.version), environments: environmentsMapping(state, secret.name) },
  };
}

/** `POST /secrets`: 409 when the name exists. */
export function createSecret(state: EmulatorState, body: unknown, now: number): SecretRecord {
  const input = parseBody(PostSecretSchema, body);
  requireNewName(state.sql.secrets, "Secret", input.metadata.name);
  const salt = randomBytes(16).toString("hex");
  const secret: SecretRecord = {
    ...newResource(input.metadata, now),
    keys: Object.keys(input.spec.data),
    digest: dataDigest(input.spec.data, salt),
    salt,
    version: 1,
  };
  state.sql.secrets.set(secret.name, secret);
  return secret;
}

/**
 * `PUT /secrets/{name}`: replaces the data, labels and annotations. `status.version` goes up by one
 * when anything changed (an identical PUT changes nothing, as a Kubernetes no-op update does).
 */
export function updateSecret(state: EmulatorState, name: string, body: unknown, now: number): SecretRecord {
  const input = parseBody(PostSecretSchema, body);
  const secret = requireSecret(state, name);
  requireSameName(name, input.metadata);
  const digest = dataDigest(input.spec.data, secret.salt);
  const dataChanged = digest !== secret.digest;
  const metadataChanged = updateMetadata(secret, input.metadata);
  if (dataChanged || metadataChanged) {
    secret.keys = Object.keys(input.spec.data);
    secret.digest = digest;
    secret.version++;
    secret.updatedAt = now;
  }
  return secret;
}

export function deleteSecret(state: EmulatorState, name: string): void {
  requireSecret(state, name);
  const mappedBy = environmentsMapping(state, name);
  if (REFUSE_DELETE_OF_MAPPED_SECRET && mappedBy.length > 0) {
    throw conflict(
      `Secret '${name}' is still mapped by environment(s) ${mappedBy.join(", ")}. Delete those secret mappings first.`,
    );
  }
  state.sql.secrets.delete(name);
}

// ------------------------------------------------------------------------------------------------
// Environment secret mappings

const MAPPING = "EnvironmentSecretMapping";

function mappingsOf(state: EmulatorState, env: string): Map<string, SecretMappingRecord> {
  return environmentObjects(state, env, "secretMappings");
}

export function requireMapping(state: EmulatorState, env: string, name: string): SecretMappingRecord {
  return requireNamed(mappingsOf(state, env), MAPPING, name, inEnvironment(env));
}

export function mappingView(mapping: SecretMappingRecord): JsonObject {
  return { ...envelope(ENVIRONMENT_SECRET_MAPPING_KIND, mapping), spec: { secretName: mapping.secretName } };
}

/**
 * POLICY (notes §2.6 [I]): a mapping must name an existing secret; otherwise 400 naming the field
 * (it is the request body that is wrong, not the path).
 */
function requireMappedSecret(state: EmulatorState, secretName: string): void {
  if (!state.sql.secrets.has(secretName)) {
    throw badRequest(`spec.secretName: Secret '${secretName}' not found`);
  }
}

/** The environment's GET answer is cached; it shows the mappings in `secrets`. */
function mappingsChanged(state: EmulatorState, env: string): void {
  const record = state.environments.get(env);
  if (record) record.cache = undefined;
}

export function createMapping(
  state: EmulatorState,
  env: string,
  body: unknown,
  now: number,
): SecretMappingRecord {
  const mappings = mappingsOf(state, env);
  const input = parseBody(PostEnvironmentSecretMappingSchema, body);
  requireNewName(mappings, MAPPING, input.metadata.name, inEnvironment(env));
  requireMappedSecret(state, input.spec.secretName);
  const mapping: SecretMappingRecord = {
    ...newResource(input.metadata, now),
    secretName: input.spec.secretName,
  };
  mappings.set(mapping.name, mapping);
  mappingsChanged(state, env);
  return mapping;
}

export function updateMapping(
  state: EmulatorState,
  env: string,
  name: string,
  body: unknown,
  now: number,
): SecretMappingRecord {
  const mapping = requireMapping(state, env, name);
  const input = parsePutBody(PostEnvironmentSecretMappingSchema, name, body);
  requireMappedSecret(state, input.spec.secretName);
  const metadataChanged = updateMetadata(mapping, input.metadata);
  if (metadataChanged || mapping.secretName !== input.spec.secretName) {
    mapping.secretName = input.spec.secretName;
    mapping.updatedAt = now;
    mappingsChanged(state, env);
  }
  return mapping;
}

export function deleteMapping(state: EmulatorState, env: string, name: string): void {
  requireMapping(state, env, name);
  state.sql.of(env).secretMappings.delete(name);
  mappingsChanged(state, env);
}
