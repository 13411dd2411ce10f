import type { OutputMap } from "@pulumi/pulumi/automation";
import { lazyOutputs, releasingRunState } from "../../scripts/pulumi-env";

describe("lazyOutputs (the stacks' outputs, read from the CLI when first read)", () => {
  const outputs: OutputMap = {
    url: { value: "http://x", secret: false },
    token: { value: "t", secret: true },
  };

  it("reads nothing until an output is read, then reads once", async () => {
    const read = jest.fn(() => outputs);
    // As `stack.up()` does: an async function's result is awaited, which looks for `then`.
    const lazy = await (async () => lazyOutputs(read, () => true))();
    expect(read).not.toHaveBeenCalled();
    expect(lazy.token).toEqual({ value: "t", secret: true });
    expect(Object.keys(lazy)).toEqual(["url", "token"]);
    expect(lazy).toEqual(outputs);
    expect("url" in lazy).toBe(true);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it("refuses a first read after a later operation on the stack", () => {
    let current = true;
    const lazy = lazyOutputs(
      () => outputs,
      () => current,
    );
    current = false;
    expect(() => lazy.url).toThrow(/read after a later operation/);
  });

  it("keeps what it read before a later operation", () => {
    let current = true;
    const lazy = lazyOutputs(
      () => outputs,
      () => current,
    );
    expect(lazy.url.value).toBe("http://x");
    current = false;
    expect(lazy.url.value).toBe("http://x");
  });
});

describe("releasingRunState (an inline run's Pulumi state, let go once its operation has ended)", () => {
  it("empties the state of each run of the program on release, and only then", async () => {
    const states = [{ stackResource: { children: ["a"] } }, { stackResource: { children: ["b"] } }];
    let current = 0;
    const program = jest.fn(async () => ({ ran: current }));
    const run = releasingRunState(program, () => states[current]);

    expect(await run.program()).toEqual({ ran: 0 });
    current = 1;
    await run.program();
    expect(states[0].stackResource).toEqual({ children: ["a"] });

    run.release();
    expect(states).toEqual([{ stackResource: undefined }, { stackResource: undefined }]);
    expect(program).toHaveBeenCalledTimes(2);
  });

  it("runs a program outside any state, and then has nothing to empty", async () => {
    const run = releasingRunState(
      async () => ({ ok: true }),
      () => undefined,
    );
    expect(await run.program()).toEqual({ ok: true });
    expect(() => run.release()).not.toThrow();
  });
});
