/**
 * The engine benchmark's floor must hold state of the same shape as the CMF program's, tier by tier,
 * or the ratio compares unlike graphs (a floor heavier than the program flatters it). The programs run
 * here against Pulumi's mocks; nothing is deployed.
 */
import * as pulumi from "@pulumi/pulumi";
import { ENGINE_GRAPHS } from "../../bench/engine-graphs";
import * as sdk from "../../sdk";

const registered: { name: string; inputs: Record<string, unknown> }[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: { ...args.inputs, name: args.inputs.name ?? args.name } };
      },
      call: () => ({}),
    },
    "bench",
    "graphs",
  );
});

/** Waits until the program's registrations stop arriving (they resolve asynchronously). */
async function settled(count: number): Promise<void> {
  for (let i = 0; i < 200 && registered.length < count; i++) await new Promise((r) => setTimeout(r, 5));
}

describe.each(ENGINE_GRAPHS.map((graph) => [graph.bench, graph] as const))("%s graph", (_, graph) => {
  const size = Math.max(graph.minimum, 5);

  beforeEach(() => {
    registered.length = 0;
  });

  it("gives every floor resource the plain inputs its program counterpart registers", async () => {
    const tiers = graph.tiers(size);
    await graph.program(sdk as never, size)();
    await settled(tiers.reduce((a, b) => a + b, 0));
    expect(registered).toHaveLength(tiers.reduce((a, b) => a + b, 0));

    // The program registers tier by tier, in order, as the floor builds them.
    let at = 0;
    tiers.forEach((count, tier) => {
      for (let i = 0; i < count; i++, at++) {
        const floor = graph.floorInputs(tier, i);
        expect(Object.keys(floor).length).toBeGreaterThan(0);
        expect(registered[at].inputs).toMatchObject(floor);
      }
    });
  });

  it("gives the read floor the path of each object the program makes", async () => {
    const tiers = graph.tiers(size);
    await graph.program(sdk as never, size)();
    await settled(tiers.reduce((a, b) => a + b, 0));

    const environment = registered[0].name;
    let at = 0;
    tiers.forEach((count, tier) => {
      for (let i = 0; i < count; i++, at++) {
        const path = graph.objectPath(tier, i);
        const segments = path.split("/");
        expect(segments.slice(0, 2)).toEqual(["environments", environment]);
        expect(segments.at(-1)).toBe(registered[at].name);
      }
    });
  });
});
