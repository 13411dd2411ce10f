import { interleaved, paired, percentile, summarize } from "../../bench/stats";

describe("benchmark statistics", () => {
  it("summarises odd and even sample counts", () => {
    expect(summarize([3, 1, 2])).toMatchObject({ median: 2, min: 1, max: 3 });
    expect(summarize([4, 1, 3, 2])).toMatchObject({ median: 2.5, min: 1, max: 4 });
    expect(() => summarize([])).toThrow(/no samples/);
  });

  it("takes nearest-rank percentiles", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
  });

  it("alternates A and B and computes the ratio round by round", async () => {
    const order: string[] = [];
    let round = 0;
    const result = await paired(
      3,
      async () => {
        order.push("a");
        return 10 * ++round;
      },
      async () => {
        order.push("b");
        return 5 * round;
      },
      0,
    );
    expect(order).toEqual(["a", "b", "a", "b", "a", "b"]);
    expect(result.ratio.samples).toEqual([2, 2, 2]);
    expect(result.a.median).toBe(20);
  });

  it("rotates the order of interleaved steps each repetition and keeps each step's figures in order", async () => {
    const order: string[] = [];
    const step = (key: string) => async () => {
      order.push(key);
      return order.length;
    };
    const figures = await interleaved(3, { a: step("a"), b: step("b"), c: step("c") }, 1);
    expect(order).toEqual(["b", "c", "a", "c", "a", "b", "a", "b", "c"]);
    expect(figures).toEqual({ a: [3, 5, 7], b: [1, 6, 8], c: [2, 4, 9] });
  });

  it("runs the warm-up step once, unmeasured, before the first repetition", async () => {
    const order: string[] = [];
    const step = (key: string) => async () => {
      order.push(key);
      return order.length;
    };
    const figures = await interleaved(2, { a: step("a"), b: step("b") }, 1, "a");
    expect(order).toEqual(["a", "b", "a", "a", "b"]);
    expect(figures).toEqual({ a: [3, 4], b: [2, 5] });
  });
});
