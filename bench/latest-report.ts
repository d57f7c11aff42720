import type { BulkAlignBenchResult } from './service/bulk-align-bench.js';
import type { IndexBenchResult } from './store/index-bench.js';
import type { ServiceBenchResult } from './service/service-bench.js';
import { runMetaLines, type RunMeta } from './harness/run-meta.js';

/** Renders the benchmark results as markdown, with each target next to the measured ratio. */
export function renderReport(meta: RunMeta, index?: IndexBenchResult, service?: ServiceBenchResult, bulk?: BulkAlignBenchResult): string {
  const lines: string[] = [`# ecomalign benchmark report`, '', runMetaLines(meta), ''];
  const yes = (ok: boolean) => (ok ? 'yes' : '**no**');
  if (index) {
    lines.push(
      '## Vector index',
      '',
      `${index.dimension}-d clustered synthetic unit vectors (seed ${index.seed}), ${index.queries} queries not in the index, recall@10 against the exact scan, queries one at a time on one thread, exact scan measured in the same run.`,
      `Targets: recall@10 ≥ ${index.targets.recallAt10}, ≥ ${index.targets.speedupAt1M}× the exact scan's queries/s at 1M, ≤ ${index.targets.residentBytesPerVector} resident bytes per vector.`,
      '',
      '| vectors | index | build/s | recall@10 | queries/s | exact queries/s | speed-up | resident B/vector | meets recall / speed-up / memory |',
      '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    for (const r of index.rows) {
      lines.push(
        `| ${r.size.toLocaleString('en-US')} | ${r.factory} | ${Math.round(r.buildPerSecond).toLocaleString('en-US')} | ${r.recallAt10.toFixed(4)} | ${Math.round(r.queriesPerSecond).toLocaleString('en-US')} | ${r.exactQueriesPerSecond.toFixed(1)} | ${r.speedup.toFixed(0)}× | ${Math.round(r.residentBytesPerVector)} | ${yes(r.meets.recall)} / ${yes(r.meets.speedup)} / ${yes(r.meets.memory)} |`,
      );
    }
    lines.push('');
  }
  if (service) {
    const { ingest, load, ratios, catalog } = service;
    lines.push(
      '## Service',
      '',
      `Offline lexical embedder; catalog: the sample catalog scaled to ${catalog.products.toLocaleString('en-US')} products / ${catalog.intentions.toLocaleString('en-US')} intentions.`,
      '',
      `**Ingest** (CLI, end to end: parse, validate, embed, SQLite, index): ${Math.round(ingest.intentionsPerSecond).toLocaleString('en-US')} intentions/s ` +
        `(${Math.round(ingest.productsPerSecond).toLocaleString('en-US')} products/s, ${ingest.seconds.toFixed(1)} s); target ≥ ${ingest.target.toLocaleString('en-US')}/s: ${yes(ingest.intentionsPerSecond >= ingest.target)}.`,
      '',
      `**Recall on real embedded text** (product-level recall@10 of the embedded store against an exact scan of the same vectors, every sample step as a query; search latency per step with steps rotating, as a server sees them). The server's default is \`ANN_EF_SEARCH=128\`:`,
      '',
      '| efSearch | recall@10 | tie-aware recall@10 | µs per step |',
      '| ---: | ---: | ---: | ---: |',
      ...service.recall.map(
        (r) => `| ${r.efSearch} | ${r.recallAt10.toFixed(4)} | ${r.tieAwareRecallAt10.toFixed(4)} | ${Math.round(r.searchMicrosPerStep)} |`,
      ),
      '',
      `**HTTP** over loopback, server in its own process, autocannon with ${load.connections} connections for ${load.durationSeconds} s after a 2 s warm-up (load generator and server share the machine's cores):`,
      '',
      '| endpoint | requests/s | p50 ms | p99 ms | errors | non-2xx |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...load.results.map(
        (r) =>
          `| ${r.name} | ${Math.round(r.requestsPerSecond).toLocaleString('en-US')} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${r.non2xx} |`,
      ),
      '',
      `Ratio to hello-world: 1-step ${(ratios.align1VsHello * 100).toFixed(1)} % (target ≥ ${ratios.target * 100} %: ${yes(ratios.align1VsHello >= ratios.target)}), 5-step ${(ratios.align5VsHello * 100).toFixed(1)} %.`,
      '',
    );
  }
  if (bulk) lines.push(...renderBulk(bulk));
  return lines.join('\n');
}

/** The bulk-alignment section: measured runs, then the extrapolation, labelled as one. */
function renderBulk(b: BulkAlignBenchResult): string[] {
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  return [
    '## Bulk alignment',
    '',
    `\`ecomalign align\` path (streaming JSONL, batches of ${b.scripts.batchSize} scripts, k ${b.scripts.k}), ${b.embedder === 'minilm' ? 'the shipped MiniLM (fp32)' : 'offline lexical embedder'}, ${n(b.scripts.count)} generated scripts (${n(b.scripts.steps)} steps, ${n(b.scripts.distinctSteps)} distinct) against the sample catalog ×${b.catalog.copies}: ${n(b.catalog.products)} products / ${n(b.catalog.intentions)} intentions (ANN_EF_CONSTRUCTION=${b.catalog.annEfConstruction}${b.catalog.ingestSeconds === null ? ', store reused from an earlier run' : `, ingested in ${b.catalog.ingestSeconds.toFixed(0)} s`}).`,
    '',
    '| run | steps | seconds | steps/s | cache hits | cache misses |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...b.runs.map(
      (r) => `| ${r.name} | ${n(r.steps)} | ${r.seconds.toFixed(1)} | ${n(r.stepsPerSecond)} | ${n(r.cacheHits)} | ${n(r.cacheMisses)} |`,
    ),
    '',
    `**Extrapolation to ${n(b.extrapolation.scripts)} scripts with MiniLM (not a measurement):** about ${b.extrapolation.coldHours.toFixed(1)} h on a first run, ${b.extrapolation.warmHours.toFixed(1)} h on a re-run with the cache warm. ${b.extrapolation.basis}`,
    '',
  ];
}
