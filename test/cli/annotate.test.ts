import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { csvRow } from '../../src/evalset/csv.js';
import { CsvReader } from '../../src/evalset/csv-reader.js';
import { tempDir } from '../helpers/store-fixture.js';
import { runCli } from './cli-fixture.js';
import { annotateClient, buildSmallSet, startAnnotateProcess } from './annotate-fixture.js';

const { dir, cleanup } = tempDir('ecomalign-cli-annotate-');
after(cleanup);

describe('ecomalign annotate', () => {
  let set: ReturnType<typeof buildSmallSet>;
  before(() => {
    set = buildSmallSet(dir);
  });

  it('rejects bad options and a directory that is not a candidate set, saying why', () => {
    let res = runCli(['annotate']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /annotate needs --set DIR/);
    res = runCli(['annotate', '--set', set.setDir, '--votes', '0']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--votes must be an integer in \[1, 100\]/);
    res = runCli(['annotate', '--set', set.setDir, '--gold-rate', 'lots']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--gold-rate must be a number in \[0, 1\]/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    res = runCli(['annotate', '--set', empty]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /holds no t1\.jsonl, t2\.jsonl or t3\.jsonl/);
  });

  it('runs the loop: two annotators label through the API, the export feeds calibrate as JSONL and as CSV', async () => {
    const server = await startAnnotateProcess(['--set', set.setDir, '--votes', '2', '--gold-rate', '0.1']);
    const t2 = readFileSync(join(set.setDir, 't2.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const silver = new Map(t2.map((r) => [r.id, r.silverLabel as 0 | 1]));
    try {
      const api = annotateClient(server.url);
      // ann follows the construction; bob disagrees on every fourth item he sees (those become ties).
      for (const [annotator, answer] of [
        ['ann', (id: string) => silver.get(id)!],
        ['bob', (id: string, n: number) => (n % 4 === 3 ? 1 - silver.get(id)! : silver.get(id)!)],
      ] as const) {
        for (let n = 0; ; n++) {
          const res = await api.next(annotator, 't2');
          if (res.status === 204) break;
          const id = res.json().id;
          assert.equal((await api.label(annotator, id, answer(id, n) as 0 | 1)).status, 200);
        }
      }
      const progress = (await api.get('/api/progress')).json();
      assert.equal(progress.tasks.t2.done, t2.length, 'every T2 item has its two votes');
      const jsonl = (await api.get('/api/export?task=t2&format=jsonl')).text;
      const csv = (await api.get('/api/export?task=t2&format=csv')).text;
      const exported = jsonl
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const ties = Math.floor(t2.length / 4); // bob's every fourth answer
      assert.equal(exported.length, t2.length - ties, 'ties are left out of the JSONL');
      writeFileSync(join(dir, 't2-labels.jsonl'), jsonl);
      writeFileSync(join(dir, 't2-labels.csv'), csv);
    } finally {
      assert.equal(await server.stop(), 0, 'SIGTERM stops it cleanly');
    }

    const fromJsonl = set.cli(['calibrate', '--labels', join(dir, 't2-labels.jsonl'), '--out', join(dir, 'cal-jsonl')]);
    assert.equal(fromJsonl.code, 0, fromJsonl.stderr);
    const fromCsv = set.cli(['calibrate', '--labels', join(dir, 't2-labels.csv'), '--out', join(dir, 'cal-csv')]);
    assert.equal(fromCsv.code, 0, fromCsv.stderr);
    const a = JSON.parse(fromJsonl.stdout.trim().split('\n').at(-1)!);
    const b = JSON.parse(fromCsv.stdout.trim().split('\n').at(-1)!);
    assert.equal(a.labels, b.labels, 'the CSV gives the same labels (its tie rows left out)');
    assert.equal(a.recommendedThreshold, b.recommendedThreshold);
    assert.deepEqual(a.votes, b.votes);
    assert.deepEqual(
      [a.votes.items, a.votes.votes.min, a.votes.votes.max, a.votes.meanAgreement],
      [a.labels, 2, 2, 1],
      'every exported item is unanimous',
    );
    const report = readFileSync(join(dir, 'cal-csv', 'report.md'), 'utf8');
    assert.match(
      report,
      new RegExp(`majority votes of human annotators: ${a.labels} items, 2 votes each; on average 100\\.0 % of an item's votes agree`),
    );
    assert.match(report, /row\(s\) without a label \(empty, or a tie between annotators\) were left out/);
  });

  it("calibrates from build-benchmark's own t2.csv once its label column is filled in", () => {
    const reader = new CsvReader();
    const rows = [...reader.push(readFileSync(join(set.setDir, 't2.csv'), 'utf8')), ...reader.end()].map((r) => r.fields);
    const t2 = new Map(
      readFileSync(join(set.setDir, 't2.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .map((r) => [r.id, r.silverLabel]),
    );
    const labelColumn = rows[0].indexOf('label');
    const filled = rows.map((r, i) => (i === 0 ? r : r.map((c, j) => (j === labelColumn ? String(t2.get(r[0])) : c))));
    writeFileSync(join(dir, 'filled.csv'), filled.map((r) => csvRow(r)).join(''));
    const res = set.cli(['calibrate', '--labels', join(dir, 'filled.csv'), '--out', join(dir, 'cal-filled')]);
    assert.equal(res.code, 0, res.stderr);
    const summary = JSON.parse(res.stdout.trim().split('\n').at(-1)!);
    assert.equal(summary.labels, t2.size);
    assert.equal(summary.votes, null, 'single labels carry no votes');
  });
});
