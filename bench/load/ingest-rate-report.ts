/** Renders bench/load/ingest-rate.ts rows as markdown: one row per label and catalog size, then how each was run. */
import type { IngestRateRow, PathRate } from './ingest-rate-types.js';
import { envCell } from '../harness/variant-args.js';
import { runMetaCells } from '../harness/run-meta.js';

const n = (v: number | undefined) => (v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));
const cell = (p: PathRate) => `${n(p.intentionsPerS)} (${p.ofCeiling ?? '?'}×)`;

export function renderIngestRate(rows: IngestRateRow[]): string {
  const sorted = [...rows].sort((a, b) => a.products - b.products || a.label.localeCompare(b.label));
  const lines = [
    '# Ingest rate against the ANN ceiling (issue 11)',
    '',
    'One generated catalog (sample-catalog products, 10 distinct intentions each, plus one title each), `EMBEDDER=lexical`, `EMBEDDING_CACHE=false`, a fresh `DATA_DIR` per path. Rates are intentions/s; the ratio in brackets is over the ceiling (a).',
    '',
    '- **(a) ceiling**: the ANN library alone (`annIndexFactory(ANN_INDEX, {efConstruction})`, hnswlib and 256 unless `--env` says otherwise) adding the same vectors in batches of 256, already embedded: intentions to one index, titles to a second, as the store keeps them. "raw" is the intention index alone; "ceiling" is intentions over the time of both adds (the store must index titles too), and the ratios use it.',
    '- **(b) CLI**: `ecomalign ingest FILE.jsonl` (tsx, default batch size). "wall" is process start to exit; "ingest" is that wall less the wall of `ecomalign --version` (tsx and module loading), i.e. store open, the ingest loop, and close, which waits until every text is in HNSW and snapshots the index: the figure to compare with (a). "loop" is the CLI\'s own timer around its ingest loop, which ends when texts are committed, before the background index has taken them all, so it can exceed the ceiling.',
    '- **(c) HTTP**: one client, serial 200-product batches to `POST /products` on a fresh `ecomalign serve` (a shed batch is re-sent after 100 ms). "acknowledged": first send to last 200, when texts are committed and searchable (by exact scan until HNSW has them), so it can exceed the ceiling; "indexed": until `/readyz` reports an empty index backlog too: the figure to compare with (a).',
    '- (b) and (c) **include embedding** (lexical, in the server or CLI process). "w/o embedding" estimates the store\'s own pace: intentions over (time − the embedding time of the whole catalog measured in (a)), for the comparable figures (CLI ingest, HTTP indexed); an estimate, since embedding there runs interleaved with everything else.',
    '',
    '| label | products | intentions | (a) raw add /s | (a) ceiling /s | embed texts/s | (b) CLI ingest | (b) w/o embedding | (b) CLI wall (start-up s) | (b) CLI loop | (c) HTTP indexed | (c) w/o embedding | (c) HTTP acknowledged | HTTP requests (503) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...sorted.map(
      (r) =>
        `| ${r.label} | ${n(r.products)} | ${n(r.intentions)} | ${n(r.ceiling.rawIntentionsPerS)} | ${n(r.ceiling.ceilingIntentionsPerS)} | ${n(r.ceiling.embedTextsPerS)} | **${cell(r.cli.ingest)}** | ${n(r.cli.ingest.withoutEmbeddingPerS)} | ${cell(r.cli.wall)} (${r.cli.startupSeconds}) | ${cell(r.cli.inProcess)} | **${cell(r.http.indexed)}** | ${n(r.http.indexed.withoutEmbeddingPerS)} | ${cell(r.http.acknowledged)} | ${r.http.requests} (${r.http.shed}) |`,
    ),
    '',
    '## Runs',
    '',
    '| label | products | settings (`--env`, to CLI and server) | ANN | date | host | load average at start (1/5/15 min) | command | stored intentions: CLI / HTTP |',
    '| --- | ---: | --- | --- | --- | --- | --- | --- | --- |',
    ...sorted.map(
      (r) =>
        `| ${r.label} | ${n(r.products)} | ${envCell(r.env)} | ${r.ceiling.library} efC ${r.ceiling.efConstruction} | ${runMetaCells(r.meta)} | ${n(r.cli.store.intentions)} / ${n(r.http.store.intentions)} |`,
    ),
    '',
  ];
  return `${lines.join('\n')}\n`;
}
