import { createHash } from 'node:crypto';
import type { ScriptRecord } from '../../align/script-schema.js';

/** Why a script was left out of the sets: its id, or its objective and steps, came earlier. */
export type Repeat = 'id' | 'content';

/** Lets each script through once: by id, and by content (objective and steps) under another id. */
export class DistinctScripts {
  private readonly ids = new Set<string>();
  // 16 bytes of sha256 per script: enough to tell contents apart, ~60 bytes each in the set.
  private readonly contents = new Set<string>();

  /** What the script repeats, or undefined when it is new (and now seen). */
  repeat(script: ScriptRecord): Repeat | undefined {
    if (this.ids.has(script.id)) return 'id';
    this.ids.add(script.id);
    const content = createHash('sha256')
      .update(JSON.stringify([script.objective ?? null, script.steps]))
      .digest('base64')
      .slice(0, 22);
    if (this.contents.has(content)) return 'content';
    this.contents.add(content);
    return undefined;
  }
}
