/**
 * The pure helpers of the benchmarks: percentiles, row merging, the --env/--label parsing of the
 * live-server benchmarks (bench/load/contention.ts, bench/load/ingest-rate.ts) and the harness's
 * flags and recorded command (bench/harness/args.ts). No timings are asserted here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile, ratioOf, summarizeLatencies } from '../../bench/lib/latency-stats.js';
import { commandLine, parseBenchArgs } from '../../bench/harness/args.js';
import { mergeRows } from '../../bench/harness/result-rows.js';
import { parseVariant } from '../../bench/harness/variant-args.js';

describe('benchmark helpers', () => {
  it('takes nearest-rank percentiles over every sample', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    assert.equal(percentile(sorted, 50), 50);
    assert.equal(percentile(sorted, 99), 99);
    assert.equal(percentile(sorted, 100), 100);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
    // 300 samples (20/s for 15 s): p99 is the 4th-worst (297 of 300 at or below it), not an interpolation.
    const samples = [...Array.from({ length: 296 }, () => 1), 40, 50, 60, 70];
    assert.deepEqual(summarizeLatencies(samples.reverse()), { count: 300, p50: 1, p90: 1, p99: 40, max: 70 });
  });

  it('gives no ratio against a missing or zero baseline', () => {
    assert.equal(ratioOf(30, 10), 3);
    assert.equal(ratioOf(1, 3), 0.33);
    assert.equal(ratioOf(5, 0), undefined);
    assert.equal(ratioOf(5, Number.NaN), undefined);
  });

  it('replaces rows of the same key in place and appends new ones', () => {
    type Row = { label: string; size: string; v: number };
    const key = (r: Row) => `${r.label}|${r.size}`;
    const old: Row[] = [
      { label: 'default', size: 'empty', v: 1 },
      { label: 'default', size: 'preloaded', v: 2 },
      { label: 'st0', size: 'empty', v: 3 },
    ];
    const merged = mergeRows(
      old,
      [
        { label: 'default', size: 'preloaded', v: 20 },
        { label: 'st0', size: 'preloaded', v: 40 },
      ],
      key,
    );
    assert.deepEqual(
      merged.map((r) => r.v),
      [1, 20, 3, 40],
    );
    assert.deepEqual(mergeRows([], old, key), old);
  });

  it('reads repeatable --env settings and names an unlabelled variant after them', () => {
    assert.deepEqual(parseVariant(['--only', 'contention', '--quick']), { label: 'default', env: {} });
    assert.deepEqual(parseVariant(['--env', 'SEARCH_THREADS=0', '--env=MAX_EVENT_LOOP_DELAY_MS=50']), {
      label: 'SEARCH_THREADS=0 MAX_EVENT_LOOP_DELAY_MS=50',
      env: { SEARCH_THREADS: '0', MAX_EVENT_LOOP_DELAY_MS: '50' },
    });
    assert.deepEqual(parseVariant(['--label', 'no-threads', '--env', 'SEARCH_THREADS=0']), {
      label: 'no-threads',
      env: { SEARCH_THREADS: '0' },
    });
    assert.throws(() => parseVariant(['--env', 'search_threads']), /KEY=VALUE/);
  });

  it('parses the harness flags strictly and records a command that can be pasted back', () => {
    const argv = ['--only', 'contention', '--label', 'two lanes', '--env', 'A=1', '--note', 'busy machine'];
    const args = parseBenchArgs(argv);
    assert.equal(args.only, 'contention');
    assert.equal(args.label, 'two lanes');
    assert.deepEqual(args.env, ['A=1']);
    // The note describes the machine during this run, not how to repeat it.
    assert.equal(commandLine(argv), "npm run bench -- --only contention --label 'two lanes' --env A=1");
    assert.equal(commandLine([]), 'npm run bench');
    assert.throws(() => parseBenchArgs(['--only', 'contention', '--lable', 'x']), /Unknown option '--lable'/);
  });
});
