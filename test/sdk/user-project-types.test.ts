/**
 * The published package type-checks in a user's project as `pulumi new typescript` makes it (strict,
 * no skipLibCheck, no esModuleInterop), and its stack traces never point at sources it does not ship.
 * The project installs the `npm pack` tarball of this checkout.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createFixtureProject, type FixtureProject } from "../support/fixture-project";

/** The tsconfig.json of Pulumi's `typescript` template. */
const PULUMI_NEW_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import {
  CmfApplication,
  CmfEnvironment,
  getCmfEnvironment,
  getCmfStatementOutput,
  type CmfApplicationArgs,
  type FlinkApplicationSpec,
} from "pulumi-cmf";

const config = new pulumi.Config();
const env = new CmfEnvironment("prod", {
  kubernetesNamespace: "flink-prod",
  labels: { team: "data" },
  flinkApplicationDefaults: { spec: { flinkConfiguration: { "taskmanager.numberOfTaskSlots": "2" } } },
  connection: { url: "https://cmf.example.com:8080", token: config.requireSecret("token") },
});
const spec: FlinkApplicationSpec = {
  image: "confluentinc/cp-flink:1.19.3-cp2",
  flinkVersion: "v1_19",
  jobManager: { resource: { cpu: 1, memory: "1024m" } },
  taskManager: { resource: { cpu: 1, memory: "1024m" } },
  job: { jarURI: "local:///opt/flink/job.jar", parallelism: 1, state: "running", upgradeMode: "stateless" },
};
const args: CmfApplicationArgs = { environment: env, spec, waitFor: "running", timeoutSeconds: 900 };
const app = new CmfApplication("orders", args);
const fromDocument = CmfApplication.fromDocument("payments", {
  environment: env.name,
  document: "apiVersion: cmf.confluent.io/v1\\nkind: FlinkApplication\\nmetadata:\\n  name: payments\\nspec: {}\\n",
});
export const jobState = app.status.jobState;
export const created: pulumi.Output<string> = env.createdTime;
export const documentName = fromDocument.name;
const shared = getCmfEnvironment({ name: "shared" });
export const sharedNamespace: pulumi.Output<string> = shared.kubernetesNamespace;
export const sqlPhase = getCmfStatementOutput({ environment: shared.name, name: "ddl" }).phase;
`;

describe("the published package in a user's project", () => {
  let project: FixtureProject;

  beforeAll(() => {
    project = createFixtureProject("user-types");
    fs.writeFileSync(path.join(project.dir, "tsconfig.json"), JSON.stringify(PULUMI_NEW_TSCONFIG, null, 2));
    fs.writeFileSync(path.join(project.dir, "index.ts"), PROGRAM);
  }, 120_000);

  afterAll(() => project?.remove());

  it("type-checks with the tsconfig of `pulumi new typescript`", () => {
    const tsc = require.resolve("typescript/bin/tsc");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "--noEmit", "-p", "."], { cwd: project.dir, encoding: "utf8" });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe("");
  }, 120_000);

  it("ships no source map that names a source it does not ship", () => {
    const missing: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith(".map")) {
          const map = JSON.parse(fs.readFileSync(full, "utf8")) as { sources: string[] };
          for (const source of map.sources) {
            if (!fs.existsSync(path.resolve(path.dirname(full), source)))
              missing.push(`${full} -> ${source}`);
          }
        }
      }
    };
    walk(project.packageDir);
    expect(missing).toEqual([]);
  });
});
