/**
 * The plain interfaces pulumi-cmf publishes equal the zod models they mirror: a field added to one and
 * not the other fails the type check (`npm run typecheck`).
 */
import type * as models from "../../provider/models";
import type * as published from "../../provider/kinds/public-types";

type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function same<T extends true>(): T | undefined {
  return undefined;
}

describe("published CMF shapes", () => {
  it("equal their models", () => {
    const checks = [
      same<Equal<published.FlinkApplicationSpec, models.FlinkApplicationSpec>>(),
      same<Equal<published.JobSpec, models.JobSpec>>(),
      same<Equal<published.JobManagerSpec, models.JobManagerSpec>>(),
      same<Equal<published.TaskManagerSpec, models.TaskManagerSpec>>(),
      same<Equal<published.FlinkResourceSpec, models.Resource>>(),
      same<Equal<published.StatementDefaults, models.StatementDefaults>>(),
      same<Equal<published.FlinkApplicationDefaults, models.FlinkApplicationDefaults>>(),
      same<Equal<published.FlinkConfiguration, models.FlinkConfiguration>>(),
      same<Equal<published.ComputePoolType, models.ComputePoolType>>(),
      same<Equal<published.ComputePoolState, models.ComputePoolState>>(),
    ];
    expect(checks).toHaveLength(10);
  });
});
