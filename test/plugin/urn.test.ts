import { ownerOf, parseUrn } from "../../provider/plugin/urn";

describe("URNs", () => {
  it("gives the project, stack, own type and logical name", () => {
    const parsed = parseUrn("urn:pulumi:dev::flink::cmf:index:Environment$cmf:index:Application::orders");
    expect(parsed).toEqual({ stack: "dev", project: "flink", type: "cmf:index:Application", name: "orders" });
    expect(ownerOf(parsed!)).toBe("flink/dev/orders");
  });

  it("refuses what is not a URN", () => {
    expect(parseUrn("cmf:index:Environment")).toBeUndefined();
    expect(parseUrn("urn:pulumi:dev::flink")).toBeUndefined();
  });
});
