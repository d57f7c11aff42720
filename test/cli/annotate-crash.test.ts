import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { LABELS_FILE, LabelStore } from '../../src/app/annotation/label-store.js';
import { tempDir } from '../helpers/store-fixture.js';
import { annotateClient, buildSmallSet, startAnnotateProcess } from './annotate-fixture.js';

const { dir, cleanup } = tempDir('ecomalign-annotate-crash-');
after(cleanup);

/**
 * Several annotators label at once; the server is SIGKILLed while requests are in flight. Every
 * label acknowledged with a 200 before the kill must be in the file afterwards, and the restarted
 * server must serve on from there.
 */
it('keeps every acknowledged label through SIGKILLs of the annotate server', async (t) => {
  const { setDir } = buildSmallSet(dir);
  const acked = new Map<string, 0 | 1>(); // `${annotator}\t${id}` → label
  const annotators = ['ann', 'bob', 'cy'];
  let killAt = 15;
  for (let round = 0; round < 3; round++) {
    const server = await startAnnotateProcess(['--set', setDir, '--votes', '3']);
    const api = annotateClient(server.url);
    let stopped = false;
    const worker = async (annotator: string, task: string) => {
      for (let n = 0; !stopped; n++) {
        try {
          const next = await api.next(annotator, task);
          if (next.status === 204) return;
          const id = next.json().id;
          const label = ((n + annotator.length) % 2) as 0 | 1;
          const res = await api.label(annotator, id, label);
          if (res.status === 200) acked.set(`${annotator}\t${id}`, label);
        } catch {
          return; // the connection died with the server
        }
      }
    };
    const workers = annotators.flatMap((a) => [worker(a, 't2'), worker(a, 't1')]);
    while (acked.size < killAt && server.child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    await server.kill(); // requests in flight: some were committed but never acknowledged, which is fine
    stopped = true;
    await Promise.all(workers);
    killAt = acked.size + 15;

    const store = new LabelStore(join(setDir, LABELS_FILE));
    try {
      for (const [key, label] of acked) {
        const [annotator, id] = key.split('\t');
        assert.equal(store.get(annotator, id)?.label, label, `acknowledged label ${key} lost after kill ${round + 1}`);
      }
    } finally {
      store.close();
    }
    t.diagnostic(`kill ${round + 1}: ${acked.size} acknowledged labels, all present`);
  }
  // A restart resumes: the labels count and nobody is served an item they labelled.
  const server = await startAnnotateProcess(['--set', setDir, '--votes', '3']);
  try {
    const api = annotateClient(server.url);
    const progress = (await api.get('/api/progress')).json();
    assert.ok(progress.tasks.t1.labels + progress.tasks.t2.labels >= acked.size);
    for (const a of annotators) {
      const next = await api.next(a, 't2');
      if (next.status === 200) assert.ok(!acked.has(`${a}\t${next.json().id}`), 'a labelled item is not served again');
    }
  } finally {
    await server.stop();
  }
});
