import type { WorkerAnnSpec } from '../../ann/ann-params.js';
import type { CatalogRead, ReplicaHealth, ReplicaOpenInfo, ReplicaSearch, ReplicaWrite, Watermarks } from '../shared/replica-messages.js';

/** The messages between the store (main thread) and a search worker (replica-worker.ts). */

/** What a worker needs to build its replica: plain data (an ANN factory object cannot cross threads). */
export interface WorkerReplicaConfig {
  catalogPath: string;
  indexDir: string;
  modelId: string;
  dimension: number;
  /** The index to build (plain data: a factory cannot cross threads). */
  ann: WorkerAnnSpec;
  sliceMs: number;
  probesPerCheck: number;
  healthIntervalMs: number;
}

export type ToWorker =
  | { type: 'apply'; write: ReplicaWrite }
  | { type: 'search'; id: number; request: ReplicaSearch }
  | { type: 'read'; id: number; request: CatalogRead }
  | { type: 'check'; id: number }
  | { type: 'drain'; id: number }
  | { type: 'waitBelow'; id: number; texts: number }
  | { type: 'snapshot'; id: number; watermarks: Watermarks }
  | { type: 'close'; id: number };

export type ToMain =
  | { type: 'ready'; info: ReplicaOpenInfo; health: ReplicaHealth }
  | { type: 'failed'; error: string }
  | { type: 'health'; health: ReplicaHealth }
  | { type: 'log'; level: 'info' | 'warn'; obj: object; msg: string }
  | { type: 'reply'; id: number; ok: true; value: unknown; health?: ReplicaHealth }
  | { type: 'reply'; id: number; ok: false; error: string };
