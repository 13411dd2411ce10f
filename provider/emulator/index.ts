import "../node-guard"; // first: fails at once, and clearly, on an unsupported Node.js
export { CmfEmulator, type CmfEmulatorOptions, type CmfEmulatorTlsOptions } from "./server";
export type { EmulatorControls } from "./controls";
export type { FaultConfig } from "./faults";
export type { EmulatorStats } from "./stats";
export type { LifecycleMode } from "./lifecycle";
export { EmulatorDataFileError, EmulatorOptionsError } from "./errors";
export { DEFAULT_BODY_LIMIT_BYTES } from "./body";
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./listing";
export type { RestFamilyControls, SavepointOwnerRef } from "./rest-controls";
export type { RegisterClusterInput, Connectivity } from "./clusters";
export { HUB_CLUSTER_NAME } from "./clusters";
export { EMULATED_CMF_VERSION } from "./system";
