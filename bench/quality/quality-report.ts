/** Markdown for bench/results/quality.md (bench/quality/quality.ts). */
import type { Aggregation } from '../../src/align/scoring/aggregate.js';
import type { Cell, FourWayCell, QualityResult } from './quality-types.js';
import { MODES, MODE_LABELS, type Mode } from './quality-metrics.js';
import type { ThresholdPoint } from './threshold-meaning.js';

const AGG_LABEL: Record<Aggregation, string> = { max: 'max', mean: 'mean', topm: 'top-m (m=3)' };
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');

function table<T>(r: QualityResult, cells: readonly Cell<T>[], fmt: (v: T, mode: Mode) => string): string[] {
  const lines = [
    `| embedder | aggregation | ${MODES.map((m) => MODE_LABELS[m]).join(' | ')} |`,
    `| --- | --- |${MODES.map(() => ' ---: |').join('')}`,
  ];
  for (const e of r.embedders) {
    for (const agg of ['max', 'mean', 'topm'] as const) {
      const row = MODES.map((mode) => {
        const c = cells.find((x) => x.embedder === e.name && x.aggregate === agg && x.mode === mode);
        return c ? fmt(c.value, mode) : '—';
      });
      lines.push(`| ${e.name} | ${AGG_LABEL[agg]} | ${row.join(' | ')} |`);
    }
  }
  return lines;
}

const get = <T>(cells: readonly Cell<T>[], embedder: string, aggregate: Aggregation, mode: Mode): T =>
  cells.find((c) => c.embedder === embedder && c.aggregate === aggregate && c.mode === mode)!.value;

/** Whether every aggregation gave the same four-way counts (one title per product: it must). */
function aggregationInvariant(cells: readonly FourWayCell[], r: QualityResult): boolean {
  return r.embedders.every((e) =>
    MODES.every((mode) => {
      const [a, b, c] = (['max', 'mean', 'topm'] as const).map((agg) => get(cells, e.name, agg, mode).correct);
      return a === b && b === c;
    }),
  );
}

function thresholdCell(v: FourWayCell['value'], mode: Mode): string {
  if (mode === 'rrf' || !v.threshold) return 'n/a (rank only)';
  const t = v.threshold;
  const [lo, hi] = t.nearBest;
  return `**${t.threshold.toFixed(3)}** (F1 ${t.f1.toFixed(2)}, P ${t.precision.toFixed(2)}; ${lo.toFixed(2)} to ${hi.toFixed(2)})`;
}

function acceptAll(cells: readonly FourWayCell[]): string {
  const fs = [...new Set(cells.flatMap((c) => (c.value.threshold ? [c.value.threshold.acceptAllF1.toFixed(2)] : [])))];
  return fs.join(' / ');
}

