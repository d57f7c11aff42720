import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hnswlibIndexFactory } from '../../../src/store/ann/hnswlib-index.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { rng } from '../../helpers/vectors.js';
import { DIM, MODEL, randomProducts, tempDir } from '../../helpers/store-fixture.js';

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const { dir, cleanup } = tempDir('ecomalign-crash-');
after(cleanup);

/** Runs the writer until it has acknowledged `minAcks` batches plus a random extra delay, then SIGKILLs it. */
function runAndKill(startBatch: number, minAcks: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, String(startBatch)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let last = startBatch - 1;
    let acks = 0;
    let stderr = '';
    let buffered = '';
    proc.stderr.on('data', (d) => (stderr += d));
    proc.stdout.on('data', (d) => {
      buffered += d;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const m = /^ack (\d+)$/.exec(line);
        if (m) {
          last = Number(m[1]);
          if (++acks === minAcks) setTimeout(() => proc.kill('SIGKILL'), extraMs);
        }
      }
    });
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(last);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

it('loses no acknowledged batch when the writer is SIGKILLed at random points', { timeout: 120_000 }, async () => {
  const random = rng(2024);
  let next = 0;
  const rounds = 4;
  for (let round = 0; round < rounds; round++) {
    const lastAcked = await runAndKill(next, 2 + Math.floor(random() * 4), Math.floor(random() * 150));
    const store = await EmbeddedStore.open({ dataDir: dir, modelId: MODEL, dimension: DIM, annFactory: hnswlibIndexFactory() });
    try {
      const stats = await store.stats();
      // Every acknowledged batch is present and searchable by its own vectors.
      for (let batch = 0; batch <= lastAcked; batch++) {
        const items = randomProducts(50, batch);
        const probe = [0, 17, 49].map((i) => ({ id: `b${batch}-${i}`, vector: items[i].texts[0].vector }));
        for (const { id, vector } of probe) {
          assert.ok(await store.get(id), `round ${round}: acknowledged product ${id} missing`);
          const [hits] = await store.search([vector], { k: 1, threshold: 0.999, match: 'titles' });
          assert.equal(hits[0]?.productId, id, `round ${round}: ${id} not searchable`);
        }
      }
      // Catalog and index agree: batches are whole (50 products each) and texts match products.
      assert.equal(stats.products % 50, 0, `round ${round}: a half-written batch (${stats.products} products)`);
      assert.equal(stats.titles, stats.products);
      assert.ok(stats.products >= (lastAcked + 1) * 50);
      // The BM25 index agrees with the catalog too: its triggers ran in the same transactions.
      const raw = new Database(join(dir, 'catalog.sqlite'));
      try {
        raw.prepare("INSERT INTO texts_fts(texts_fts, rank) VALUES ('integrity-check', 1)").run();
        const { n } = raw.prepare<[], { n: number }>(`SELECT count(*) AS n FROM texts_fts WHERE texts_fts MATCH '"product"'`).get()!;
        assert.equal(n, stats.titles + stats.intentions, `round ${round}: BM25 index holds ${n} texts`);
      } finally {
        raw.close();
      }
      const [lexical] = await store.lexicalSearch([`intention 0 of product 49`], {
        k: 1,
        match: 'intentions',
        filter: { productIds: ['b0-49'] },
      });
      assert.equal(lexical[0]?.productId, 'b0-49', `round ${round}: not found by BM25`);
      next = stats.products / 50;
    } finally {
      await store.close();
    }
  }
});
