/**
 * The foundation proof: a dynamic resource goes through up, no-op preview, update and destroy in the real
 * Pulumi engine, once through the Automation API inline path and once as a file-based project.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  describeWithPulumi,
  inlineStack,
  makePulumiSandbox,
  makeTempDir,
  runPulumi,
} from "../support/pulumi";
import { pulumiRunState, type RunState } from "../../scripts/pulumi-env";

const REPO = path.resolve(__dirname, "../..");

interface FileInputs {
  path: string;
  content: string;
}

const fileProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: FileInputs) {
    require("node:fs").writeFileSync(inputs.path, inputs.content);
    return { id: inputs.path, outs: inputs };
  },
  async diff(_id: string, olds: FileInputs, news: FileInputs) {
    const replaces = olds.path === news.path ? [] : ["path"];
    return { changes: olds.content !== news.content || replaces.length > 0, replaces };
  },
  async update(_id: string, _olds: FileInputs, news: FileInputs) {
    require("node:fs").writeFileSync(news.path, news.content);
    return { outs: news };
  },
  async delete(_id: string, props: FileInputs) {
    require("node:fs").rmSync(props.path, { force: true });
  },
};

class FileResource extends pulumi.dynamic.Resource {
  constructor(name: string, props: FileInputs) {
    super(fileProvider, name, props, {}, "test", "File");
  }
}

describeWithPulumi("real Pulumi engine: dynamic resource lifecycle", (tools) => {
  jest.setTimeout(10 * 60 * 1000);

  it("inline program (Automation API): up, no-op preview, update, destroy", async () => {
    const sandbox = makePulumiSandbox(tools, "inline");
    const target = path.join(sandbox.root, "greeting.txt");
    let content = "hello";
    // Each run's Pulumi state (see releasingRunState), and whether it held the stack when the program ran.
    const states: RunState[] = [];
    const heldStack: boolean[] = [];
    const program = async () => {
      const state = pulumiRunState();
      if (state) states.push(state);
      heldStack.push(state?.stackResource !== undefined);
      const file = new FileResource("greeting", { path: target, content });
      return { path: file.id };
    };
    // The provider process resolves @pulumi/pulumi from its working directory.
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(sandbox.root, "node_modules"), "dir");
    const stack = await inlineStack({
      tools,
      sandbox,
      projectName: "engine-lifecycle",
      stackName: "inline",
      program,
      workDir: sandbox.root,
    });

    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges?.create).toBe(2); // the stack and the file
    expect(fs.readFileSync(target, "utf8")).toBe("hello");

    const preview = await stack.preview();
    expect(preview.changeSummary.same).toBe(2);
    expect(preview.changeSummary.update ?? 0).toBe(0);
    expect(preview.changeSummary.create ?? 0).toBe(0);
    // Once an operation has ended, its run's state no longer holds the stack (and its resources).
    expect(heldStack).toEqual([true, true]);
    expect(states.map((state) => state.stackResource)).toEqual([undefined, undefined]);

    content = "hello again";
    const update = await stack.up();
    expect(update.summary.resourceChanges?.update).toBe(1);
    expect(fs.readFileSync(target, "utf8")).toBe("hello again");

    await stack.destroy();
    expect(fs.existsSync(target)).toBe(false);
    await stack.workspace.removeStack("inline");
  });

  if (!tools.hasLanguageHost) {
    const reason = "`pulumi-language-nodejs` is not available; `bash scripts/pulumi-cli.sh` installs one";
    if (process.env.CI) throw new Error(`file-based project test cannot run under CI: ${reason}`);
    console.warn(`SKIPPED file-based project test: ${reason}`);
  }
  const fileBased = tools.hasLanguageHost ? it : it.skip;
  fileBased(
    "file-based project (`pulumi up` in a directory): up, no-op preview, update, destroy",
    async () => {
      const sandbox = makePulumiSandbox(tools, "file");
      const project = makeTempDir("file-project");
      for (const name of ["index.js", "Pulumi.yaml", "package.json"]) {
        fs.copyFileSync(path.join(__dirname, "fixtures/file-project", name), path.join(project, name));
      }
      fs.symlinkSync(path.join(REPO, "node_modules"), path.join(project, "node_modules"), "dir");
      const target = path.join(sandbox.root, "greeting.txt");

      await runPulumi(sandbox, project, ["stack", "init", "dev"]);
      await runPulumi(sandbox, project, ["config", "set", "path", target]);
      await runPulumi(sandbox, project, ["config", "set", "content", "hello"]);
      const up = await runPulumi(sandbox, project, ["up", "--yes"]);
      expect(up.stdout).toMatch(/\+ +test:File|created/);
      expect(fs.readFileSync(target, "utf8")).toBe("hello");

      const preview = await runPulumi(sandbox, project, ["preview", "--expect-no-changes"]);
      expect(preview.stdout).toMatch(/2 unchanged/);

      await runPulumi(sandbox, project, ["config", "set", "content", "changed"]);
      const update = await runPulumi(sandbox, project, ["up", "--yes"]);
      expect(update.stdout).toMatch(/1 updated/);
      expect(fs.readFileSync(target, "utf8")).toBe("changed");

      await runPulumi(sandbox, project, ["destroy", "--yes"]);
      expect(fs.existsSync(target)).toBe(false);
    },
  );
});
