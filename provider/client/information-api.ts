import {
  C3LicenseInformationSchema,
  ResourceInformationSchema,
  SystemInformationSchema,
  type C3LicenseInformation,
  type ResourceInformation,
  type SystemInformation,
} from "../models";
import type { RequestCore } from "./request-core";

/** `GET /cmf/api/v1/system-information` (CMF 2.2+) and `GET /cmf/api/v1/c3/license` (2.3+). */
export class SystemInformationApi {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  /** `{ status: { version, revision } }`. */
  async get(): Promise<SystemInformation> {
    const operation = "systemInformation.get";
    const path = this.#core.path(["system-information"]);
    return this.#core.fetch({ operation, method: "GET", path, idempotent: true }, SystemInformationSchema);
  }

  /** The licence as Control Center sees it. */
  async c3License(): Promise<C3LicenseInformation> {
    const operation = "systemInformation.c3License";
    const path = this.#core.path(["c3", "license"]);
    return this.#core.fetch({ operation, method: "GET", path, idempotent: true }, C3LicenseInformationSchema);
  }
}

/** `GET /cmf/api/v1/resource-information` (CMF 2.2+): counts by kind and state, resources in use. */
export class ResourceInformationApi {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  async get(): Promise<ResourceInformation> {
    const operation = "resourceInformation.get";
    const path = this.#core.path(["resource-information"]);
    return this.#core.fetch({ operation, method: "GET", path, idempotent: true }, ResourceInformationSchema);
  }
}
