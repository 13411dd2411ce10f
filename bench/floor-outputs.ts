/**
 * What a floor resource's create adds to its inputs as outputs: the server fields recorded for it
 * (`serverFieldsOf` in `./engine-harness`), when its stack's environment names their file, and nothing
 * otherwise (the bare floor). It runs in the floor's provider process, required by path from the
 * serialized provider, which stays as small as the floor's was.
 */
import * as fs from "node:fs";

/** Names the file of server fields a floor stack's provider process reads. */
export const SERVER_FIELDS_ENV = "PULUMI_CMF_BENCH_SERVER_FIELDS";

/** A floor resource's `<tier>-<index>`, from its name (`noop-2-0`, `read-2-0`): its key in that file. */
export const floorKey = (name: string): string => name.replace(/^[a-z]+-/, "");

let recorded: Record<string, Record<string, unknown>> | undefined;

/** A floor stack meant to carry server fields fails to create without them rather than measure a lighter state. */
export function serverFieldsFor(name: string): Record<string, unknown> {
  const file = process.env[SERVER_FIELDS_ENV];
  if (!file) return {};
  recorded ??= JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
  const fields = recorded[floorKey(name)];
  if (!fields) throw new Error(`bench floor: no server fields recorded for ${name} in ${file}`);
  return fields;
}
