/**
 * `objectCalls`: the get, upsert and remove the typed kinds (secrets, mappings, catalogs, databases,
 * compute pools, statements) share, checked against a recording family: scope first, then the name,
 * PUT for an existing object and POST otherwise, a delete that treats 404 as done and passes `force`.
 */
import type { CmfClient } from "../../../provider/client";
import type { OperationContext } from "../../../provider/core/context";
import { objectCalls } from "../../../provider/kinds/cmf-object";

interface Thing {
  metadata: { name: string };
}

function recordingFamily() {
  const calls: unknown[][] = [];
  const thing: Thing = { metadata: { name: "n" } };
  return {
    calls,
    family: {
      get: (...args: string[]) => (calls.push(["get", ...args]), Promise.resolve(undefined)),
      create: (...args: unknown[]) => (calls.push(["create", ...args]), Promise.resolve(thing)),
      update: (...args: unknown[]) => (calls.push(["update", ...args]), Promise.resolve(thing)),
      delete: (...args: unknown[]) => (calls.push(["delete", ...args]), Promise.resolve()),
    },
  };
}

const client = {} as CmfClient;
const removeOptions = (force: boolean) => ({
  force,
  props: {},
  ctx: {} as OperationContext,
  warn: () => undefined,
});

describe("objectCalls", () => {
  it("puts the scope before the name, and upserts by PUT when the object exists", async () => {
    const { calls, family } = recordingFamily();
    const ops = objectCalls(
      () => family,
      ({ environment }) => [environment],
      (inputs) => ({ body: inputs.name }),
    );
    const names = { environment: "prod-env", name: "pool-a" };
    await ops.get(client, names);
    await ops.upsert(client, names, { name: "pool-a" }, undefined);
    await ops.upsert(client, names, { name: "pool-a" }, { metadata: { name: "pool-a" } });
    await ops.remove(client, names, removeOptions(true));
    expect(calls).toEqual([
      ["get", "prod-env", "pool-a"],
      ["create", "prod-env", { body: "pool-a" }],
      ["update", "prod-env", "pool-a", { body: "pool-a" }],
      ["delete", "prod-env", "pool-a", { force: true, ignoreNotFound: true }],
    ]);
  });

  it("calls a top-level family with the name alone", async () => {
    const { calls, family } = recordingFamily();
    const ops = objectCalls(
      () => family,
      () => [],
      () => ({}),
    );
    await ops.get(client, { name: "creds" });
    await ops.upsert(client, { name: "creds" }, {}, undefined);
    await ops.remove(client, { name: "creds" }, removeOptions(false));
    expect(calls).toEqual([
      ["get", "creds"],
      ["create", {}],
      ["delete", "creds", { force: false, ignoreNotFound: true }],
    ]);
  });
});
