/**
 * What the embedding cache saves when a catalog's intentions repeat, with the shipped model: the IntentionQA
 * catalog (real data; its intentions repeat, see `repeats`) ingested through the CLI into a fresh store three
 * ways: cache off (every text embedded), cache on and cold (each distinct text embedded once), and cache on
 * and warm (a second store built from the same cache, as when a catalog is re-ingested or a store rebuilt).
 *
 * `npm run bench -- --only cache`; writes bench/results/cache-savings.{json,md}.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchEnv, freshDataDir, removeDataDir } from '../lib/live-server.js';
import { writeResult } from '../harness/results.js';
import { runMeta, runMetaLines, type RunMeta } from '../harness/run-meta.js';
import { runCli } from '../../support/server-process.js';

export interface CacheRun {
  name: string;
  seconds: number;
  intentionsPerSecond: number;
  textsPerSecond: number;
}

export interface CacheSavings {
  meta: RunMeta;
  repeats: { products: number; intentions: number; distinctIntentions: number; titles: number; texts: number; distinctTexts: number };
  runs: CacheRun[];
}

const CATALOG = 'data/intentionqa/catalog.jsonl';

export function runCacheSavings(o: { log: (line: string) => void; command: string }): CacheSavings {
  const meta = runMeta(o.command);
  const products = readFileSync(CATALOG, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { title: string; intentions: string[] });
  const intentions = products.flatMap((p) => p.intentions);
  const titles = products.map((p) => p.title);
  const repeats = {
    products: products.length,
    intentions: intentions.length,
    distinctIntentions: new Set(intentions).size,
    titles: titles.length,
    texts: intentions.length + titles.length,
    distinctTexts: new Set([...intentions, ...titles]).size,
  };
  const dir = freshDataDir('cache-savings');
  const runs: CacheRun[] = [];
  try {
    const ingest = (name: string, dataDir: string, cacheDir: string | undefined) => {
      const env = benchEnv(dataDir, {
        EMBEDDER: 'minilm',
        EMBEDDING_CACHE: cacheDir ? 'true' : 'false',
      });
      // The cache lives in DATA_DIR/cache: a warm run gets a fresh store beside the cold run's cache.
      const summary = JSON.parse(runCli(['ingest', CATALOG], env).trim().split('\n').at(-1)!) as { seconds: number };
      runs.push({
        name,
        seconds: summary.seconds,
        intentionsPerSecond: repeats.intentions / summary.seconds,
        textsPerSecond: repeats.texts / summary.seconds,
      });
      o.log(`cache-savings ${name}: ${summary.seconds.toFixed(1)} s`);
    };
    ingest('cache off: every text embedded', join(dir, 'off'), undefined);
    ingest('cache on, cold: each distinct text embedded once', join(dir, 'on'), join(dir, 'on'));
    removeDataDir(join(dir, 'on', 'embedded'));
    ingest('cache on, warm: a new store from the same cache', join(dir, 'on'), join(dir, 'on'));
  } finally {
    removeDataDir(dir);
  }
  return { meta, repeats, runs };
}

export function writeCacheSavingsReport(r: CacheSavings): string[] {
  const x = r.repeats;
  const off = r.runs[0];
  const md = [
    '# What the embedding cache saves on a catalog whose intentions repeat (MiniLM)',
    '',
    runMetaLines(r.meta),
    `- catalog: IntentionQA (data/intentionqa/catalog.jsonl), ${x.products.toLocaleString('en')} products: ${x.intentions.toLocaleString('en')} intentions of which ${x.distinctIntentions.toLocaleString('en')} distinct (${((1 - x.distinctIntentions / x.intentions) * 100).toFixed(0)} % are repeats), ${x.titles.toLocaleString('en')} titles; ${x.texts.toLocaleString('en')} texts, ${x.distinctTexts.toLocaleString('en')} distinct`,
    '- `ecomalign ingest` into a fresh store, the shipped MiniLM, seconds from the CLI summary (model load excluded)',
    '',
    '| run | seconds | intentions/s | texts/s | time vs cache off |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...r.runs.map(
      (run) =>
        `| ${run.name} | ${run.seconds.toFixed(1)} | ${run.intentionsPerSecond.toFixed(0)} | ${run.textsPerSecond.toFixed(0)} | ${(run.seconds / off.seconds).toFixed(2)}× |`,
    ),
    '',
  ].join('\n');
  return writeResult('cache-savings', r, md);
}
