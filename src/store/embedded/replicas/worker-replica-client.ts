import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../../util/spawn-worker.js';
import type { IndexCheckReport } from '../../../core/vector-store.js';
import type { Logger } from '../../../core/logger.js';
import { ReplicaLostError, type ReplicaClient } from './replica-client.js';
import type {
  CatalogRead,
  CatalogReadResult,
  ReplicaHealth,
  ReplicaHits,
  ReplicaOpenInfo,
  ReplicaSearch,
  ReplicaWrite,
  Watermarks,
} from '../shared/replica-messages.js';
import type { ToMain, ToWorker, WorkerReplicaConfig } from './worker-protocol.js';
import { WorkerRpc } from '../shared/worker-rpc.js';

/** The requests a worker answers (writes are posted without waiting). */
type Call = Exclude<ToWorker, { type: 'apply' }>;

/** Starts a search worker's thread on replica-worker.ts. */
export function startReplicaWorker(config: WorkerReplicaConfig): Worker {
  return spawnWorker(import.meta.url, 'replica-worker', config);
}

/**
 * The main thread's handle on a search worker. Requests carry ids and are answered in order; if
 * the worker dies, every unanswered request fails with ReplicaLostError (the replica set retries
 * searches on another replica) and `onExit` lets the set start a replacement.
 */
export class WorkerReplicaClient implements ReplicaClient {
  private readonly rpc: WorkerRpc<Call>;
  private latest: ReplicaHealth;
  private closing = false;
  /** When the worker last said anything (it reports health every healthIntervalMs while its thread runs). */
  private lastHeard = performance.now();
  private onExit?: (client: ReplicaClient, code: number) => void;

  private constructor(
    private readonly worker: Worker,
    readonly openInfo: ReplicaOpenInfo,
    health: ReplicaHealth,
  ) {
    this.latest = health;
    this.rpc = new WorkerRpc(worker, () => new ReplicaLostError(`search worker ${worker.threadId} is gone`));
  }

  /**
   * Takes a just started search worker (startReplicaWorker) and resolves once its replica has
   * loaded, replayed and checked the catalog; `onExit` hears when it dies or is abandoned.
   */
  static open(worker: Worker, logger: Logger, onExit: (client: ReplicaClient, code: number) => void): Promise<WorkerReplicaClient> {
    return new Promise((resolve, reject) => {
      // Ref'd while its replica opens, so a pending open keeps the process alive (a 'message'
      // listener added after an unref() used to do it unsaid); once open, the client's WorkerRpc
      // unrefs it (worker-rpc.ts says why).
      worker.ref();
      let client: WorkerReplicaClient | undefined;
      worker.on('message', (message: ToMain) => {
        switch (message.type) {
          case 'ready':
            client = new WorkerReplicaClient(worker, message.info, message.health);
            client.onExit = onExit;
            resolve(client);
            return;
          case 'failed':
            reject(new Error(`search worker could not open its index: ${message.error}`));
            return;
          case 'log':
            logger[message.level]({ ...message.obj, worker: worker.threadId }, message.msg);
            return;
          default:
            client?.receive(message);
        }
      });
      worker.on('error', (err) => {
        if (!client) reject(err);
        else logger.warn({ err: err.message, worker: worker.threadId }, 'search worker failed');
      });
      worker.on('exit', (code) => {
        if (!client) {
          reject(new Error(`search worker exited with code ${code} before its index was open`));
          return;
        }
        client.lost(code);
        if (!client.closing) onExit(client, code);
      });
    });
  }

  private receive(message: ToMain): void {
    this.lastHeard = performance.now();
    if (message.type === 'health') {
      this.latest = message.health;
      return;
    }
    if (message.type !== 'reply') return;
    const waiting = this.rpc.take(message.id);
    if (!waiting) return;
    if (message.ok) {
      if (message.health) this.latest = message.health;
      waiting.resolve(message.value);
    } else {
      waiting.reject(new Error(message.error));
    }
  }

  private lost(code: number): void {
    this.rpc.fail(new ReplicaLostError(`search worker ${this.worker.threadId} exited (code ${code})`));
  }

  /** Milliseconds since the worker last sent anything. */
  silentForMs(): number {
    return performance.now() - this.lastHeard;
  }

  /**
   * Gives up on a worker that stopped answering (a native call that never returns): its requests
   * fail over to other replicas, a replacement is started, and the thread is terminated if it can
   * be (V8 cannot interrupt native code; such a thread is left behind, and logged by the caller).
   */
  abandon(): void {
    if (this.rpc.failed() || this.closing) return;
    this.lost(-1);
    void this.worker.terminate().catch(() => undefined);
    this.onExit?.(this, -1);
  }

  apply(write: ReplicaWrite, handOver = false): void {
    // A dead worker's replacement loads the catalog itself, so a write it misses here is not lost.
    if (this.rpc.failed()) return;
    const buffer = write.added.vectors.buffer;
    const whole = write.added.vectors.byteOffset === 0 && write.added.vectors.byteLength === buffer.byteLength;
    this.worker.postMessage({ type: 'apply', write } satisfies ToWorker, handOver && whole ? [buffer as ArrayBuffer] : []);
  }

  search(request: ReplicaSearch): Promise<ReplicaHits> {
    return this.rpc.call({ type: 'search', request });
  }

  read<R extends CatalogRead>(request: R): Promise<CatalogReadResult<R>> {
    return this.rpc.call({ type: 'read', request });
  }

  check(): Promise<IndexCheckReport> {
    return this.rpc.call({ type: 'check' });
  }

  drain(): Promise<boolean> {
    return this.rpc.call({ type: 'drain' });
  }

  waitBelow(texts: number): Promise<void> {
    return this.rpc.call({ type: 'waitBelow', texts });
  }

  snapshot(watermarks: Watermarks): Promise<boolean> {
    return this.rpc.call({ type: 'snapshot', watermarks });
  }

  health(): ReplicaHealth {
    return this.latest;
  }

  outstanding(): number {
    return this.rpc.outstanding();
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (!this.rpc.failed()) {
      try {
        await this.rpc.call({ type: 'close' });
      } catch {
        // already gone
      }
    }
    await this.worker.terminate();
  }
}
