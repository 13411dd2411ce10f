/** Options shared by the environment and application operations, and their query strings. */

export interface GetOptions {
  /** Adds CMF's status summaries (`include-resource-information=true`). */
  includeResourceInformation?: boolean;
}

export interface DeleteOptions {
  /** `force=true`: CMF drops its metadata without cleaning up Kubernetes. Never the default. */
  force?: boolean;
  /** Resolve instead of throwing when the object does not exist (404). Default false: throw. */
  ignoreNotFound?: boolean;
}

export function getQuery(options: GetOptions | undefined): string {
  return options?.includeResourceInformation === true ? "?include-resource-information=true" : "";
}

export function deleteQuery(options: DeleteOptions | undefined): string {
  return options?.force === true ? "?force=true" : "";
}
