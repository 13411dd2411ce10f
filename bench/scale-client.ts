/**
 * Child process of the scale benchmark: one `listAll` over an environment's applications through
 * CmfClient, reporting the count, the time and this process's peak RSS as one JSON line.
 */
import { CmfClient } from "../provider/client";

async function main(): Promise<void> {
  const [url, environment, size] = process.argv.slice(2);
  const client = new CmfClient({ url });
  try {
    const start = process.hrtime.bigint();
    let count = 0;
    for await (const application of client.applications.listAll(environment, { size: Number(size) })) {
      if (application.metadata.name) count++;
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    process.stdout.write(`${JSON.stringify({ count, ms, maxRssKb: process.resourceUsage().maxRSS })}\n`);
  } finally {
    await client.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
