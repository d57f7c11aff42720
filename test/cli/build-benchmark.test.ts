import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../helpers/store-fixture.js';
import { cliIn, sample } from './cli-fixture.js';

const catalog = sample.catalog;
const scripts = sample.scripts;
const { dir, cleanup } = tempDir('ecomalign-cli-bench-');
after(cleanup);
const dataDir = join(dir, 'data');

const cli = cliIn(dataDir);

const files = (out: string) =>
  Object.fromEntries(
    readdirSync(out)
      .sort()
      .map((f) => [f, readFileSync(join(out, f))]),
  );

describe('ecomalign build-benchmark', () => {
  before(() => assert.equal(cli(['ingest', catalog]).code, 0));

  it('writes the three tasks, annotation CSVs and stats, byte-identical for the same seed', () => {
    const a = cli(['build-benchmark', '--scripts', scripts, '--out', join(dir, 'a'), '--seed', '5', '--batch-size', '4']);
    assert.equal(a.code, 0, a.stderr);
    const summary = JSON.parse(a.stdout.trim().split('\n').at(-1)!);
    assert.equal(summary.scripts, 31);
    assert.ok(summary.records.t1 > 31 && summary.records.t2 > 31 && summary.records.t3 > 31);
    assert.match(a.stderr, /build-benchmark .*100\.0%.*scripts/);
    // Another batch size (and a warm embedding cache) must not change a byte.
    const b = cli(['build-benchmark', '--scripts', scripts, '--out', join(dir, 'b'), '--seed', '5', '--batch-size', '64']);
    assert.equal(b.code, 0, b.stderr);
    const fa = files(join(dir, 'a'));
    assert.deepEqual(Object.keys(fa), ['stats.json', 't1.csv', 't1.jsonl', 't2.csv', 't2.jsonl', 't3.csv', 't3.jsonl']);
    assert.deepEqual(files(join(dir, 'b')), fa);

    const c = cli(['build-benchmark', '--scripts', scripts, '--out', join(dir, 'c'), '--seed', '6']);
    assert.equal(c.code, 0, c.stderr);
    assert.notDeepEqual(files(join(dir, 'c'))['t2.jsonl'], fa['t2.jsonl'], 'another seed draws other negatives');

    const stats = JSON.parse(fa['stats.json'].toString());
    assert.equal(stats.t2.records, summary.records.t2);
    assert.ok(stats.steps.shareWithoutProduct > 0 && stats.steps.shareWithoutProduct < 1);
    assert.ok(stats.categories.grilling.catalogProducts > 0);
    const csv = fa['t2.csv'].toString();
    assert.match(csv, /^id,script_id,objective,step_number,step,product_id,product_title,product_category,matched_intention,label\r\n/);
    assert.equal(csv.split('\r\n').filter((l) => /^[0-9a-f]{24},/.test(l)).length, summary.records.t2, 'one CSV row per record');
    const ids = ['t1', 't2', 't3'].flatMap((t) =>
      fa[`${t}.jsonl`]
        .toString()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    );
    assert.equal(new Set(ids).size, ids.length, 'no duplicate records');
  });

  it('reports bad lines and duplicate scripts by line number and goes on', () => {
    const file = join(dir, 'mixed.jsonl');
    const first = readFileSync(scripts, 'utf8').split('\n')[0];
    writeFileSync(
      file,
      [first, '{oops', JSON.stringify({ id: 'x', steps: [] }), first, JSON.stringify({ ...JSON.parse(first), id: 'copy' })].join('\n'),
    );
    const res = cli(['build-benchmark', '--scripts', file, '--out', join(dir, 'mixed')]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /skipped line 2: invalid JSON/);
    assert.match(res.stderr, /skipped line 3: steps: /);
    assert.match(res.stderr, /skipped line 4: duplicate script id "script-a01"/);
    assert.match(res.stderr, /skipped line 5: script "copy" repeats the objective and steps/);
    const stats = JSON.parse(readFileSync(join(dir, 'mixed', 'stats.json'), 'utf8'));
    assert.deepEqual(stats.input, { lines: 5, badLines: 2, duplicateIds: 1, duplicateContent: 1, scripts: 1 });
  });

  it('rejects bad options before doing any work', () => {
    let res = cli(['build-benchmark', '--scripts', scripts]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /needs --out DIR/);
    res = cli(['build-benchmark', '--scripts', scripts, '--out', join(dir, 'x'), '--hard-fraction', '1.5']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--hard-fraction must be a number in \[0, 1\]/);
  });
});
