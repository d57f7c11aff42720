/**
 * `npm run k6 -- <profile>`: runs one k6 profile (loadtests/<profile>.ts) for real and writes
 * loadtests/results/k6-<profile>.md. k6 is built once from the Go module proxy (install.sh).
 *
 *   npm run k6 -- smoke|load|stress|spike|soak [--base-rate 200] [--time-scale S] [--embedder lexical] [--out DIR]
 *
 * Without BASE_URL it starts the real server (`ecomalign serve`) on loopback with the sample catalog;
 * with BASE_URL (and API_KEY for the writes) it aims at that service instead. k6's thresholds decide:
 * the exit code is k6's (99 when a threshold was crossed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILES, TEST_MACHINE_SCALE, profileDurationS, scaleProfile, type ProfileName } from '../lib/profiles.js';
import { LOADTESTS, k6Binary, k6Version, runK6, startTarget } from './k6.js';
import { condense, renderProfileReport } from './report.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'base-rate': { type: 'string', default: '200' },
    'time-scale': { type: 'string' },
    embedder: { type: 'string', default: process.env.EMBEDDER ?? 'lexical' },
    out: { type: 'string', default: join(LOADTESTS, 'results') },
  },
});

async function main(): Promise<number> {
  const name = positionals[0] as ProfileName;
  if (positionals.length !== 1 || !PROFILES[name]) throw new Error(`usage: npm run k6 -- <${Object.keys(PROFILES).join('|')}> [options]`);
  const baseRate = Number(values['base-rate']);
  const scale = values['time-scale'] === undefined ? TEST_MACHINE_SCALE[name] : Number(values['time-scale']);
  if (!(baseRate > 0) || !(scale > 0)) throw new Error('--base-rate and --time-scale must be positive numbers');
  const durationS = profileDurationS(scaleProfile(PROFILES[name], scale));
  const full = profileDurationS(PROFILES[name]);
  const scaleNote =
    durationS === full ? 'full length' : `scaled from ${full} s for this machine (time scale ${Math.round(scale * 1000) / 1000})`;
  const k6 = k6Binary();
  const target = await startTarget(values.embedder);
  try {
    process.stderr.write(`k6: ${name} at base rate ${baseRate}/s for ${durationS} s against ${target.url}\n`);
    const run = await runK6(k6, join(LOADTESTS, `${name}.ts`), {
      BASE_URL: target.url,
      BASE_RATE: String(baseRate),
      TIME_SCALE: String(scale),
      ...(target.apiKey ? { API_KEY: target.apiKey } : {}),
    });
    if (Object.keys(run.summary.metrics).length === 0) return run.exitCode || 1;
    const report = renderProfileReport(condense(run.summary), {
      profile: name,
      baseRate,
      durationS,
      scaleNote,
      target: target.description,
      k6Version: k6Version(k6),
      exitCode: run.exitCode,
      wallS: run.wallS,
      peakRssBytes: target.peakRssBytes(),
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      command: `npm run k6 -- ${name} --base-rate ${baseRate}${values['time-scale'] ? ` --time-scale ${values['time-scale']}` : ''} --embedder ${values.embedder}`,
    });
    mkdirSync(values.out, { recursive: true });
    const file = join(values.out, `k6-${name}.md`);
    writeFileSync(file, report);
    process.stderr.write(
      `k6: ${name} ${run.exitCode === 0 ? 'passed its thresholds' : `FAILED (k6 exit ${run.exitCode})`}; report in ${file}\n`,
    );
    return run.exitCode;
  } finally {
    await target.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`k6 run failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