export function renderQualityReport(r: QualityResult): string {
  const m = r.meta;
  const d = r.data;
  const loadNote = `load average ${m.loadAverage.join(' / ')} at the start, ${m.loadAverageEnd.join(' / ')} at the end (1/5/15 min)`;
  const out: string[] = [
    '# Retrieval quality by model and scoring',
    '',
    `- date: ${m.date}`,
    `- machine: ${m.host}; 2 vCPU, shared with other work (${loadNote})${m.note ? `; ${m.note}` : ''}`,
    `- wall time: ${m.wallSeconds.toFixed(0)} s (${Object.entries(r.sectionSeconds)
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(', ')})`,
    `- reproduce: \`${m.command}\``,
    `- embedders: ${r.embedders.map((e) => `${e.name} \`${e.id}\` (default thresholds max ${e.thresholds.max}, mean ${e.thresholds.mean}, top-m ${e.thresholds.topm})`).join('; ')}`,
    '',
    'Every figure goes through the real `Aligner.align` on a real embedded store (SQLite + FTS5 + the default HNSW index, filled through `CatalogService.upsert` as the service ingests). Thresholds are at the bottom of each score range so nothing is cut: −1 for semantic, 0 for lexical and weighted hybrid, none for rrf. Hybrid weighted uses α = 0.5, rrf k = 60, top-m m = 3; the candidate pool is the default `candidatePool(k)`.',
    '',
    '## Data',
    '',
    `- IntentionQA tuning split (data/intentionqa; MIT, HKUST-KnowComp): ${d.products.toLocaleString('en-US')} products; ${d.questions} task2 questions with a "because …" clause (${d.questionsWithoutClause} rows phrased "as a result, …" have none and are skipped). ${d.goldAmongDistractors} questions list their gold product among the distractors: unwinnable, counted wrong, so the ceiling is ${pct((d.questions - d.goldAmongDistractors) / d.questions)}. Chance is 25 %.`,
    `- Retrieval split of task1 by sha256(id) parity: ${d.queries} query rows, ${d.keptRows} kept. The held-out catalog drops each query row's clause from the intentions of its two products (${d.heldOut.removedIntentions} intentions removed; ${d.heldOut.productsLeftWithout} products left with no intention, findable by title only; ${d.heldOut.texts.toLocaleString('en-US')} texts). The same clause text may stay on other products from kept rows; those are not counted relevant.`,
    '',
    `## (a) Four-way accuracy, products by their titles (task2, ${d.questions} questions, match titles)`,
    '',
    "One store holds every product with its title only (no intentions, so BM25's IDF is over titles); per question the clause is aligned with `filter.productIds` = the 4 candidates, k = 4. The gold must score strictly above all three distractors (ties are wrong); a candidate not returned scores below every returned one, and a gold not returned is wrong.",
    '',
    ...table(r, r.fourWayTitles, (v) => pct(v.accuracy)),
    '',
    `**Aggregation cannot change this block**: with match titles each product has exactly one text, and max, mean and top-m of one number are that number. The three rows of each embedder are ${aggregationInvariant(r.fourWayTitles, r) ? 'identical in this run, as they must be' : '**not** identical in this run (a bug: investigate)'}; they are shown, not hidden.`,
    '',
    ...fourWayDetails(r, r.fourWayTitles),
    '',
    `### Supplement: four-way on the held-out store, match both (${d.heldOutQuestions} query-half questions)`,
    '',
    "The question's clause is held out of the gold's (and item A's) intentions, so the gold must be recognised by its title and its other intentions; distractors keep whatever intentions they have. Here products have several texts and the aggregation matters.",
    '',
    ...table(r, r.fourWayHeldOutBoth, (v) => pct(v.accuracy)),
    '',
    ...fourWayDetails(r, r.fourWayHeldOutBoth),
    '',
    `## (b) Retrieval over the whole catalog from a held-out clause (${d.queries} queries, match both, k = 10)`,
    '',
    "Cells: recall@10 / MRR. Relevant = the pair's item A and item B; recall@10 = share of them in the top 10; MRR of the first relevant.",
    '',
    ...table(r, r.retrieval, (v) => `${v.recallAt10.toFixed(3)} / ${v.mrr.toFixed(3)}`),
    '',
    ...retrievalNotes(r),
    '',
    '## (c) Calibration: the F1-best threshold of each scoring',
    '',
    "Positives = the gold's score, negatives = the distractors' (1 : 3); the threshold is the observed score t for which accepting score ≥ t has the best F1. A candidate the mode did not return scores 0 under lexical and weighted (its true saturated BM25 / fused score). rrf scores only order one step's list and take no threshold.",
    '',
    `Cells: **best threshold** (its F1 and precision; the range of thresholds within 0.01 F1 of the best). Accepting everything scores F1 ${acceptAll(r.fourWayTitles)} here: that is the floor, and the best cuts are not far above it, so these thresholds are loosely determined (read the ranges).`,
    '',
    '### On the four-way of (a) (titles)',
    '',
    ...table(r, r.fourWayTitles, thresholdCell),
    '',
    '### On the held-out four-way (match both; the one where aggregation matters)',
    '',
    ...table(r, r.fourWayHeldOutBoth, thresholdCell),
    '',
    `Configured today (read from the code at run time): semantic, ${r.embedders.map((e) => `${e.name} embedder max ${e.thresholds.max}, mean ${e.thresholds.mean}, top-m ${e.thresholds.topm}`).join('; ')}; lexical (\`LEXICAL_THRESHOLDS\`) max ${r.lexicalThresholds.max}, mean ${r.lexicalThresholds.mean}, top-m ${r.lexicalThresholds.topm}; weighted hybrid the α-mix of the two. Note the F1-best point on a 1 : 3 mix of one right and three plausible wrong products is a relative cut; the service's threshold also has to reject the rest of a catalog, which these four-way scores do not sample.`,
    '',
    `### BM25 of each query's best lexical text (raw FTS5 score; \`LEXICAL_HALF_SCORE\` = ${r.lexicalHalfScore})`,
    '',
    '| store | match | texts | queries | no match | p25 | median | p75 |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.bm25.map(
      (b) =>
        `| ${b.store} | ${b.match} | ${b.texts.toLocaleString('en-US')} | ${b.summary.queries} | ${b.summary.unmatched} | ${b.summary.p25.toFixed(2)} | ${b.summary.median.toFixed(2)} | ${b.summary.p75.toFixed(2)} |`,
    ),
    '',
    `"Full catalog" still holds every query's own clause verbatim (its best text is usually itself), so it is an upper bound; the held-out store is what a new query meets. The catalog has ${d.fullTexts.toLocaleString('en-US')} texts (titles + distinct intentions), not the "6.5k" the comment in lexical-scale.ts says.`,
    '',
    ...poolSection(r),
    '',
    ...thresholdSection(r),
    '',
    ...notes(r),
  ];
  return `${out.join('\n')}\n`;
}

