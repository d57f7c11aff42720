import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from '../helpers/store-fixture.js';
import { runCli, sample } from './cli-fixture.js';

const catalog = sample.catalog;
const scripts = sample.scripts;
const { dir, cleanup } = tempDir('ecomalign-cli-');
after(cleanup);

const cli = runCli;

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('ecomalign CLI', () => {
  const dataDir = join(dir, 'data');

  it('prints usage and exits 2 on a usage error', () => {
    const res = cli(['frobnicate']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /unknown command "frobnicate"/);
    assert.match(res.stderr, /Usage:/);
    assert.equal(cli(['align', scripts, '--data-dir', dataDir]).code, 2, 'align without --out');
  });

  it('ingests the sample catalog with a summary, then finds nothing to re-embed', () => {
    let res = cli(['ingest', catalog, '--data-dir', dataDir]);
    assert.equal(res.code, 0, res.stderr);
    let summary = lastJson(res.stdout);
    const lines = readFileSync(catalog, 'utf8').trim().split('\n').length;
    assert.equal(summary.products, lines);
    assert.equal(summary.upserted, lines);
    assert.equal(summary.badLines, 0);
    assert.ok(summary.intentionsIndexed > 1000);
    assert.equal(summary.store.products, lines);
    assert.match(res.stderr, /ingest .*100\.0%.*products/, 'a final progress line');
    res = cli(['ingest', catalog, '--data-dir', dataDir]);
    summary = lastJson(res.stdout);
    assert.equal(summary.unchanged, lines);
    assert.equal(summary.intentionsIndexed, 0);
  });

  it('reports bad lines by number and skips them; --strict writes nothing', () => {
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'ok-1', title: 'Camp stove', intentions: ['because they want to cook at camp'] }),
        '{not json',
        JSON.stringify({ id: 'bad-2', title: '', intentions: [] }),
        '',
        JSON.stringify({ id: 'ok-2', title: 'Lantern', colour: 'red' }),
        JSON.stringify({ id: 'ok-3', title: 'Headlamp' }),
      ].join('\n'),
    );
    const strictDir = join(dir, 'strict');
    let res = cli(['ingest', file, '--strict', '--data-dir', strictDir]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /3 bad line\(s\).*nothing was written/);
    assert.match(res.stderr, /line 2: invalid JSON/);
    assert.match(res.stderr, /line 3: title: /);
    assert.match(res.stderr, /line 5: colour: unknown field/);
    res = cli(['ingest', file, '--data-dir', strictDir]);
    assert.equal(res.code, 0, res.stderr);
    const summary = lastJson(res.stdout);
    assert.equal(summary.products, 2);
    assert.equal(summary.badLines, 3);
    assert.equal(summary.store.products, 2, 'the strict run wrote nothing');
    assert.match(res.stderr, /skipped line 2: invalid JSON/);
  });

  it('bulk-aligns scripts, and resumes after an interruption without redoing finished scripts', () => {
    const out = join(dir, 'aligned.jsonl');
    let res = cli(['align', scripts, '--out', out, '--k', '3', '--data-dir', dataDir]);
    assert.equal(res.code, 0, res.stderr);
    let summary = lastJson(res.stdout);
    const inputIds = readFileSync(scripts, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).id);
    assert.equal(summary.aligned, inputIds.length);
    const full = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      full.map((r) => r.id),
      inputIds,
    );
    const first = full[0];
    assert.equal(first.model, 'lexical-hash-384-v1');
    assert.ok(first.steps.every((s: { products: unknown[] }) => s.products.length <= 3));
    assert.ok(
      full.some((r) => r.steps.some((s: { products: unknown[] }) => s.products.length > 0)),
      'some steps found products',
    );

    // Simulate a crash: keep the first 10 results and a torn 11th line.
    const lines = readFileSync(out, 'utf8').split('\n');
    writeFileSync(out, `${lines.slice(0, 10).join('\n')}\n${lines[10].slice(0, 40)}`);
    res = cli(['align', scripts, '--out', out, '--k', '3', '--data-dir', dataDir]);
    assert.equal(res.code, 0, res.stderr);
    summary = lastJson(res.stdout);
    assert.equal(summary.skippedDone, 10);
    assert.equal(summary.aligned, inputIds.length - 10);
    const resumed = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(resumed, full, 'same results as the uninterrupted run');

    // Nothing left to do on a third run.
    appendFileSync(out, '');
    summary = lastJson(cli(['align', scripts, '--out', out, '--data-dir', dataDir]).stdout);
    assert.equal(summary.aligned, 0);
  });
});
