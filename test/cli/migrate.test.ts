import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { migrateFromConfig, migrateStore, MigrationError, type MigrationTarget } from '../../src/cli/migrate-command.js';
import { loadConfig } from '../../src/config.js';
import { EmbeddedExport } from '../../src/store/embedded/embedded-export.js';
import { QdrantStore } from '../../src/store/qdrant/qdrant-store.js';
import type { ProductUpsert } from '../../src/core/vector-store.js';
import { FakeQdrant } from '../store/qdrant/fake-qdrant.js';
import { storeOptions } from '../store/qdrant/qdrant-fixture.js';
import { DIM, MODEL, openStore, randomProducts, tempDir } from '../helpers/store-fixture.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { dir, cleanup } = tempDir('ecomalign-migrate-');
after(cleanup);

const items = randomProducts(50, 21);
const storeDir = join(dir, 'data', 'embedded');

/** An in-memory target that records writes and can be told to fail, like a crash mid-migration. */
class RecordingTarget implements MigrationTarget {
  readonly stored = new Map<string, ProductUpsert>();
  readonly batches: string[][] = [];
  failOnBatch?: number;
  async contentHashes(ids: readonly string[]) {
    const out = new Map<string, string>();
    for (const id of ids) if (this.stored.has(id)) out.set(id, this.stored.get(id)!.contentHash);
    return out;
  }
  async upsert(batch: readonly ProductUpsert[]) {
    if (this.batches.length + 1 === this.failOnBatch) throw new Error('target went away');
    this.batches.push(batch.map((b) => b.product.id));
    for (const b of batch) this.stored.set(b.product.id, b);
  }
}

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk;
      done();
    },
  });
  return { stream, text: () => text };
}

describe('ecomalign migrate', () => {
  before(async () => {
    const store = await openStore(storeDir);
    await store.upsert(items);
    await store.close();
  });

  it('exports every product in id order with its hash and its vectors as stored', () => {
    const source = EmbeddedExport.open(storeDir);
    try {
      assert.equal(source.modelId, MODEL);
      assert.equal(source.dimension, DIM);
      assert.equal(source.productCount(), items.length);
      const first = source.page(undefined, 10);
      const rest = source.page(first[first.length - 1].product.id, 1000);
      const all = [...first, ...rest];
      assert.deepEqual(
        all.map((p) => p.product.id),
        items.map((i) => i.product.id).sort(),
      );
      for (const p of all) {
        const original = items.find((i) => i.product.id === p.product.id)!;
        assert.deepEqual(p, original);
      }
    } finally {
      source.close();
    }
    assert.throws(() => EmbeddedExport.open(join(dir, 'nowhere')), /no embedded store at .*nowhere/);
  });

  it('copies everything, resumes after a crash without copying twice, and skips what is current', async () => {
    const checkpointFile = join(dir, 'checkpoint.json');
    const target = new RecordingTarget();
    const run = async (restart = false) => {
      const source = EmbeddedExport.open(storeDir);
      const err = sink();
      try {
        const summary = await migrateStore({ source, target, route: 'test', checkpointFile, batchSize: 8, restart, stderr: err.stream });
        return { summary, stderr: err.text() };
      } finally {
        source.close();
      }
    };
    target.failOnBatch = 3;
    await assert.rejects(run(), /target went away/);
    assert.equal(target.stored.size, 16);
    assert.equal(JSON.parse(readFileSync(checkpointFile, 'utf8')).lastId, target.batches[1].at(-1));

    target.failOnBatch = undefined;
    const resumed = await run();
    assert.equal(resumed.summary.resumedAfter, target.batches[1].at(-1));
    assert.match(resumed.stderr, /resuming after product/);
    assert.match(resumed.stderr, /migrate .*100\.0%/);
    assert.equal(target.stored.size, items.length);
    const written = target.batches.flat();
    assert.equal(new Set(written).size, written.length, 'no product written twice');
    assert.deepEqual(resumed.summary, { ...resumed.summary, products: items.length, copied: items.length, unchanged: 0 });
    for (const item of items) assert.deepEqual(target.stored.get(item.product.id), item);

    // The checkpoint says done: a new run walks again but writes nothing that is current.
    target.batches.length = 0;
    const again = await run();
    assert.equal(target.batches.length, 0);
    assert.equal(again.summary.unchanged, items.length);
    assert.equal(again.summary.copied, 0);
  });

  it('refuses a checkpoint of another migration unless told to restart', async () => {
    const checkpointFile = join(dir, 'other.json');
    writeFileSync(
      checkpointFile,
      JSON.stringify({ version: 1, route: 'elsewhere', model: 'm', lastId: 'p9', copied: 1, unchanged: 0, texts: 1, done: false }),
    );
    const source = EmbeddedExport.open(storeDir);
    try {
      const options = { source, target: new RecordingTarget(), route: 'here', checkpointFile, batchSize: 100, stderr: sink().stream };
      await assert.rejects(migrateStore(options), (err: Error) => err instanceof MigrationError && /--restart/.test(err.message));
      assert.equal((await migrateStore({ ...options, restart: true })).copied, items.length);
    } finally {
      source.close();
    }
  });

  it('supports only embedded to Qdrant, and needs QDRANT_URL', async () => {
    const config = loadConfig({ DATA_DIR: join(dir, 'data') });
    const base = { batchSize: 10, restart: false, stderr: sink().stream };
    await assert.rejects(migrateFromConfig(config, { ...base, from: 'qdrant', to: 'embedded' }), /--from embedded --to qdrant/);
    await assert.rejects(migrateFromConfig(config, { ...base, from: 'embedded', to: 'qdrant' }), /needs QDRANT_URL/);
  });

  it('runs from the command line into Qdrant (the in-process test double), with the same search results', async () => {
    const fake = await FakeQdrant.start();
    try {
      // Asynchronously: the test double answers from this process's event loop.
      const res = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'migrate', '--from', 'embedded', '--to', 'qdrant', '--batch-size', '20'],
        {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, DATA_DIR: join(dir, 'data'), QDRANT_URL: fake.url, QDRANT_COLLECTION: 'migrated', LOG_LEVEL: 'warn' },
          timeout: 60_000,
        },
      );
      const summary = JSON.parse(res.stdout.trim().split('\n').at(-1)!);
      assert.equal(summary.copied, items.length);
      assert.equal(summary.model, `${MODEL} (${DIM} dimensions)`);
      const qdrant = await QdrantStore.open(storeOptions(fake.url, 'migrated', { modelId: MODEL, dimension: DIM }));
      const embedded = await openStore(storeDir);
      const queries = randomProducts(5, 99).map((p) => p.texts[0].vector);
      const options = { k: 5, threshold: 0, match: 'both' as const };
      const strip = (r: { productId: string; matched: { text: string } }[][]) => r.map((m) => m.map((x) => [x.productId, x.matched.text]));
      assert.deepEqual(strip(await qdrant.search(queries, options)), strip(await embedded.search(queries, options)));
      assert.deepEqual(await qdrant.stats(), await embedded.stats());
      await embedded.close();
    } finally {
      await fake.down();
    }
  });
});
