import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { CatalogDb } from './catalog-db.js';
import { packedRow } from '../shared/packed-vectors.js';
import type { CatalogWrite, PackedWrite, WriterEffects, WriterReply, WriterRequest } from './catalog-writer.js';

/** The catalog writer thread: one SQLite connection that runs the store's write transactions. */

const port = parentPort!;
// Background work: on Linux a nice value is per thread, so this makes the writer yield the CPU to
// the HTTP thread and the search workers when cores are short (a live read beats a bulk write).
try {
  setPriority(0, 10);
} catch {
  // not permitted here: the writer runs at normal priority
}
let db: CatalogDb;
try {
  db = new CatalogDb((workerData as { catalogPath: string }).catalogPath);
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ error: (err as Error)?.message ?? String(err) });
  port.close();
  throw err;
}

port.on('message', (request: WriterRequest) => {
  const reply = (r: WriterReply) => port.postMessage(r);
  try {
    if (request.op === 'close') {
      db.close();
      reply({ id: request.id, ok: true });
      port.close();
      return;
    }
    if (request.op === 'capGrowth') {
      db.capGrowth(request.capped);
      reply({ id: request.id, ok: true });
      return;
    }
    const effects = request.op === 'write' ? db.writeProducts(unpack(request.write)) : db.deleteProduct(request.productId);
    reply({ id: request.id, ok: true, effects: effects && withoutVectors(effects) });
  } catch (err) {
    reply({ id: request.id, ok: false, error: (err as Error)?.message ?? String(err), code: (err as { code?: string })?.code });
  }
});

function withoutVectors(effects: ReturnType<CatalogDb['writeProducts']>): WriterEffects {
  return { ...effects, added: effects.added.map(({ label, pid, kind }) => ({ label, pid, kind })) };
}

function unpack(write: PackedWrite): CatalogWrite[] {
  let row = 0;
  const d = write.dimension;
  return write.items.map((item) => ({
    ...item,
    texts: item.texts.map((t) => ({ ...t, vector: packedRow(write.vectors, d, row++) })),
  }));
}
