import { constants, promises as fs } from 'node:fs';
import type { StorageFullError, StorageRefusalReason } from '../core/errors.js';
import type { StorageHealth, StorageStatus } from '../core/storage.js';
import { belowFloorError } from './storage-errors.js';

/** What statfs and access tell about the volume (injected in tests). */
export interface VolumeProbe {
  /** Free bytes for an unprivileged writer, and the volume's size. */
  space(dir: string): Promise<{ freeBytes: number; totalBytes: number }>;
  /** Whether the directory accepts writes (false on a read-only mount). */
  writable(dir: string): Promise<boolean>;
}

const realVolume: VolumeProbe = {
  async space(dir) {
    const s = await fs.statfs(dir);
    // bavail, not bfree: the blocks reserved for root are not ours to fill.
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  },
  async writable(dir) {
    try {
      await fs.access(dir, constants.W_OK);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code !== 'EROFS';
    }
  },
};

export interface StorageMonitorOptions {
  /** Refuse growing writes while fewer bytes than this are free; 0: no floor. */
  minFreeBytes?: number;
  /** A volume reading is reused this long (a write and a probe cost one statfs per second at most). Default 1000 ms. */
  maxAgeMs?: number;
  probe?: VolumeProbe;
  now?: () => number;
}

/** Free space that must come back after a refusal before the volume counts as writable again unseen by a write. */
const REGAINED_BYTES = 1 << 20;

/**
 * The data volume's state for readiness, metrics and the write path. Writes always go to the
 * volume and let SQLite decide (so they work again the moment space returns); this only
 *   - refuses growing writes early below an optional floor, before SQLite hits the wall mid-batch;
 *   - remembers the latest refusal until a write succeeds, or the volume has regained a MiB, or a
 *     read-only volume became writable, so /readyz says "refused" without trying a write itself.
 */
export class StorageMonitor implements StorageHealth {
  private readonly minFreeBytes: number;
  private readonly maxAgeMs: number;
  private readonly probe: VolumeProbe;
  private readonly now: () => number;
  private reading?: { at: number; value: Promise<VolumeReading> };
  private refusal?: { at: number; reason: StorageRefusalReason; detail: string; freeBytes?: number };
  private refused = 0;

  constructor(
    private readonly dir: string,
    options: StorageMonitorOptions = {},
  ) {
    this.minFreeBytes = options.minFreeBytes ?? 0;
    this.maxAgeMs = options.maxAgeMs ?? 1000;
    this.probe = options.probe ?? realVolume;
    this.now = options.now ?? Date.now;
  }

  /** Throws a StorageFullError ('below-floor') when the floor is set and crossed; `what` names the write. */
  async assertRoom(what: string): Promise<void> {
    if (this.minFreeBytes <= 0) return;
    const volume = await this.volume();
    if (this.belowFloor(volume)) throw belowFloorError(what, volume.freeBytes!, this.minFreeBytes);
  }

  /** A floor is set and the volume's free space is under it. */
  private belowFloor(volume: { freeBytes?: number }): boolean {
    return this.minFreeBytes > 0 && volume.freeBytes !== undefined && volume.freeBytes < this.minFreeBytes;
  }

  /** A write was refused for lack of storage. */
  recordRefusal(err: StorageFullError): void {
    this.refused++;
    this.refusal = { at: this.now(), reason: err.reason, detail: err.message };
    // The next look at the volume is fresh: it is the baseline that regained space is measured from.
    this.reading = undefined;
  }

  /** A write was stored: whatever refused the last one has cleared. */
  recordSuccess(): void {
    if (!this.refusal) return;
    this.refusal = undefined;
    this.reading = undefined; // taken while full: the next status reads the volume afresh
  }

  async status(): Promise<StorageStatus> {
    const volume = await this.volume();
    this.forgetRefusalIfCleared(volume);
    const reason: StorageRefusalReason | undefined = !volume.writable
      ? 'read-only'
      : this.belowFloor(volume)
        ? 'below-floor'
        : this.refusal?.reason;
    return {
      writes: reason ? 'refused' : 'accepted',
      ...(reason ? { reason } : {}),
      ...(volume.freeBytes !== undefined ? { freeBytes: volume.freeBytes, totalBytes: volume.totalBytes } : {}),
      minFreeBytes: this.minFreeBytes,
      refusedWrites: this.refused,
      ...(this.refusal
        ? { lastRefusal: { at: new Date(this.refusal.at).toISOString(), reason: this.refusal.reason, detail: this.refusal.detail } }
        : {}),
    };
  }

  private forgetRefusalIfCleared(volume: VolumeReading): void {
    const r = this.refusal;
    if (!r) return;
    if (r.reason === 'read-only') {
      if (volume.writable) this.refusal = undefined;
    } else if (volume.freeBytes !== undefined) {
      if (r.freeBytes === undefined) r.freeBytes = volume.freeBytes;
      else if (volume.freeBytes >= r.freeBytes + REGAINED_BYTES) this.refusal = undefined;
    }
  }

  private volume(): Promise<VolumeReading> {
    const now = this.now();
    if (!this.reading || now - this.reading.at >= this.maxAgeMs) this.reading = { at: now, value: this.read() };
    return this.reading.value;
  }

  /** Never rejects: a volume that cannot be read reports no numbers (and is taken as writable; writes will tell). */
  private async read(): Promise<VolumeReading> {
    const [space, writable] = await Promise.all([
      this.probe.space(this.dir).catch(() => undefined),
      this.probe.writable(this.dir).catch(() => true),
    ]);
    return { freeBytes: space?.freeBytes, totalBytes: space?.totalBytes, writable };
  }
}

interface VolumeReading {
  freeBytes?: number;
  totalBytes?: number;
  writable: boolean;
}
