/**
 * `npm run bench`: the index benchmark and the service benchmark, written to
 * bench/results/latest.json and bench/results/latest.md.
 *
 *   npm run bench                       # index at 100k and 1M, service with the default load
 *   npm run bench -- --quick            # index at 100k only, shorter load runs
 *   npm run bench -- --only index|service
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runIndexBench } from './index-bench.js';
import { renderReport } from './report.js';
import { runServiceBench } from './service-bench.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const log = (line: string) => process.stderr.write(`${line}\n`);

const index =
  only === 'service'
    ? undefined
    : await runIndexBench({
        sizes: quick ? [100_000] : [100_000, 1_000_000],
        queries: 200,
        dimension: 384,
        seed: 42,
        log,
      });
const service =
  only === 'index' ? undefined : await runServiceBench({ copies: 30, durationSeconds: quick ? 5 : 10, connections: 32, log });

const meta = {
  date: new Date().toISOString(),
  host: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
};
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}latest.json`, `${JSON.stringify({ meta, index, service }, null, 2)}\n`);
writeFileSync(`${dir}latest.md`, renderReport(meta, index, service));
log(`wrote ${dir}latest.json and ${dir}latest.md`);
