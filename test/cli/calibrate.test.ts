import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../helpers/store-fixture.js';
import { cliIn, root, sample } from './cli-fixture.js';

const catalog = sample.catalog;
const labelsExample = join(root, 'data/sample/labels.example.jsonl');
const { dir, cleanup } = tempDir('ecomalign-cli-calibrate-');
after(cleanup);
const dataDir = join(dir, 'data');

const cli = cliIn(dataDir);

describe('ecomalign calibrate', () => {
  before(() => assert.equal(cli(['ingest', catalog]).code, 0));

  it('sweeps the threshold, recommends one and writes the report with its plots', () => {
    const labels = join(dir, 'labels.jsonl');
    writeFileSync(
      labels,
      `${readFileSync(labelsExample, 'utf8').trim()}\n${JSON.stringify({ step: 'Pitch the tent', productId: 'no-such-product', label: 1 })}\n`,
    );
    const out = join(dir, 'report');
    const res = cli(['calibrate', '--labels', labels, '--out', out, '--min-precision', '0.9']);
    assert.equal(res.code, 0, res.stderr);
    const summary = JSON.parse(res.stdout.trim().split('\n').at(-1)!);
    assert.equal(summary.skipped, 1, 'the unknown product is skipped, not fatal');
    assert.ok(summary.recommendedThreshold >= 0.2 && summary.recommendedThreshold <= 0.8);
    assert.ok(summary.f1 > 0);
    assert.equal(summary.atMinPrecision.minPrecision, 0.9);
    for (const f of ['report.md', 'calibration.json', 'precision-recall.svg', 'score-histogram.svg', 'products-per-step.svg'])
      assert.ok(existsSync(join(out, f)), f);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(report, new RegExp(`\\*\\*Threshold ${summary.recommendedThreshold.toFixed(2)}\\*\\*`));
    assert.match(report, /no-such-product.*no such product in the store/);
    assert.match(report, /PNG (rendered|skipped)/);
    assert.match(report, /\| 0\.20 \|/);
    assert.match(report, /\| 0\.80 \|/);
    const json = JSON.parse(readFileSync(join(out, 'calibration.json'), 'utf8'));
    assert.equal(json.sweep.length, 61);
  });

  it('names the line and field of every bad label and computes nothing', () => {
    const labels = join(dir, 'bad.jsonl');
    writeFileSync(
      labels,
      [
        JSON.stringify({ step: 'Pitch the tent', productId: 'camping-001', label: 1 }),
        JSON.stringify({ step: 'Pitch the tent', productId: 'camping-001', label: 'yes' }),
        JSON.stringify({ step: 'Pitch the tent', label: 0 }),
        '{broken',
      ].join('\n'),
    );
    const res = cli(['calibrate', '--labels', labels, '--out', join(dir, 'bad-report')]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /3 bad line\(s\)/);
    assert.match(res.stderr, /line 2: label: must be 1, 0, true or false/);
    assert.match(res.stderr, /line 3: productId: /);
    assert.match(res.stderr, /line 4: invalid JSON/);
    assert.ok(!existsSync(join(dir, 'bad-report')));
  });

  it('names the line and column of every bad row of a CSV labels file', () => {
    const labels = join(dir, 'bad.csv');
    writeFileSync(
      labels,
      [
        'id,step,productId,label',
        'a,Pitch the tent,camping-001,1',
        'b,"Pitch the tent,\nthen sleep",camping-001,yes', // a quoted line break: the row starts on line 3
        'c,,camping-001,0',
        'd,Pitch the tent,,1',
        'e,Pitch the tent,camping-001,tie',
      ].join('\r\n'),
    );
    const res = cli(['calibrate', '--labels', labels, '--out', join(dir, 'bad-csv-report')]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /3 bad line\(s\)/);
    assert.match(res.stderr, /line 3, column label: must be 1, 0, true or false/);
    assert.match(res.stderr, /line 5, column step: /);
    assert.match(res.stderr, /line 6, column productId: must be 1–128 characters/);
    assert.ok(!existsSync(join(dir, 'bad-csv-report')));

    writeFileSync(join(dir, 'no-label.csv'), 'step,product_id\r\nPitch the tent,camping-001\r\n');
    const header = cli(['calibrate', '--labels', join(dir, 'no-label.csv')]);
    assert.equal(header.code, 1);
    assert.match(header.stderr, /line 1: the header has no "label" column/);
  });
});
