/**
 * Lookups of CMF objects a stack does not own: `getCmfEnvironment({ name })` and its siblings return
 * the object as CMF holds it, as a `pulumi.Output`. Dynamic providers have no invokes, so a lookup
 * runs in the program process, through the provider runtime the resources use (the same connection
 * resolution, client, error messages and outputs projection), and only ever reads: it works during
 * `pulumi preview`, and `pulumi destroy` leaves the object alone since the stack never recorded it.
 * Each lookup is derived from the kind's definition (its id parts are the arguments, its CMF and
 * output fields the result).
 */
import * as pulumi from "@pulumi/pulumi";
import type { JsonObject } from "../provider/core/normalize";
import type { KindDefinition, ObjectOf } from "../provider/core/schema";
import type { KindName, KINDS } from "../provider/kinds";
import type { EmulatorSnapshot } from "../provider/resources/embedded-emulator";
import type { CmfConnectionArgs } from "./common";

type DefinitionOf<K extends KindName> = (typeof KINDS)[K];

/**
 * A lookup's arguments: the names that make the object's id (`name`; `environment` and `name` for the
 * kinds that live in an environment), and how to reach CMF.
 */
export type CmfLookupArgs<K extends KindName> = {
  [P in DefinitionOf<K>["id"]["parts"][number]]: pulumi.Input<string>;
} & {
  /**
   * How to reach CMF, as a resource's `connection` (used as a whole). Without it: the stack
   * configuration `cmf:*`, each key falling back to its environment variable, or the embedded
   * emulator (`cmf:emulator`), exactly as for the resources.
   */
  connection?: pulumi.Input<CmfConnectionArgs>;
};

/** What a lookup returns: the object's CMF fields as CMF holds them, and its server-set outputs. */
export type CmfLookupResult<K extends KindName> = ObjectOf<DefinitionOf<K>["fields"]>;

/** A lookup of one kind: `getCmfStatement({ environment, name })`. */
export type CmfLookup<K extends KindName> = (args: CmfLookupArgs<K>) => pulumi.Output<CmfLookupResult<K>>;

/** Where a lookup reads its settings: the program's stack configuration and environment. */
export interface LookupSources {
  config(key: string): string | undefined;
  env: NodeJS.ProcessEnv;
}

const programSources = (): LookupSources => ({
  config: (key) => pulumi.runtime.getConfig(key),
  env: process.env,
});

/**
 * Reads one object. Throws `LookupArgumentsError` for bad names or a bad `connection` (the rules the
 * resources' check applies), `ObjectNotFoundError` when it does not exist, and the resources' own
 * errors when CMF cannot be reached (`MissingEndpointError`, `ConnectionSettingsError`, ...). The
 * runtime is loaded at the first lookup, so a program without lookups never loads it; every client and
 * emulator the lookup opened is closed before it returns.
 */
export async function lookupObject<K extends KindName>(
  kind: K,
  args: Record<string, unknown>,
  sources: LookupSources = programSources(),
): Promise<CmfLookupResult<K>> {
  const {
    KINDS: kinds,
    formatId,
    objectFields,
  } = require("../provider/kinds") as typeof import("../provider/kinds");
  const { fieldFailures, unknownMemberFailures } =
    require("../provider/core/check") as typeof import("../provider/core/check");
  const { LookupArgumentsError, ObjectNotFoundError } =
    require("../provider/core/errors") as typeof import("../provider/core/errors");
  const { pick } = require("../provider/core/normalize") as typeof import("../provider/core/normalize");
  const { emulatorSnapshot } =
    require("../provider/resources/embedded-emulator") as typeof import("../provider/resources/embedded-emulator");
  const { ProviderRuntime } =
    require("../provider/resources/runtime") as typeof import("../provider/resources/runtime");
  const definition: KindDefinition = kinds[kind];
  const lookup = `get${definition.className}`;
  const accepted = [...definition.id.parts, "connection"];
  const argumentFields = Object.fromEntries(accepted.map((name) => [name, definition.fields[name]]));
  const connection = args.connection ?? undefined;
  const failures = [
    ...unknownMemberFailures(args, argumentFields, ""),
    ...definition.id.parts.flatMap((part) => fieldFailures(definition.fields[part], args[part], part)),
    ...(connection === undefined
      ? []
      : fieldFailures(definition.fields.connection, connection, "connection")),
  ];
  if (failures.length > 0) throw new LookupArgumentsError(lookup, failures);

  const snapshots: EmulatorSnapshot[] = [];
  const runtime = new ProviderRuntime({
    env: sources.env,
    embeddedUrl: async (dataFile) => {
      const snapshot = await emulatorSnapshot(dataFile);
      snapshots.push(snapshot);
      return snapshot.url;
    },
  });
  runtime.configureFrom((key) => sources.config(key));
  try {
    const id = formatId(definition, args);
    const found = await runtime.read(kind, id, connection === undefined ? {} : { connection });
    if (!found.id || !found.props) {
      throw new ObjectNotFoundError(`${definition.label} "${id}"`, runtime.endpointName(connection), lookup);
    }
    return pick(found.props, objectFields(definition)) as CmfLookupResult<K>;
  } finally {
    await runtime.close();
    await Promise.all(snapshots.map((snapshot) => snapshot.close()));
  }
}

/**
 * The lookup of one kind. Its arguments may be Outputs (of resources, or secrets for the connection);
 * the result depends on the resources behind them, is unknown during preview while they are, and is
 * secret when a name is (the connection's secrets never reach the result).
 */
function lookupOf<K extends KindName>(kind: K): CmfLookup<K> {
  return (args) => {
    const { connection, ...names } = args as { connection?: pulumi.Input<CmfConnectionArgs> };
    const plainConnection = pulumi.unsecret(pulumi.output(connection));
    return pulumi
      .all([pulumi.output(names as pulumi.Input<JsonObject>), plainConnection])
      .apply(([resolvedNames, resolvedConnection]) =>
        lookupObject(kind, {
          ...resolvedNames,
          ...(resolvedConnection ? { connection: resolvedConnection } : {}),
        }),
      ) as pulumi.Output<CmfLookupResult<K>>;
  };
}

/**
 * A CMF environment as CMF holds it (`name`, `kubernetesNamespace`, its defaults, `secrets`, ...).
 *
 * ```ts
 * const shared = getCmfEnvironment({ name: "shared" });
 * new CmfApplication("orders", { environment: shared.name, spec: { ... } });
 * ```
 */
export const getCmfEnvironment = lookupOf("Environment");
/** A Flink application (`environment`, `name`), with its `spec` and `status`. */
export const getCmfApplication = lookupOf("Application");
/** A compute pool (`environment`, `name`), with its `spec` and `phase`. */
export const getCmfComputePool = lookupOf("ComputePool");
/** A SQL statement (`environment`, `name`), with its `spec`, `phase`, `traits` and `results`. */
export const getCmfStatement = lookupOf("Statement");
/** A Kafka catalog (`name`), with its `spec`. */
export const getCmfKafkaCatalog = lookupOf("KafkaCatalog");

/*
 * The same functions under the names Pulumi packages give their Output-returning lookups
 * (`aws.ec2.getVpcOutput`): the lookups above already take `pulumi.Input` arguments.
 */
export const getCmfEnvironmentOutput = getCmfEnvironment;
export const getCmfApplicationOutput = getCmfApplication;
export const getCmfComputePoolOutput = getCmfComputePool;
export const getCmfStatementOutput = getCmfStatement;
export const getCmfKafkaCatalogOutput = getCmfKafkaCatalog;