function fourWayDetails(r: QualityResult, cells: readonly FourWayCell[]): string[] {
  // Aggregation does not change who is returned; report max's row per embedder.
  const lines = [
    '| embedder (max) | gold not returned: ' +
      MODES.map((m) => MODE_LABELS[m]).join(' | ') +
      ' | ties: ' +
      MODES.map((m) => MODE_LABELS[m]).join(' | ') +
      ' |',
    '| --- |' + MODES.map(() => ' ---: |').join('') + MODES.map(() => ' ---: |').join(''),
  ];
  for (const e of r.embedders) {
    const vs = MODES.map((mode) => get(cells, e.name, 'max', mode));
    lines.push(`| ${e.name} | ${vs.map((v) => v.goldNotReturned).join(' | ')} | ${vs.map((v) => v.ties).join(' | ')} |`);
  }
  lines.push(
    '',
    'Gold not returned: BM25 matched no content word of the gold for the clause (lexical retrieval only finds what shares a word). Ties include the questions whose gold is among its distractors, and, under lexical, questions where no candidate matches at all or several match equally.',
  );
  return lines;
}

function retrievalNotes(r: QualityResult): string[] {
  const lines: string[] = [];
  for (const e of r.embedders) {
    const best = r.retrieval.filter((c) => c.embedder === e.name).sort((a, b) => b.value.mrr - a.value.mrr)[0];
    const base = get(r.retrieval, e.name, 'max', 'semantic');
    lines.push(
      `- ${e.name}: default scoring (max, semantic) recall@10 ${f3(base.recallAt10)}, MRR ${f3(base.mrr)}, ${base.missed} of ${base.queries} queries with neither product in the top 10; best MRR ${AGG_LABEL[best.aggregate]} + ${MODE_LABELS[best.mode]} (${f3(best.value.recallAt10)} / ${f3(best.value.mrr)}).`,
    );
  }
  return lines;
}

function poolSection(r: QualityResult): string[] {
  const p = r.pool;
  const pools = [...new Set(p.rows.map((x) => x.pool))].sort((a, b) => a - b);
  const lines = [
    `## (d) Aggregation recall of the candidate pool (data/sample, ${p.products} products, ${p.steps} distinct script steps, lexical embedder, match ${p.match}, k = ${p.k})`,
    '',
    `Under mean and top-m with semantic retrieval the aligner re-scores the store's \`pool\` best products by max (default \`candidatePool(${p.k})\` = ${p.defaultPool}). The oracle aggregates every product's stored texts (\`listProducts\` paging + \`productTexts\`) with the domain's \`aggregate()\`, thresholds and keeps the top ${p.k}. Cells: recall = |retrieved ∩ exhaustive| / |exhaustive| averaged over the steps whose exhaustive top k is not empty (in brackets: steps missing at least one / steps where more than \`pool\` products clear the threshold by max, the only ones where the pool can be short), then time per step relative to max (semantic, same k and threshold; median of 5 batched runs of all steps). Pools: k, 2k, 5k, 10k${pools.includes(p.defaultPool) ? `; the default is ${p.defaultPool}` : ''}.`,
    '',
    `| aggregation | threshold | steps | ${pools.map((x) => `pool ${x}${x === p.defaultPool ? ' (default)' : ''}`).join(' | ')} |`,
    `| --- | ---: | ---: |${pools.map(() => ' ---: |').join('')}`,
  ];
  const keys = [...new Set(p.rows.map((x) => `${x.aggregate}|${x.threshold}`))];
  for (const key of keys) {
    const rows = p.rows.filter((x) => `${x.aggregate}|${x.threshold}` === key);
    const cells = pools.map((size) => {
      const x = rows.find((y) => y.pool === size);
      return x ? `${x.recall.toFixed(3)} (${x.stepsMissing}/${x.stepsOverPool}) · ${x.ratioToMax.toFixed(2)}×` : '—';
    });
    lines.push(`| ${AGG_LABEL[rows[0].aggregate]} | ${rows[0].threshold} | ${rows[0].steps} | ${cells.join(' | ')} |`);
  }
  const few = keys
    .map((key) => p.rows.find((x) => `${x.aggregate}|${x.threshold}` === key)!)
    .filter((x) => x.threshold !== -1)
    .map((x) => `${x.steps} (${AGG_LABEL[x.aggregate]})`);
  lines.push(
    '',
    `At the embedder's default threshold ${few.join(' and ')} of ${p.steps} steps have a product clearing it under the aggregation (the recall's denominator); threshold −1 (every product clears it) is the hard case.`,
    '',
    `Max itself: ${Object.entries(p.maxMicrosPerStep)
      .map(([t, us]) => `${us.toFixed(0)} µs per step (timed with ${t})`)
      .join(
        ', ',
      )} (batched, all steps in one call). At the embedder's threshold the pool is complete by construction whenever fewer than \`pool\` products clear it by max (every aggregation is at most max); at threshold −1 every product clears it and the pool is a heuristic.`,
  );
  return lines;
}

