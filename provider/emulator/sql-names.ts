import type { z } from "zod";
import { environmentNotFound } from "./environments";
import { conflict, notFound } from "./errors";
import { parseBody, requireSameName, type PostedMetadata } from "./sql-common";
import type { EnvironmentSqlState } from "./sql-state";
import type { EmulatorState } from "./store";

/**
 * The SQL families' objects by name: where they live, the 404 of a missing one, the 409 of a taken
 * name, and a PUT body naming the object its path names; one wording for every family.
 */

/** `PUT`'s body, checked, naming the object the path names. */
export function parsePutBody<S extends z.ZodType<{ metadata: PostedMetadata }>>(
  schema: S,
  pathName: string,
  body: unknown,
): z.output<S> {
  const input = parseBody(schema, body);
  requireSameName(pathName, input.metadata);
  return input;
}

/** Where an object lives, for the 404 and 409 messages: ` in Environment 'prod'`. */
export function inEnvironment(env: string): string {
  return ` in Environment '${env}'`;
}

/** One environment's objects of a SQL family; 404 when the environment does not exist. */
export function environmentObjects<K extends keyof EnvironmentSqlState>(
  state: EmulatorState,
  env: string,
  family: K,
): EnvironmentSqlState[K] {
  if (!state.environments.has(env)) throw environmentNotFound(env);
  return state.sql.of(env)[family];
}

/** The object of that name, or 404 naming its kind and where it was looked for. */
export function requireNamed<T>(objects: ReadonlyMap<string, T>, kind: string, name: string, where = ""): T {
  const found = objects.get(name);
  if (found === undefined) throw notFound(`${kind} '${name}' not found${where}`);
  return found;
}

/** 409 when the name is taken, in the same words. */
export function requireNewName(
  objects: ReadonlyMap<string, unknown>,
  kind: string,
  name: string,
  where = "",
): void {
  if (objects.has(name)) throw conflict(`${kind} '${name}' already exists${where}`);
}
