#!/usr/bin/env node
/*
 * A small Node.js language host for the Pulumi CLI, installed by scripts/pulumi-cli.sh only where the real
 * `pulumi-language-nodejs` is missing: its Go module is untagged and the Go module proxy reachable here does
 * not serve it, and the Pulumi installer cannot be downloaded.
 *
 * It does what the real host does for a run: the engine calls Run, and we start the project's own
 * `@pulumi/pulumi/cmd/run` with the same flags and environment (PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS),
 * so the program runs exactly as it would under the real host. It does not install dependencies, report
 * required plugins, or attach debuggers; plugins are then loaded on demand by the engine.
 *
 * It lives only as long as the engine that started it: when `pulumi` dies (kill -9, a CI timeout), this
 * process is re-parented, notices within a second, ends the program it started and exits.
 */
"use strict";
const path = require("node:path");
const { spawn } = require("node:child_process");
const { createRequire } = require("node:module");

const VERSION = "3.276.0-pulumi-cmf";
// The program's exit code when it already reported its error to the engine (cmd/run).
const BAIL_EXIT_CODE = 32;

function projectRequire(dir) {
  return createRequire(path.join(dir, "__pulumi_cmf_language_host__.js"));
}

function loadSdk(dir) {
  const req = projectRequire(dir);
  try {
    const sdkRoot = path.dirname(req.resolve("@pulumi/pulumi/package.json"));
    const sdkRequire = createRequire(path.join(sdkRoot, "package.json"));
    return {
      runScript: path.join(sdkRoot, "cmd", "run"),
      grpc: sdkRequire("@grpc/grpc-js"),
      languageRpc: sdkRequire("./proto/language_grpc_pb"),
      languageProto: sdkRequire("./proto/language_pb"),
      pluginProto: sdkRequire("./proto/plugin_pb"),
    };
  } catch (error) {
    process.stderr.write(
      `pulumi-language-nodejs: cannot load @pulumi/pulumi from ${dir} (${error.message}); run 'npm install' in the project first\n`,
    );
    process.exit(1);
  }
}

function runArgs(req, programArg) {
  const args = [
    `--monitor=${req.getMonitorAddress()}`,
    `--project=${req.getProject()}`,
    `--stack=${req.getStack()}`,
    `--pwd=${req.getPwd()}`,
  ];
  const engine = req.getArgsList()[0];
  if (engine) args.push(`--engine=${engine}`);
  if (req.getOrganization()) args.push(`--organization=${req.getOrganization()}`);
  const info = req.getInfo();
  if (info && info.getRootDirectory()) args.push(`--root-directory=${info.getRootDirectory()}`);
  if (req.getDryrun()) args.push("--dry-run");
  if (req.getParallel() > 0) args.push(`--parallel=${req.getParallel()}`);
  args.push(programArg);
  return args;
}

function programArgument(req) {
  const info = req.getInfo();
  if (!info) return req.getProgram() || ".";
  const entry = info.getEntryPoint();
  return !entry || entry === "." ? info.getProgramDirectory() : path.join(info.getProgramDirectory(), entry);
}

function typescriptOption(req) {
  const options = req.getInfo() && req.getInfo().getOptions();
  const value = options ? options.toJavaScript().typescript : undefined;
  return value === false ? "false" : "true";
}

// How often we check that the engine (our parent) is still there.
const ENGINE_WATCH_MS = 1000;

function main() {
  const sdk = loadSdk(process.cwd());
  const programs = new Set();
  const { grpc, languageRpc, languageProto, pluginProto } = sdk;

  const service = {
    handshake(_call, callback) {
      callback(null, new languageProto.LanguageHandshakeResponse());
    },
    getPluginInfo(_call, callback) {
      callback(null, new pluginProto.PluginInfo().setVersion(VERSION));
    },
    getRequiredPlugins(_call, callback) {
      callback(null, new languageProto.GetRequiredPluginsResponse().setPluginsList([]));
    },
    getRequiredPackages(_call, callback) {
      callback(null, new languageProto.GetRequiredPackagesResponse().setPackagesList([]));
    },
    run(call, callback) {
      const req = call.request;
      const config = {};
      for (const [key, value] of req.getConfigMap().entries()) config[key] = value;
      const child = spawn(process.execPath, [sdk.runScript, ...runArgs(req, programArgument(req))], {
        cwd: req.getPwd() || process.cwd(),
        env: {
          ...process.env,
          PULUMI_CONFIG: JSON.stringify(config),
          PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
          PULUMI_NODEJS_TYPESCRIPT: typescriptOption(req),
        },
        stdio: ["ignore", "inherit", "inherit"],
      });
      programs.add(child);
      child.on("exit", () => programs.delete(child));
      child.on("error", (error) => callback(null, new languageProto.RunResponse().setError(error.message)));
      child.on("exit", (code, signal) => {
        const resp = new languageProto.RunResponse();
        if (code === BAIL_EXIT_CODE) resp.setBail(true);
        else if (code !== 0)
          resp.setError(`Program exited with ${signal ? `signal ${signal}` : `code ${code}`}`);
        callback(null, resp);
      });
    },
  };

  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(languageRpc.LanguageRuntimeService, service);
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
      process.stderr.write(`pulumi-language-nodejs: cannot listen: ${error.message}\n`);
      process.exit(1);
    }
    // The engine reads the port from our first line of output.
    process.stdout.write(`${port}\n`);
  });
  const stop = () => server.tryShutdown(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  // The engine that started us holds our only client connection; when it dies we are re-parented (to
  // init or a subreaper) and nobody will ever call us again.
  const engine = process.ppid;
  setInterval(() => {
    if (process.ppid === engine) return;
    for (const child of programs) child.kill("SIGTERM");
    server.forceShutdown();
    process.exit(1);
  }, ENGINE_WATCH_MS).unref();
}

main();
