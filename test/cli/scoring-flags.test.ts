import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Aligner } from '../../src/align/aligner.js';
import type { AlignFileSummary } from '../../src/app/align-file/align-file.js';
import type { BuildBenchmarkSummary } from '../../src/app/build-benchmark/build-benchmark.js';
import type { CalibrateSummary } from '../../src/app/calibrate/calibrate.js';
import type { VectorStore } from '../../src/core/vector-store.js';
import { LexicalEmbedder } from '../../src/embedding/lexical/lexical-embedder.js';
import { jsonl, LABELS, PRODUCTS, SCRIPTS, STEP } from '../evalset/scoring-catalog.js';
import { tempDir } from '../helpers/store-fixture.js';
import { runMain } from './cli-fixture.js';

/**
 * The scoring flags (--aggregate, --m, --retrieval, --fusion, --alpha) of align, build-benchmark
 * and calibrate, run in-process through main() on the hand-built catalog where max and mean
 * disagree (scoring-catalog.ts), on the offline lexical embedder.
 */

const { dir, cleanup } = tempDir('ecomalign-cli-scoring-');
after(cleanup);
const env = { EMBEDDER: 'lexical', DATA_DIR: join(dir, 'data'), SEARCH_THREADS: '0', LOG_LEVEL: 'warn' };
const files = { catalog: join(dir, 'catalog.jsonl'), scripts: join(dir, 'scripts.jsonl'), labels: join(dir, 'labels.jsonl') };

/** What the three commands print, as far as these tests read it. */
type Summary = Partial<AlignFileSummary & BuildBenchmarkSummary & CalibrateSummary>;

async function run(argv: string[]) {
  const { code, stdout, stderr } = await runMain(argv, env);
  const out = stdout.trim();
  return { code, stderr, summary: out ? (JSON.parse(out.split('\n').at(-1)!) as Summary) : undefined };
}

interface AlignedLine {
  id: string;
  threshold: number | null;
  scoring: Record<string, unknown>;
  steps: { text: string; products: { productId: string; score: number; sides?: unknown }[] }[];
}

const readLines = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);

let n = 0;
async function align(flags: string[]) {
  const out = join(dir, `aligned-${n++}.jsonl`);
  const res = await run(['align', files.scripts, '--out', out, ...flags]);
  assert.equal(res.code, 0, res.stderr);
  return readLines<AlignedLine>(out);
}

const firstStep = (lines: AlignedLine[]) => lines.find((l) => l.id === 's1')!.steps[0];

