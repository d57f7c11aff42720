import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TextKind } from '../../../core/product.js';
import type { AnnIndex, AnnIndexFactory } from '../../ann/ann-index.js';
import { writeFileAtomic } from '../../../util/atomic-file.js';
import type { Watermarks } from '../shared/replica-messages.js';

/**
 * Snapshots of the ANN indexes, one per text kind, plus a manifest naming them.
 *
 * Each snapshot generation writes new files (`intention.<gen>.ann`) and only then atomically
 * replaces the manifest, so a crash at any point leaves the previous generation intact and
 * consistent with its watermarks. The watermarks say which catalog changes the snapshot already
 * contains; the store replays everything after them from SQLite on open.
 */

interface Manifest extends Watermarks {
  version: 1;
  modelId: string;
  dimension: number;
  generation: number;
  files: Record<TextKind, string>;
}

const MANIFEST = 'manifest.json';

export class IndexSnapshots {
  constructor(
    private readonly dir: string,
    private readonly factory: AnnIndexFactory,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /**
   * Loads the current snapshot, or returns undefined (with the reason) when there is none or it
   * does not match this model; the caller then rebuilds from the catalog.
   */
  load(modelId: string, dimension: number): { indexes: Record<TextKind, AnnIndex>; watermarks: Watermarks } | { reason: string } {
    const manifestPath = join(this.dir, MANIFEST);
    if (!existsSync(manifestPath)) return { reason: 'no snapshot yet' };
    try {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
      const version: unknown = manifest.version; // whatever the file says, not what the type promises
      if (version !== 1) return { reason: `unknown snapshot version ${String(version)}` };
      if (manifest.modelId !== modelId || manifest.dimension !== dimension) {
        return { reason: `snapshot was built with ${manifest.modelId}/${manifest.dimension}` };
      }
      const indexes = {
        intention: this.factory.load(join(this.dir, manifest.files.intention), dimension),
        title: this.factory.load(join(this.dir, manifest.files.title), dimension),
      };
      return { indexes, watermarks: { maxLabel: manifest.maxLabel, removalSeq: manifest.removalSeq } };
    } catch (err) {
      return { reason: `snapshot unreadable: ${(err as Error).message}` };
    }
  }

  save(modelId: string, indexes: Record<TextKind, AnnIndex>, watermarks: Watermarks): void {
    const generation = this.currentGeneration() + 1;
    const files = { intention: `intention.${generation}.ann`, title: `title.${generation}.ann` };
    try {
      indexes.intention.save(join(this.dir, files.intention));
      indexes.title.save(join(this.dir, files.title));
      const manifest: Manifest = {
        version: 1,
        modelId,
        dimension: indexes.intention.dimension,
        generation,
        files,
        ...watermarks,
      };
      writeFileAtomic(join(this.dir, MANIFEST), JSON.stringify(manifest, null, 2));
    } catch (err) {
      // On a full volume the half-written generation would hold the very space the next try needs
      // (unless the manifest already names it: the rename went through and only a later fsync failed).
      if (this.currentGeneration() !== generation) for (const name of Object.values(files)) rmSync(join(this.dir, name), { force: true });
      throw err;
    }
    this.removeOtherGenerations(generation);
  }

  private currentGeneration(): number {
    try {
      return (JSON.parse(readFileSync(join(this.dir, MANIFEST), 'utf8')) as Manifest).generation ?? 0;
    } catch {
      return 0;
    }
  }

  /** Deletes files of other generations and temp files left by interrupted saves. */
  private removeOtherGenerations(keep: number): void {
    for (const name of readdirSync(this.dir)) {
      if (name === MANIFEST) continue;
      const m = /^(intention|title)\.(\d+)\.ann$/.exec(name);
      if (m && Number(m[2]) === keep) continue;
      rmSync(join(this.dir, name), { force: true });
    }
  }
}
