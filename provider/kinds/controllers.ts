/**
 * Every kind's controller, by name: what the front ends (the dynamic provider, the `cmf` plugin) run.
 * Kept apart from the definitions registry (`./index.ts`), which tools that only need the schema load
 * without the client.
 */
import type { KindController } from "../core/controller";
import { applicationController } from "./application/adapter";
import { computePoolController } from "./compute-pool/adapter";
import { environmentController } from "./environment/adapter";
import { kafkaCatalogController } from "./kafka-catalog/adapter";
import { kafkaDatabaseController } from "./kafka-database/adapter";
import { secretController } from "./secret/adapter";
import { statementController } from "./statement/adapter";
import { secretMappingController } from "./secret-mapping/adapter";
import type { KindName } from "./index";

export const CONTROLLERS: Record<KindName, KindController<unknown>> = {
  Environment: environmentController as KindController<unknown>,
  Application: applicationController as KindController<unknown>,
  Secret: secretController as KindController<unknown>,
  SecretMapping: secretMappingController as KindController<unknown>,
  KafkaCatalog: kafkaCatalogController as KindController<unknown>,
  KafkaDatabase: kafkaDatabaseController as KindController<unknown>,
  ComputePool: computePoolController as KindController<unknown>,
  Statement: statementController as KindController<unknown>,
};

export function controllerOf(kind: string): KindController<unknown> | undefined {
  return Object.prototype.hasOwnProperty.call(CONTROLLERS, kind) ? CONTROLLERS[kind as KindName] : undefined;
}
