/**
 * Every kind pulumi-cmf manages, by name: the registry the dynamic provider, the SDK, the docs and the
 * `cmf` plugin (schema, tokens `cmf:index:<kind>`, `pulumi import` ids) are all built from.
 */
import type { KindDefinition } from "../core/schema";
import { applicationDefinition } from "./application/definition";
import { computePoolDefinition } from "./compute-pool/definition";
import { environmentDefinition } from "./environment/definition";
import { kafkaCatalogDefinition } from "./kafka-catalog/definition";
import { kafkaDatabaseDefinition } from "./kafka-database/definition";
import { secretDefinition } from "./secret/definition";
import { statementDefinition } from "./statement/definition";
import { secretMappingDefinition } from "./secret-mapping/definition";

export const KINDS = {
  Environment: environmentDefinition,
  Application: applicationDefinition,
  Secret: secretDefinition,
  SecretMapping: secretMappingDefinition,
  KafkaCatalog: kafkaCatalogDefinition,
  KafkaDatabase: kafkaDatabaseDefinition,
  ComputePool: computePoolDefinition,
  Statement: statementDefinition,
} as const satisfies Record<string, KindDefinition>;

export type KindName = keyof typeof KINDS;

export function kindDefinition(kind: string): KindDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(KINDS, kind)
    ? (KINDS as Record<string, KindDefinition>)[kind]
    : undefined;
}

export {
  environmentDefinition,
  applicationDefinition,
  secretDefinition,
  secretMappingDefinition,
  kafkaCatalogDefinition,
  kafkaDatabaseDefinition,
  computePoolDefinition,
  statementDefinition,
};
export { CONNECTION_SETTINGS, CONNECTION_SETTING_NAMES } from "../core/connection-settings";
export * from "../core/schema";
