/**
 * Texts per second of the offline lexical embedder on short texts (`npm run bench -- --only lexical
 * [--quick]`): every intention of data/intentionqa/catalog.jsonl, embedded in batches of 1, 32 and
 * 512, median of 5 passes after a warm-up pass. The speed the unit tests once asserted (well above
 * 20,000 short texts per second) is reported here as a ratio, where a slow or busy machine reads as a
 * figure, not as a failing test.
 *
 * Writes bench/results/lexical-throughput.{json,md}.
 */
import { LexicalEmbedder } from '../../src/embedding/lexical/lexical-embedder.js';
import { readJsonl } from '../../support/eval-sets.js';
import { writeResult } from '../harness/results.js';
import { runMeta, runMetaLines, type RunMeta } from '../harness/run-meta.js';
import { median } from '../lib/latency-stats.js';

/** The floor the lexical embedder's unit test asserted until speed moved to this benchmark. */
export const LEXICAL_FLOOR_TEXTS_PER_SECOND = 20_000;
const BATCHES = [1, 32, 512];

export interface LexicalThroughputRow {
  batch: number;
  textsPerSecond: number;
  /** textsPerSecond over LEXICAL_FLOOR_TEXTS_PER_SECOND. */
  ofFloor: number;
}

export interface LexicalThroughput {
  meta: RunMeta;
  texts: { source: string; count: number; meanChars: number };
  passes: number;
  rows: LexicalThroughputRow[];
}

async function passSeconds(embedder: LexicalEmbedder, texts: string[], batch: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < texts.length; i += batch) await embedder.embed(texts.slice(i, i + batch));
  return (performance.now() - start) / 1000;
}

export async function runLexicalThroughput(o: {
  quick: boolean;
  log: (line: string) => void;
  command: string;
}): Promise<LexicalThroughput> {
  const meta = runMeta(o.command);
  const all = readJsonl<{ intentions: string[] }>('data/intentionqa/catalog.jsonl').flatMap((p) => p.intentions);
  const texts = o.quick ? all.slice(0, 2_000) : all;
  const passes = o.quick ? 3 : 5;
  const embedder = new LexicalEmbedder();
  const rows: LexicalThroughputRow[] = [];
  try {
    for (const batch of BATCHES) {
      await passSeconds(embedder, texts, batch); // warm-up
      const seconds: number[] = [];
      for (let p = 0; p < passes; p++) seconds.push(await passSeconds(embedder, texts, batch));
      const textsPerSecond = Math.round(texts.length / median(seconds));
      rows.push({ batch, textsPerSecond, ofFloor: Math.round((textsPerSecond / LEXICAL_FLOOR_TEXTS_PER_SECOND) * 10) / 10 });
      o.log(`lexical, batch ${batch}: ${textsPerSecond} texts/s`);
    }
  } finally {
    await embedder.close();
  }
  return {
    meta,
    texts: {
      source: `${o.quick ? 'the first 2,000 ' : 'all '}intentions of data/intentionqa/catalog.jsonl`,
      count: texts.length,
      meanChars: Math.round((texts.reduce((n, t) => n + t.length, 0) / texts.length) * 10) / 10,
    },
    passes,
    rows,
  };
}

export function renderLexicalThroughput(r: LexicalThroughput): string {
  return [
    '# Lexical embedder throughput on short texts',
    '',
    runMetaLines(r.meta),
    `- texts: ${r.texts.source} (${r.texts.count.toLocaleString('en')}, ${r.texts.meanChars} characters on average)`,
    `- each row: texts per second, median of ${r.passes} passes over all the texts in batches of that size, after a warm-up pass; one thread, the benchmark process's`,
    `- vs floor: over ${LEXICAL_FLOOR_TEXTS_PER_SECOND.toLocaleString('en')} texts/s, the floor the unit test asserted until speed moved here`,
    '',
    '| batch | texts/s | vs floor |',
    '| ---: | ---: | ---: |',
    ...r.rows.map((x) => `| ${x.batch} | ${x.textsPerSecond.toLocaleString('en')} | ${x.ofFloor}× |`),
    '',
  ].join('\n');
}

export function writeLexicalThroughputReport(r: LexicalThroughput): string[] {
  return writeResult('lexical-throughput', r, renderLexicalThroughput(r));
}
