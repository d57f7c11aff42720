import { parentPort, workerData } from 'node:worker_threads';
import { workerAnnFactory } from '../../ann/ann-params.js';
import { CatalogDb } from '../catalog/catalog-db.js';
import { IndexReplica } from '../index/index-replica.js';
import { TextSearch } from '../index/text-search.js';
import type { ToMain, ToWorker, WorkerReplicaConfig } from './worker-protocol.js';

/**
 * A search worker: owns one index replica and answers the store's messages in the order they come,
 * which is what makes a search see every write sent before it. It reads the catalog through its
 * own SQLite connection (WAL lets it read while the main thread writes) only on open and during
 * checks, when the store holds its write lock.
 */

const config = workerData as WorkerReplicaConfig;
const port = parentPort!;
const post = (message: ToMain) => port.postMessage(message);
const logger = {
  info: (obj: object, msg: string) => post({ type: 'log', level: 'info', obj, msg }),
  warn: (obj: object, msg: string) => post({ type: 'log', level: 'warn', obj, msg }),
};

const db = new CatalogDb(config.catalogPath);
const texts = new TextSearch(db.db);
let replica: IndexReplica;
try {
  const opened = await IndexReplica.open({
    db,
    indexDir: config.indexDir,
    modelId: config.modelId,
    dimension: config.dimension,
    annFactory: workerAnnFactory(config.ann),
    logger,
    sliceMs: config.sliceMs,
    probesPerCheck: config.probesPerCheck,
  });
  replica = opened.replica;
  post({ type: 'ready', info: opened.info, health: replica.health() });
} catch (err) {
  db.close();
  post({ type: 'failed', error: (err as Error)?.stack ?? String(err) });
  // Closing the port (not process.exit, which can drop the message above) ends the worker.
  port.close();
  throw err;
}

// Health goes to the main thread a few times a second, so /readyz and metrics read it without a round trip.
const healthTimer = setInterval(() => post({ type: 'health', health: replica.health() }), config.healthIntervalMs);

port.on('message', (message: ToWorker) => {
  if (message.type === 'apply') {
    replica.apply(message.write);
    return;
  }
  void answer(message.id, message);
});

async function answer(id: number, message: Exclude<ToWorker, { type: 'apply' }>): Promise<void> {
  try {
    let value: unknown;
    switch (message.type) {
      case 'search':
        value = replica.search(message.request);
        break;
      case 'read':
        value = texts.read(message.request);
        break;
      case 'check':
        value = await replica.check();
        break;
      case 'drain':
        value = replica.drain();
        break;
      case 'waitBelow':
        await replica.waitBelow(message.texts);
        break;
      case 'snapshot':
        value = replica.snapshot(message.watermarks);
        break;
      case 'close':
        clearInterval(healthTimer);
        replica.close();
        db.close();
        post({ type: 'reply', id, ok: true, value: undefined });
        port.close();
        return;
      default:
        return; // not a request of this protocol: nothing to answer
    }
    post({
      type: 'reply',
      id,
      ok: true,
      value,
      health: message.type === 'search' || message.type === 'read' ? undefined : replica.health(),
    });
  } catch (err) {
    post({ type: 'reply', id, ok: false, error: (err as Error)?.message ?? String(err) });
  }
}
