/**
 * scripts/pulumi-cli.sh's first-run build, with a stand-in `go` (a build takes minutes): two first runs at
 * once build once (the second waits for the first and uses its binary), a lock left by a killed build is
 * taken over, and the build reports progress.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { makeTempDir } from "../support/pulumi";

const REPO = path.resolve(__dirname, "../..");
const SCRIPT = path.join(REPO, "scripts", "pulumi-cli.sh");

// Answers what pulumi-cli.sh asks of Go; `build` takes a while, logs itself and writes a `pulumi` that
// prints the pinned version, naming packages on stderr as `go build -v` does.
const FAKE_GO = `#!/bin/sh
case "$1" in
  env) echo go1.26.8 ;;
  mod) exit 0 ;;
  list) printf 'std/a\\nstd/b\\nstd/c\\n' ;;
  build)
    out=""
    while [ $# -gt 0 ]; do [ "$1" = "-o" ] && out="$2"; shift; done
    echo "build $$" >> "$GO_LOG"
    printf 'std/a\\nstd/b\\n' >&2
    sleep 2
    printf '#!/bin/sh\\necho v3.276.0\\n' > "$out"
    chmod +x "$out" ;;
esac
`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function setup() {
  const root = makeTempDir("pulumi-cli-script");
  const fakeBin = path.join(root, "fakebin");
  fs.mkdirSync(fakeBin);
  fs.writeFileSync(path.join(fakeBin, "go"), FAKE_GO, { mode: 0o755 });
  const env = {
    // No `pulumi` on this PATH: the script must build.
    PATH: [fakeBin, "/usr/bin", "/bin"].join(path.delimiter),
    HOME: root,
    PULUMI_CMF_CACHE: path.join(root, "cache"),
    GO_LOG: path.join(root, "go.log"),
  };
  const run = () =>
    new Promise<Run>((resolve) => {
      const child = spawn("bash", [SCRIPT], { env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  const builds = () => fs.readFileSync(env.GO_LOG, "utf8").trim().split("\n").length;
  return { root, env, run, builds };
}

describe("scripts/pulumi-cli.sh first-run build", () => {
  it("builds once when two first runs start together; the second waits and uses the result", async () => {
    const { root, env, run, builds } = setup();
    try {
      const [a, b] = await Promise.all([run(), run()]);
      expect([a.code, b.code]).toEqual([0, 0]);
      const bin = path.join(env.PULUMI_CMF_CACHE, "pulumi-v3.276.0", "bin");
      expect(a.stdout.trim()).toBe(bin);
      expect(b.stdout.trim()).toBe(bin);
      expect(builds()).toBe(1);
      const stderr = a.stderr + b.stderr;
      expect(stderr).toMatch(/usually 5-15 minutes/);
      expect(stderr).toMatch(/compiling pulumi \(3 packages/);
      expect(stderr).toMatch(/is building pulumi v3\.276\.0 .*; waiting for it/);
      expect(stderr).toMatch(/using cached pulumi v3\.276\.0/);
      expect(fs.existsSync(path.join(env.PULUMI_CMF_CACHE, "pulumi-v3.276.0.lock"))).toBe(false);
      expect(fs.readdirSync(bin).sort()).toEqual([
        "pulumi",
        "pulumi-language-nodejs",
        "pulumi-resource-pulumi-nodejs",
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("takes over the lock of a build that was killed", async () => {
    const { root, env, run, builds } = setup();
    try {
      const lock = path.join(env.PULUMI_CMF_CACHE, "pulumi-v3.276.0.lock");
      fs.mkdirSync(lock, { recursive: true });
      // A pid that cannot be alive: above the kernel's pid_max.
      fs.writeFileSync(path.join(lock, "pid"), "99999999\n");
      const result = await run();
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/taking over the lock of an interrupted build \(pid 99999999 is gone\)/);
      expect(builds()).toBe(1);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
