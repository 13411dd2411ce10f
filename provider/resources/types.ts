/**
 * The plain (resolved) shapes the provider runtime receives and returns, as derived from the kind
 * definitions (`provider/kinds`). The SDK's argument types are the `pulumi.Input` versions of these.
 */
import type { KindName } from "../kinds";

export type ResourceKind = KindName;

export type { ConnectionInput } from "../core/connection-settings";
export type {
  ApplicationInputs,
  ApplicationOutputs,
  ApplicationStatusOutput,
  WaitFor,
} from "../kinds/application/definition";
export type { EnvironmentInputs, EnvironmentOutputs } from "../kinds/environment/definition";
export {
  DEFAULT_APPLICATION_TIMEOUT_SECONDS,
  MAX_TIMEOUT_SECONDS,
  WAIT_FOR_VALUES,
} from "../kinds/application/definition";
export { OWNER_ANNOTATION, CFK_MANAGED_BY } from "../kinds/common";

export const DEFAULT_DELETE_TIMEOUT_SECONDS = 600;

/** Inputs every kind shares: how to reach CMF and how to treat existing or deleted objects. */
export type CommonInputs = Pick<
  import("../kinds/environment/definition").EnvironmentInputs,
  "connection" | "adopt" | "forceDelete" | "owner"
>;