const pts = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;
const d3 = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;

/** What each mode adds or loses, from this run's numbers (signed differences; nothing is required to win). */
function notes(r: QualityResult): string[] {
  const acc = (cells: readonly FourWayCell[], e: string, a: Aggregation, m: Mode) => get(cells, e, a, m).accuracy;
  const lexSame = ['max', 'mean', 'topm'].every((a) => {
    const [x, y] = r.embedders.map((e) => get(r.retrieval, e.name, a as Aggregation, 'lexical'));
    return x.recallAt10 === y.recallAt10 && x.mrr === y.mrr;
  });
  const out = ['## Notes: what each mode adds or loses (signed differences from this run)', ''];
  for (const e of r.embedders.map((x) => x.name)) {
    const t = r.fourWayTitles;
    const h = r.fourWayHeldOutBoth;
    const base = (c: readonly FourWayCell[]) => acc(c, e, 'max', 'semantic');
    const rb = get(r.retrieval, e, 'max', 'semantic');
    const rv = (a: Aggregation, m: Mode) => get(r.retrieval, e, a, m);
    out.push(
      `- **${e}**, points of four-way accuracy against semantic: (a) titles: weighted ${pts(acc(t, e, 'max', 'weighted') - base(t))}, rrf ${pts(acc(t, e, 'max', 'rrf') - base(t))}, lexical ${pts(acc(t, e, 'max', 'lexical') - base(t))}; held-out match both (max): weighted ${pts(acc(h, e, 'max', 'weighted') - base(h))}, rrf ${pts(acc(h, e, 'max', 'rrf') - base(h))}, lexical ${pts(acc(h, e, 'max', 'lexical') - base(h))}; mean instead of max (semantic) ${pts(acc(h, e, 'mean', 'semantic') - base(h))}, top-m ${pts(acc(h, e, 'topm', 'semantic') - base(h))}.`,
      `  (b) recall@10 / MRR against max + semantic (${f3(rb.recallAt10)} / ${f3(rb.mrr)}): lexical ${d3(rv('max', 'lexical').recallAt10 - rb.recallAt10)} / ${d3(rv('max', 'lexical').mrr - rb.mrr)}, weighted ${d3(rv('max', 'weighted').recallAt10 - rb.recallAt10)} / ${d3(rv('max', 'weighted').mrr - rb.mrr)}, rrf ${d3(rv('max', 'rrf').recallAt10 - rb.recallAt10)} / ${d3(rv('max', 'rrf').mrr - rb.mrr)}; mean instead of max: semantic ${d3(rv('mean', 'semantic').recallAt10 - rb.recallAt10)} / ${d3(rv('mean', 'semantic').mrr - rb.mrr)}, lexical ${d3(rv('mean', 'lexical').recallAt10 - rv('max', 'lexical').recallAt10)} / ${d3(rv('mean', 'lexical').mrr - rv('max', 'lexical').mrr)}, weighted ${d3(rv('mean', 'weighted').recallAt10 - rv('max', 'weighted').recallAt10)} / ${d3(rv('mean', 'weighted').mrr - rv('max', 'weighted').mrr)}.`,
    );
  }
  const q = r.data.questions;
  const lexMiss = get(r.fourWayTitles, r.embedders[0].name, 'max', 'lexical').goldNotReturned;
  out.push(
    `- Lexical retrieval alone on titles: BM25 returns the gold for only ${q - lexMiss} of ${q} clauses (${pct((q - lexMiss) / q)}); the others share no content word with its title. Where it does fire it is precise (compare the precision of its F1-best cut in (c)), which is what the hybrids take from it. Over the whole catalog from an intention-like clause (b) it ranks differently: there the clause's words often recur in the other intentions of the pair's products, and BM25 weighs a rare word (a brand, "USB") above common ones (a hypothesis for why it leads there, not measured here).`,
    `- The lexical column is ${lexSame ? 'identical for both embedders, as it must be' : '**not** identical for both embedders (unexpected: BM25 reads no vector)'}: BM25 ranks by text, and its re-scoring under mean / top-m reads the stored texts, not their vectors.`,
    `- Top-m (m = 3) equals mean for every product with at most 3 texts; only ${r.data.heldOut.productsOverThreeTexts} of ${r.data.products} held-out products have more (match both), so the two rows barely differ.`,
    '- Weighted hybrid ties often on titles (the "ties" tables): a candidate with cosine ≤ 0 and no BM25 match scores exactly 0, and two such candidates tie; rrf ties when the two sides rank two candidates in mirror order.',
  );
  return out;
}

