import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Aligner } from '../../src/align/aligner.js';
import type { Embedder } from '../../src/core/embedder.js';
import type { PriorityOptions } from '../../src/core/priority.js';
import type { VectorStore } from '../../src/core/vector-store.js';
import { sampleScripts, sampleStore } from '../evalset/sample-store.js';
import { countLoopTurns } from '../helpers/loop-turns.js';

/** Records every embed call's size and priority, passing it on. */
function recording(inner: Embedder) {
  const calls: { texts: number; priority: string }[] = [];
  const embedder: Embedder = Object.assign(Object.create(inner) as Embedder, {
    embed: (texts: readonly string[], options?: PriorityOptions) => {
      calls.push({ texts: texts.length, priority: options?.priority ?? 'interactive' });
      return inner.embed(texts, options);
    },
  });
  return { embedder, calls };
}

/** Counts store searches in flight at once (the most seen), passing them on. */
function concurrencyCounting(inner: VectorStore) {
  const seen = { now: 0, most: 0, searches: 0 };
  const store = Object.assign(Object.create(inner) as VectorStore, {
    search: async (...args: Parameters<VectorStore['search']>) => {
      seen.now++;
      seen.searches++;
      seen.most = Math.max(seen.most, seen.now);
      try {
        await new Promise((r) => setImmediate(r)); // let other slices try to start meanwhile
        return await inner.search(...args);
      } finally {
        seen.now--;
      }
    },
  });
  return { store, seen };
}

describe('Aligner, bulk requests', () => {
  let sample: Awaited<ReturnType<typeof sampleStore>>;
  before(async () => (sample = await sampleStore()));
  after(async () => sample?.close());

  const scripts = () => sampleScripts().map((s) => ({ id: s.id, objective: s.objective, steps: s.steps }));
  const scorings = [
    {},
    { aggregate: 'mean' as const },
    { retrieval: 'hybrid' as const, fusion: 'rrf' as const },
    { retrieval: 'lexical' as const },
  ];

  for (const scoring of scorings) {
    it(`answers exactly what the one-piece path answers (${JSON.stringify(scoring)})`, async () => {
      const { embedder, calls } = recording(sample.embedder);
      // A clock on which every slice takes 1 ms, against a 3 ms target: 32 steps first, then about 96.
      let clock = 0;
      const sliced = new Aligner(embedder, sample.store, undefined, {
        sliceTargetMs: 3,
        searchSlots: 1,
        minSliceSteps: 1,
        now: () => (clock += 1),
      });
      const whole = await sample.aligner.align(scripts(), { k: 5, match: 'intentions', scoring });
      const bulk = await sliced.align(scripts(), { k: 5, match: 'intentions', scoring, priority: 'bulk' });
      assert.deepEqual(bulk, whole);
      const distinct = new Set(scripts().flatMap((s) => s.steps)).size;
      if (scoring.retrieval === 'lexical') assert.equal(calls.length, 0, 'lexical retrieval embeds nothing');
      else {
        assert.ok(calls.length > 3, `the request was cut into slices (${calls.length} embed calls for ${distinct} steps)`);
        assert.ok(
          calls.every((c) => c.priority === 'bulk'),
          'every slice embeds in the bulk lane',
        );
        assert.equal(
          calls.reduce((n, c) => n + c.texts, 0),
          distinct,
          'each distinct step embedded once',
        );
      }
    });
  }

  it('keeps at most searchSlots bulk slices searching at once, across concurrent bulk requests', async () => {
    const { store, seen } = concurrencyCounting(sample.store);
    const aligner = new Aligner(sample.embedder, store, undefined, { sliceTargetMs: 0, searchSlots: 1, minSliceSteps: 1 });
    await Promise.all([1, 2, 3].map(() => aligner.align(scripts(), { k: 3, match: 'both', priority: 'bulk' })));
    assert.ok(seen.searches > 3, `searched in slices (${seen.searches})`);
    assert.equal(seen.most, 1, 'never two bulk slices in the search workers at once');
  });

  it('lets an interactive request search while bulk slices hold every slot', async () => {
    const { store, seen } = concurrencyCounting(sample.store);
    const aligner = new Aligner(sample.embedder, store, undefined, { sliceTargetMs: 0, searchSlots: 1, minSliceSteps: 1 });
    const bulk = aligner.align(scripts(), { k: 3, match: 'both', priority: 'bulk' });
    const live = aligner.align([{ steps: ['grill burgers outdoors'] }], { k: 3, match: 'both' });
    await Promise.all([bulk, live]);
    assert.equal(seen.most, 2, 'the interactive search ran beside a bulk slice instead of queueing for the slot');
  });

  it('fails a bulk request with the error of its first failed slice and starts no slice after it', async () => {
    let searches = 0;
    const failing = Object.assign(Object.create(sample.store) as VectorStore, {
      search: async () => {
        searches++;
        throw new Error('search worker exploded');
      },
    });
    const aligner = new Aligner(sample.embedder, failing, undefined, { sliceTargetMs: 0, searchSlots: 1, minSliceSteps: 1 });
    await assert.rejects(aligner.align(scripts(), { k: 3, match: 'both', priority: 'bulk' }), /search worker exploded/);
    const steps = new Set(scripts().flatMap((s) => s.steps)).size;
    assert.ok(searches < steps, `stopped early: ${searches} of ${steps} one-step slices searched`);
  });

  it('gives the event loop a turn between slices, though every embedding answers at once', async () => {
    const loop = countLoopTurns();
    const seenAt: number[] = [];
    const instant = Object.assign(Object.create(sample.embedder) as Embedder, {
      embed: (texts: readonly string[]) => {
        seenAt.push(loop.turns);
        return sample.embedder.embed(texts);
      },
    });
    const aligner = new Aligner(instant, sample.store, undefined, { sliceTargetMs: 0, searchSlots: 1, minSliceSteps: 1 });
    try {
      await aligner.align(scripts(), { k: 3, match: 'both', priority: 'bulk' });
    } finally {
      loop.stop();
    }
    assert.ok(seenAt.length > 3, `sliced (${seenAt.length} slices)`);
    for (let i = 1; i < seenAt.length; i++)
      assert.ok(seenAt[i] > seenAt[i - 1], `the loop turned between slice ${i - 1} and ${i}: ${seenAt.join(', ')}`);
  });
});
