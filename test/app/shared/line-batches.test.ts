import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScriptRecord } from '../../../src/align/script-schema.js';
import { LineBatches } from '../../../src/app/shared/line-batches.js';

const script = (i: number): ScriptRecord => ({
  id: `s${i}`,
  objective: 'o',
  steps: Array.from({ length: (i % 3) + 1 }, (_, j) => `step ${j}`),
});

describe('LineBatches', () => {
  it('hands scripts on in order, in batches of the size, the last one short; progress gets every byte read', async () => {
    const handed: string[][] = [];
    const updates: { work: number; items: number }[] = [];
    const batches = new LineBatches<ScriptRecord>(3, { update: (work, items) => updates.push({ work, items }) }, async (batch) => {
      handed.push(batch.map((s) => s.id));
    });
    const scripts = Array.from({ length: 7 }, (_, i) => script(i));
    let bytes = 0;
    for (const [i, s] of scripts.entries()) {
      batches.read(10 + i);
      bytes += 10 + i;
      if (i === 4) {
        batches.read(5); // a skipped line: its bytes count, it yields no script
        bytes += 5;
      }
      await batches.add(s);
    }
    await batches.flush();
    await batches.flush(); // nothing waiting: no empty batch

    assert.deepEqual(handed, [['s0', 's1', 's2'], ['s3', 's4', 's5'], ['s6']]);
    assert.deepEqual(
      updates.map((u) => u.items),
      [3, 3, 1],
    );
    assert.equal(
      updates.reduce((n, u) => n + u.work, 0),
      bytes,
    );
  });

  it('counts nothing as done when the handler fails', async () => {
    const updates: number[] = [];
    const batches = new LineBatches<ScriptRecord>(2, { update: (_w, items) => updates.push(items) }, () =>
      Promise.reject(new Error('disk full')),
    );
    await batches.add(script(0));
    await assert.rejects(batches.add(script(1)), /disk full/);
    assert.deepEqual(updates, []);
  });
});