function thresholdSection(r: QualityResult): string[] {
  const pt = (x: ThresholdPoint) =>
    `${x.productsPerStep.toFixed(2)} per step, P ${x.precision.toFixed(3)}, R ${x.recall.toFixed(3)}, ${x.emptySteps} empty`;
  const lines = [
    `## (e) What a threshold means over the whole catalog (held-out store, ${r.data.queries} clauses as steps, match both)`,
    '',
    "Each held-out clause is a step whose right answers are its co-purchase pair's two products; every product of the catalog is scored once (k = pool = the catalog) and each threshold is read off the same scores. P: share of the returned products that are the pair's (micro-averaged); R: share of the pairs' products returned; empty: steps that get nothing. The pair is a narrow notion of right (another USB cable is a fine answer to \"because they both are a type of USB extension cable\" but counts wrong), so precision here is a floor.",
    '',
    '| embedder | max at its default threshold | F1-best threshold over the catalog |',
    '| --- | --- | --- |',
    ...r.thresholds.map(
      (t) =>
        `| ${t.embedder} | ${t.rows[0].defaultThreshold}: ${pt(t.atDefault)} | ${t.f1Best.threshold.toFixed(3)} (F1 ${t.f1Best.f1.toFixed(3)}): ${pt(t.f1Best)} |`,
    ),
    '',
    `Max (semantic) by threshold: products per step / precision / recall.`,
    '',
    `| embedder | ${r.thresholds[0].curve.map((c) => c.threshold.toFixed(2)).join(' | ')} |`,
    `| --- |${r.thresholds[0].curve.map(() => ' ---: |').join('')}`,
    ...r.thresholds.map(
      (t) =>
        `| ${t.embedder} | ${t.curve.map((c) => `${c.productsPerStep.toFixed(1)} / ${c.precision.toFixed(3)} / ${c.recall.toFixed(2)}`).join(' | ')} |`,
    ),
    '',
    "**Calibration rule for the other scorings**: the threshold at which a step gets as many products on average as under max at the model's threshold (equal selectivity), on these scores. Cells: the default in force → what it gives; then the equal-selectivity threshold → what it gives.",
    '',
    '| embedder | aggregation | retrieval | default: products per step, P, R | equal selectivity: threshold, P, R |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const t of r.thresholds) {
    for (const row of t.rows) {
      lines.push(
        `| ${t.embedder} | ${AGG_LABEL[row.aggregate]} | ${MODE_LABELS[row.mode]} | ${row.defaultThreshold}: ${pt(row.atDefault)} | **${row.equalSelectivity.toFixed(3)}**: ${pt(row.atEqualSelectivity)} |`,
      );
    }
  }
  return lines;
}
