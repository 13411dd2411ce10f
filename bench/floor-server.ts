/**
 * The HTTP floor: a bare node:http server that answers every request with fixed bytes. Started as a child
 * process by the throughput benchmark, like the emulator, so that neither shares a thread with the load
 * generator.
 */
import * as fs from "node:fs";
import * as http from "node:http";

const [bodyFile, contentType = "application/json"] = process.argv.slice(2);
if (!bodyFile) {
  process.stderr.write("usage: floor-server <body-file> [content-type]\n");
  process.exit(2);
}
const body = fs.readFileSync(bodyFile);
const server = http.createServer((req, res) => {
  // Drain the request so POSTs cost what they cost the emulator to receive.
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": contentType, "content-length": body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") {
    process.stdout.write(`floor listening on http://127.0.0.1:${address.port}\n`);
  }
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
