/**
 * The concurrent-writers property run over many seeds, through the real server:
 *
 *   npx tsx scripts/concurrent-writers.ts [--seeds 20] [--first 1] [--writers 4] [--requests 40]
 *                                         [--ann hnswlib|usearch] [--probes N]
 *
 * --ann picks the server's ANN library (ANN_INDEX); --probes 0 turns off the index check's
 * reachability probe, to see what the library itself does.
 * Prints one line per seed and a summary; exits 1 if any seed failed, lost, hid or hung.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConcurrentWriters } from '../support/concurrent-writers.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const text = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const env: Record<string, string> = {};
if (text('--ann')) env.ANN_INDEX = text('--ann')!;
if (text('--probes')) env.INDEX_CHECK_PROBES = text('--probes')!;
const seeds = flag('--seeds', 20);
const first = flag('--first', 1);
let bad = 0;
let requests = 0;
for (let seed = first; seed < first + seeds; seed++) {
  const dir = mkdtempSync(join(tmpdir(), 'ecomalign-writers-'));
  try {
    const r = await runConcurrentWriters({
      seed,
      dataDir: dir,
      writers: flag('--writers', 4),
      requestsPerWriter: flag('--requests', 40),
      env,
    });
    requests += r.requests;
    const problems = r.failed.length + r.hung.length + r.mismatched.length + r.unfound.length + r.deletedReturned.length;
    if (problems > 0) bad++;
    console.log(
      `seed ${seed}: ${r.requests} calls, ${r.acknowledged} acknowledged upserts, failed ${r.failed.length}, hung ${r.hung.length}, ` +
        `mismatched ${r.mismatched.length}, unfound ${r.unfound.length}, deleted returned ${r.deletedReturned.length} (${(r.ms / 1000).toFixed(1)} s)`,
    );
    for (const line of [...r.failed, ...r.hung, ...r.mismatched.slice(0, 5), ...r.unfound.slice(0, 5)].slice(0, 10))
      console.log(`  ${line}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`${seeds - bad} of ${seeds} seeds passed, ${bad} failed (${requests} HTTP calls; ${JSON.stringify(env)})`);
process.exit(bad > 0 ? 1 : 0);
