#!/usr/bin/env node
// `calicolobster` / `npm run crawl --`: runs the TypeScript CLI through jiti (Node 20 can't strip types).
import { createJiti } from 'jiti';

const jiti = createJiti(import.meta.url);
const { main } = await jiti.import('./cli.ts');
const stop = new AbortController();
// Ctrl-C: the crawl saves where it is and says how to resume; a second Ctrl-C exits at once.
process.once('SIGINT', () => {
  stop.abort();
  process.once('SIGINT', () => process.exit(130));
});
process.exitCode = await main(process.argv.slice(2), {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  isTTY: Boolean(process.stderr.isTTY),
  signal: stop.signal,
});
