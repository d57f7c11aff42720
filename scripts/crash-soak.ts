/**
 * Many rounds of the server crash test: `npx tsx scripts/crash-soak.ts [--kills 50] [--seed 1]`.
 * Prints the survival report as JSON and exits non-zero if anything acknowledged was lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../support/synthetic.js';
import { runCrashRounds } from '../support/crash-harness.js';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '50' }, seed: { type: 'string', default: '1' } } });
const kills = Number(values.kills);
if (!Number.isInteger(kills) || kills < 1) throw new Error('--kills must be a positive integer');
const dir = mkdtempSync(join(tmpdir(), 'ecomalign-crash-soak-'));
const started = Date.now();
try {
  const report = await runCrashRounds({
    dataDir: dir,
    kills,
    random: mulberry32(Number(values.seed)),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  const failed = report.lostProducts.length + report.unsearchable.length + report.indexMismatches.length + report.failedOpens.length;
  process.stdout.write(
    `${JSON.stringify({ ...report, lostProducts: report.lostProducts.length, unsearchable: report.unsearchable.length, seconds: Math.round((Date.now() - started) / 1000), details: failed ? report : undefined }, null, 2)}\n`,
  );
  process.exitCode = failed ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