describe('scoring flags of the CLI', () => {
  before(async () => {
    writeFileSync(files.catalog, jsonl(PRODUCTS));
    writeFileSync(files.scripts, jsonl(SCRIPTS));
    writeFileSync(files.labels, jsonl(LABELS));
    const res = await run(['ingest', files.catalog]);
    assert.equal(res.code, 0, res.stderr);
  });

  it('align: --aggregate mean ranks the consistently good product above the one lucky intention, and says so', async () => {
    const max = await align(['--threshold', '0']);
    assert.deepEqual(max[0].scoring, { aggregate: 'max', retrieval: 'semantic' }, 'the default is recorded too');
    assert.equal(max[0].threshold, 0);
    assert.equal(firstStep(max).products[0].productId, 'lucky');
    assert.ok(Math.abs(firstStep(max).products[0].score - 1) < 1e-6);

    const mean = await align(['--threshold', '0', '--aggregate', 'mean']);
    assert.deepEqual(mean[0].scoring, { aggregate: 'mean', retrieval: 'semantic' });
    assert.equal(firstStep(mean).text, STEP);
    assert.equal(firstStep(mean).products[0].productId, 'steady');
    const lucky = firstStep(mean).products.find((p) => p.productId === 'lucky')!;
    assert.ok(lucky.score < 0.4, `lucky's mean is low (${lucky.score})`);

    const topm = await align(['--threshold', '0', '--aggregate', 'topm', '--m', '2']);
    assert.deepEqual(topm[0].scoring, { aggregate: 'topm', retrieval: 'semantic', m: 2 });
    assert.equal(firstStep(topm).products[0].productId, 'steady');
  });

  it('align: --retrieval lexical and hybrid (weighted with --alpha, or rrf without a threshold)', async () => {
    const lexical = await align(['--retrieval', 'lexical', '--threshold', '0']);
    assert.deepEqual(lexical[0].scoring, { aggregate: 'max', retrieval: 'lexical' });
    assert.ok(firstStep(lexical).products.length > 0);
    for (const p of firstStep(lexical).products) assert.ok(p.score >= 0 && p.score < 1, 'saturated BM25 is in [0, 1)');

    const weighted = await align(['--retrieval', 'hybrid', '--alpha', '0.7', '--threshold', '0']);
    assert.deepEqual(weighted[0].scoring, { aggregate: 'max', retrieval: 'hybrid', fusion: 'weighted', alpha: 0.7 });
    assert.ok(
      firstStep(weighted).products.every((p) => p.sides !== undefined),
      'hybrid gives each side',
    );

    const rrf = await align(['--retrieval', 'hybrid', '--fusion', 'rrf']);
    assert.deepEqual(rrf[0].scoring, { aggregate: 'max', retrieval: 'hybrid', fusion: 'rrf' });
    assert.equal(rrf[0].threshold, null, 'rank fusion has no threshold');
  });

  it('align: refuses to resume an output written under another scoring, changing nothing', async () => {
    const out = join(dir, 'resume.jsonl');
    assert.equal((await run(['align', files.scripts, '--out', out])).code, 0);
    const before = readFileSync(out, 'utf8');
    const res = await run(['align', files.scripts, '--out', out, '--aggregate', 'mean']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /resume\.jsonl line 1 was aligned with scoring .*"max".*would mix two scorings/);
    assert.equal(readFileSync(out, 'utf8'), before);
    assert.equal((await run(['align', files.scripts, '--out', out, '--aggregate', 'max'])).summary!.skippedDone, SCRIPTS.length);
  });

  it('rejects combinations that do not fit, naming the flag, before doing any work', async () => {
    const cases: [string[], RegExp][] = [
      [['align', files.scripts, '--out', 'x.jsonl', '--m', '2'], /align: --m: only allowed with aggregate "topm" \(got "2"\)/],
      [['align', files.scripts, '--out', 'x.jsonl', '--fusion', 'rrf'], /align: --fusion: only allowed with retrieval "hybrid"/],
      [
        ['align', files.scripts, '--out', 'x.jsonl', '--retrieval', 'hybrid', '--fusion', 'rrf', '--alpha', '0.5'],
        /align: --alpha: only allowed with .*fusion "weighted"/,
      ],
      [
        ['align', files.scripts, '--out', 'x.jsonl', '--retrieval', 'hybrid', '--fusion', 'rrf', '--threshold', '0.3'],
        /align: --threshold: not allowed with fusion "rrf"/,
      ],
      [['align', files.scripts, '--out', 'x.jsonl', '--aggregate', 'median'], /align: --aggregate must be max, mean or topm/],
      [['align', files.scripts, '--out', 'x.jsonl', '--alpha', '1.5'], /align: --alpha must be a number in \[0, 1\]/],
      [
        ['build-benchmark', '--scripts', files.scripts, '--out', join(dir, 'no'), '--retrieval', 'hybrid', '--fusion', 'rrf'],
        /build-benchmark: --fusion: rrf is not supported: rank fusion has no threshold.*T1\/T2\/T3 need one/,
      ],
      [
        ['build-benchmark', '--scripts', files.scripts, '--out', join(dir, 'no'), '--m', '3'],
        /build-benchmark: --m: only allowed with aggregate "topm"/,
      ],
      [
        ['calibrate', '--labels', files.labels, '--out', join(dir, 'no'), '--retrieval', 'hybrid', '--fusion', 'rrf'],
        /calibrate: --fusion: rrf is not supported: rank fusion has no threshold.*none to calibrate/,
      ],
      [
        ['calibrate', '--labels', files.labels, '--out', join(dir, 'no'), '--aggregate', 'mean', '--m', '3'],
        /calibrate: --m: only allowed with aggregate "topm"/,
      ],
    ];
    for (const [argv, message] of cases) {
      const res = await run(argv);
      assert.equal(res.code, 2, argv.join(' '));
      assert.match(res.stderr, message);
      assert.match(res.stderr, new RegExp(`Usage: ecomalign ${argv[0]}`));
    }
    assert.ok(!existsSync(join(dir, 'no')), 'nothing was written');
  });

  it('build-benchmark: candidates under the chosen scoring, recorded in stats.json', async () => {
    const build = async (name: string, flags: string[]) => {
      const out = join(dir, name);
      const res = await run(['build-benchmark', '--scripts', files.scripts, '--out', out, '--k', '1', '--threshold', '0.5', ...flags]);
      assert.equal(res.code, 0, res.stderr);
      const t2 = readLines<{ step: string; productId: string; origin: string; score: number }>(join(out, 't2.jsonl'));
      const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
      return { summary: res.summary!, t2: t2.filter((r) => r.step === STEP), stats };
    };
    const max = await build('bench-max', []);
    assert.deepEqual(max.stats.parameters.scoring, { aggregate: 'max', retrieval: 'semantic' });
    assert.deepEqual(
      max.t2.filter((r) => r.origin === 'positive').map((r) => r.productId),
      ['lucky'],
    );

    const mean = await build('bench-mean', ['--aggregate', 'mean']);
    assert.deepEqual(mean.stats.parameters.scoring, { aggregate: 'mean', retrieval: 'semantic' });
    assert.deepEqual(mean.summary.scoring, { aggregate: 'mean', retrieval: 'semantic' });
    assert.deepEqual(
      mean.t2.filter((r) => r.origin === 'positive').map((r) => r.productId),
      ['steady'],
    );
    for (const r of mean.t2.filter((x) => x.origin !== 'positive'))
      assert.ok(r.score < 0.5, `${r.productId} is below the threshold under mean`);
    const lucky = mean.t2.find((r) => r.productId === 'lucky');
    if (lucky) assert.ok(lucky.score < 0.4, 'scored by its mean, not its lucky intention');

    const lexical = await build('bench-lexical', ['--retrieval', 'lexical', '--aggregate', 'topm', '--m', '2', '--threshold', '0.2']);
    assert.deepEqual(lexical.stats.parameters.scoring, { aggregate: 'topm', retrieval: 'lexical', m: 2 });
    assert.ok(lexical.t2.some((r) => r.origin === 'positive'));
    for (const r of lexical.t2) assert.ok(r.score >= 0 && r.score < 1);
  });

  it('build-benchmark: without --threshold, the calibrated threshold of the scoring', async () => {
    const out = join(dir, 'bench-hybrid');
    const res = await run(['build-benchmark', '--scripts', files.scripts, '--out', out, '--retrieval', 'hybrid', '--alpha', '0.6']);
    assert.equal(res.code, 0, res.stderr);
    const { parameters } = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
    assert.deepEqual(parameters.scoring, { aggregate: 'max', retrieval: 'hybrid', fusion: 'weighted', alpha: 0.6 });
    // The alpha-weighted mix of the lexical embedder's and BM25's calibrated thresholds under max.
    const aligner = new Aligner(new LexicalEmbedder(), {} as VectorStore);
    assert.equal(parameters.threshold, aligner.thresholdFor({ retrieval: 'hybrid', alpha: 0.6 }));
    assert.equal(res.summary!.threshold, parameters.threshold);
  });

  it('calibrate: one scoring swept over 0.00–1.00, and every aggregation side by side with --aggregate all', async (t) => {
    // No PNG renderer: launching one per plot would take most of the time (the CLI tests cover PNGs).
    const path = process.env.PATH;
    process.env.PATH = '';
    t.after(() => (process.env.PATH = path));
    const lexical = await run(['calibrate', '--labels', files.labels, '--out', join(dir, 'cal-lexical'), '--retrieval', 'lexical']);
    assert.equal(lexical.code, 0, lexical.stderr);
    assert.deepEqual(lexical.summary!.scoring, { aggregate: 'max', retrieval: 'lexical' });
    assert.equal(lexical.summary!.labels, LABELS.length, 'pairs BM25 does not match are scored 0, not skipped');
    const json = JSON.parse(readFileSync(join(dir, 'cal-lexical', 'calibration.json'), 'utf8'));
    assert.equal(json.sweep.length, 101);
    assert.equal(json.sweep[0].threshold, 0);
    assert.equal(json.sweep.at(-1).threshold, 1);
    assert.match(readFileSync(join(dir, 'cal-lexical', 'report.md'), 'utf8'), /Scoring: aggregate max, retrieval lexical/);

    const out = join(dir, 'cal-all');
    const all = await run([
      'calibrate',
      '--labels',
      files.labels,
      '--out',
      out,
      '--aggregate',
      'all',
      '--m',
      '2',
      '--min-precision',
      '0.9',
    ]);
    assert.equal(all.code, 0, all.stderr);
    const aggregations = all.summary!.aggregations as Required<NonNullable<CalibrateSummary['aggregations']>>;
    assert.deepEqual(Object.keys(aggregations), ['max', 'mean', 'topm']);
    assert.deepEqual(aggregations.topm.scoring, { aggregate: 'topm', retrieval: 'semantic', m: 2 });
    for (const a of ['max', 'mean', 'topm'] as const) {
      assert.equal(typeof aggregations[a].recommendedThreshold, 'number', a);
      assert.equal(aggregations[a].atMinPrecision?.minPrecision, 0.9);
      assert.ok(existsSync(join(out, a, 'report.md')) && existsSync(join(out, a, 'score-histogram.svg')), a);
      assert.deepEqual(JSON.parse(readFileSync(join(out, a, 'calibration.json'), 'utf8')).scoring, aggregations[a].scoring);
    }
    // Lucky's one intention is the step itself, yet it is labelled not useful: only the mean separates the two.
    assert.ok(aggregations.mean.f1! > aggregations.max.f1!, `mean F1 ${aggregations.mean.f1} > max F1 ${aggregations.max.f1}`);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(report, /# Threshold calibration per aggregation/);
    for (const a of ['max', 'mean', 'topm'] as const) {
      const t = aggregations[a].recommendedThreshold!.toFixed(2);
      assert.match(report, new RegExp(`\\| ${a} \\| [^|]+ \\| \\*\\*${t}\\*\\* \\|`), a);
    }
    const summary = JSON.parse(readFileSync(join(out, 'calibration.json'), 'utf8'));
    assert.deepEqual(
      summary.aggregations.map((o: { aggregate: string; recommendation: { bestF1: { threshold: number } } }) => [
        o.aggregate,
        o.recommendation.bestF1.threshold,
      ]),
      (['max', 'mean', 'topm'] as const).map((a) => [a, aggregations[a].recommendedThreshold]),
    );
  });
});
