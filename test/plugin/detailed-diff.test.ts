import { appendPath, detailedDiff } from "../../provider/plugin/detailed-diff";
import { UNKNOWN } from "../../provider/core/unknown";

describe("detailed diff", () => {
  it("names each changed leaf in Pulumi's property path syntax", () => {
    const olds = {
      spec: { job: { parallelism: 1, state: "running" }, flinkConfiguration: { "a.b": "1" } },
      labels: { team: "x" },
    };
    const news = {
      spec: { job: { parallelism: 2, state: "running" }, flinkConfiguration: { "a.b": "1", "c.d": "2" } },
      labels: {},
    };
    expect(detailedDiff(olds, news, ["spec", "labels"], [])).toEqual([
      { path: 'spec.flinkConfiguration["c.d"]', kind: "add", replace: false },
      { path: "spec.job.parallelism", kind: "update", replace: false },
      { path: "labels", kind: "delete", replace: false },
    ]);
  });

  it("marks the fields that force a replacement", () => {
    expect(detailedDiff({ name: "old1" }, { name: "new1" }, ["name"], ["name"])).toEqual([
      { path: "name", kind: "update", replace: true },
    ]);
  });

  it("reports unknown values as updates, and a field the core saw changed even when leaves look equal", () => {
    expect(detailedDiff({ spec: { image: "a" } }, { spec: { image: UNKNOWN } }, ["spec"], [])).toEqual([
      { path: "spec.image", kind: "update", replace: false },
    ]);
    expect(detailedDiff({ adopt: true }, { adopt: true }, ["adopt"], [])).toEqual([
      { path: "adopt", kind: "update", replace: false },
    ]);
  });

  it("quotes keys that are not identifiers and indexes arrays", () => {
    expect(appendPath("labels", "app.kubernetes.io/name")).toBe('labels["app.kubernetes.io/name"]');
    expect(appendPath("args", 0)).toBe("args[0]");
    expect(appendPath("", "spec")).toBe("spec");
  });
});
