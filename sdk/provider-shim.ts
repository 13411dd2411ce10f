import type * as pulumi from "@pulumi/pulumi";

/**
 * The object Pulumi serializes into every resource's `__provider`. It holds nothing but the resource
 * kind and loads the implementation by package subpath at call time, so that:
 * - the serialized text is small and identical across runs, machines and pulumi-cmf versions (no
 *   spurious `~__provider` diffs);
 * - upgrading pulumi-cmf upgrades the behaviour of existing resources, destroy and refresh included;
 * - no credential can be captured (configuration comes from `configure` and the resource inputs).
 *
 * Rules for editing: no imports used at run time, no arrow-function properties, no `#private` fields,
 * no module-scope references; every change alters `__provider` for every existing resource.
 */
export class CmfProviderShim implements pulumi.dynamic.ResourceProvider {
  readonly kind: string;

  constructor(kind: string) {
    this.kind = kind;
  }

  configure(req: pulumi.dynamic.ConfigureRequest) {
    return require("pulumi-cmf/provider").configure(req);
  }

  check(olds: unknown, news: unknown) {
    return require("pulumi-cmf/provider").check(this.kind, olds, news);
  }

  diff(id: string, olds: unknown, news: unknown) {
    return require("pulumi-cmf/provider").diff(this.kind, id, olds, news);
  }

  create(inputs: unknown) {
    return require("pulumi-cmf/provider").create(this.kind, inputs);
  }

  read(id: string, props: unknown) {
    return require("pulumi-cmf/provider").read(this.kind, id, props);
  }

  update(id: string, olds: unknown, news: unknown) {
    return require("pulumi-cmf/provider").update(this.kind, id, olds, news);
  }

  delete(id: string, props: unknown) {
    return require("pulumi-cmf/provider").delete(this.kind, id, props);
  }
}
