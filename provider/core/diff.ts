/**
 * The diff every kind shares. `olds` are the previous outputs (what CMF held, projected onto what the
 * user declared, plus the settings), `news` the checked inputs. Only user-owned fields are compared:
 * `__provider`, server-set fields and status never cause a change.
 */
import { deepEqual } from "./normalize";
import { containsUnknown } from "../core/unknown";

export interface DiffRules {
  /** Fields CMF stores and the user owns. */
  readonly cmfFields: readonly string[];
  /** The subset of `cmfFields` CMF cannot change in place. */
  readonly replaceFields: readonly string[];
  /** Members below the top level CMF cannot change in place (`["spec", "type"]`). */
  readonly nestedReplacePaths?: readonly (readonly string[])[];
  /**
   * Fields that only change how pulumi-cmf talks to CMF (connection, adopt, forceDelete, waiting):
   * a change updates the state without writing to CMF.
   */
  readonly settingFields: readonly string[];
  /** The object's identity in CMF (its unique name), `undefined` when not known yet. */
  identity(inputs: Record<string, unknown>): string | undefined;
}

export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** User-owned CMF fields that differ (or are unknown). */
  changedCmfFields: string[];
  /** Settings that differ (or are unknown). */
  changedSettings: string[];
}

function differs(olds: Record<string, unknown>, news: Record<string, unknown>, field: string): boolean {
  return containsUnknown(news[field]) || !deepEqual(olds[field], news[field]);
}

function memberAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function differsAt(olds: unknown, news: unknown, path: readonly string[]): boolean {
  const next = memberAt(news, path);
  return containsUnknown(next) || !deepEqual(memberAt(olds, path), next);
}

export function diffInputs(
  rules: DiffRules,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffOutcome {
  const changedCmfFields = rules.cmfFields.filter((field) => differs(olds, news, field));
  const changedSettings = rules.settingFields.filter((field) => differs(olds, news, field));
  const replaces = changedCmfFields.filter(
    (field) =>
      rules.replaceFields.includes(field) ||
      (rules.nestedReplacePaths ?? []).some(
        (path) => path[0] === field && differsAt(olds[field], news[field], path.slice(1)),
      ),
  );
  const newIdentity = rules.identity(news);
  // CMF names are unique: a replacement that keeps the name must free it first. An identity not
  // known yet may turn out to be the same, so it is treated the same way.
  const deleteBeforeReplace =
    replaces.length > 0 && (newIdentity === undefined || newIdentity === rules.identity(olds));
  return {
    changes: changedCmfFields.length > 0 || changedSettings.length > 0,
    replaces,
    deleteBeforeReplace,
    changedCmfFields,
    changedSettings,
  };
}
