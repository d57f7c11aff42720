import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fleissKappa } from '../../../src/annotation/agreement.js';
import { tempDir } from '../../helpers/store-fixture.js';
import { annotateApp, HOSTILE_TITLE, SET, writeCandidateSet, type AnnotateFixture } from './annotate-fixture.js';

let dir: string;
let cleanup: () => void;
let ctx: AnnotateFixture;

beforeEach(() => {
  ({ dir, cleanup } = tempDir('ecomalign-annotate-'));
  writeCandidateSet(dir);
});
afterEach(async () => {
  await ctx?.close();
  cleanup();
});

const start = async (options: Parameters<typeof annotateApp>[1] = {}) => (ctx = await annotateApp(dir, options));
const next = (annotator: string, task = 't2') =>
  ctx.app.inject({ method: 'GET', url: `/api/next?${new URLSearchParams({ annotator, task })}` });
const post = (url: string, payload: unknown) => ctx.app.inject({ method: 'POST', url, payload: payload as object });
const label = (annotator: string, id: string, value: 0 | 1) => post('/api/labels', { annotator, id, label: value });

/** Labels every item the annotator is served in a task, answering with `answer(id)`; returns the ids in order. */
async function labelAll(annotator: string, task: string, answer: (id: string) => 0 | 1): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const res = await next(annotator, task);
    if (res.statusCode === 204) return ids;
    assert.equal(res.statusCode, 200, res.body);
    const { id } = res.json();
    ids.push(id);
    assert.equal((await label(annotator, id, answer(id))).statusCode, 200);
  }
}

describe('annotate API: serving items', () => {
  it('shows a T2 item with the whole script, the judged step and the product, and nothing that reveals the silver label', async () => {
    await start();
    const res = await next('ann');
    assert.equal(res.statusCode, 200);
    const item = res.json();
    const record = SET.t2.find((r) => r.id === item.id)!;
    assert.deepEqual(Object.keys(item).sort(), ['id', 'objective', 'product', 'stepIndex', 'steps', 'task']);
    assert.deepEqual(item.steps, SET.t1[0].steps, 'the whole script, from the set');
    assert.equal(item.steps[item.stepIndex], record.step);
    assert.deepEqual(item.product, { title: record.title, category: record.category });
    for (const hidden of ['silverLabel', 'score', 'matchedIntention', 'origin', 'negativeKind', 'rank'])
      assert.ok(!res.body.includes(`"${hidden}"`), hidden);
  });

  it('shows T1 scripts and T3 product sets, one list of products per step', async () => {
    await start();
    const t1 = (await next('ann', 't1')).json();
    assert.deepEqual(Object.keys(t1).sort(), ['id', 'objective', 'steps', 'task']);
    const t3 = (await next('ann', 't3')).json();
    assert.equal(t3.products.length, t3.steps.length);
    assert.deepEqual(t3.products, [[{ title: 'Product 0' }], [{ title: 'Product 1' }], []]);
  });

  it('resumes the item on screen, never shows an item twice, and stops serving an item at its votes', async () => {
    await start({ votes: 2 });
    const first = (await next('ann')).json().id;
    assert.equal((await next('ann')).json().id, first, 'a reload shows the same item again');
    const annIds = [first, ...(await labelAll('ann', 't2', () => 1))].slice(1);
    assert.equal(new Set(annIds).size, SET.t2.length, 'every item once');
    assert.equal((await next('ann')).statusCode, 204);
    // Two annotators give every item its two votes; a third gets nothing.
    assert.equal((await labelAll('bob', 't2', () => 0)).length, SET.t2.length);
    assert.equal((await next('cy')).statusCode, 204);
  });

  it('sends a second annotator to the items the first has started, so items complete', async () => {
    await start({ votes: 2 });
    const ids = await labelAll('ann', 't2', () => 1);
    const bob = (await next('bob')).json().id;
    assert.equal(bob, ids[0], 'the item with a label already comes first');
  });

  it('mixes gold checks in at the gold rate and reports accuracy on them per annotator', async () => {
    await start({ votes: 5, goldRate: 0.5 });
    const gold = new Set(['t2-easy']);
    const ids = await labelAll('ann', 't2', () => 1); // wrong on the gold check (an easy negative)
    assert.deepEqual(
      ids.map((id) => gold.has(id)),
      [false, true, false, false],
      `every second served item is gold at rate 0.5 while gold lasts: ${ids.join(',')}`,
    );
    await labelAll('bob', 't2', (id) => (gold.has(id) ? 0 : 1));
    const progress = (await ctx.app.inject({ method: 'GET', url: '/api/progress' })).json();
    const [ann, bob] = progress.tasks.t2.annotators;
    assert.deepEqual([ann.annotator, ann.goldLabels, ann.goldCorrect, ann.goldAccuracy, ann.positiveShare], ['ann', 1, 0, 0, 1]);
    assert.deepEqual([bob.annotator, bob.goldLabels, bob.goldCorrect, bob.goldAccuracy], ['bob', 1, 1, 1]);
    assert.equal(progress.tasks.t2.goldItems, 1);
    assert.equal(progress.tasks.t1.goldItems, 1, 'the swapped-step script');
    assert.equal(progress.tasks.t3.goldItems, 0);
  });
});

describe('annotate API: labels, skips and undo', () => {
  it('stores a label, replaces it on relabelling, and names the field of every bad request', async () => {
    await start({ votes: 1 });
    assert.deepEqual((await label('ann', 't2-pos', 1)).json(), { annotator: 'ann', id: 't2-pos', task: 't2', label: 1 });
    assert.equal((await label('ann', 't2-pos', 0)).statusCode, 200);
    assert.equal(ctx.service['store'].get('ann', 't2-pos')?.label, 0);
    assert.equal((await ctx.app.inject({ method: 'GET', url: '/api/progress' })).json().tasks.t2.labels, 1, 'replaced, not added');

    const bad = async (payload: unknown, field: string) => {
      const res = await post('/api/labels', payload);
      assert.equal(res.statusCode, 400, res.body);
      assert.ok(
        res.json().errors.some((e: { field: string }) => e.field === field),
        `${field} in ${res.body}`,
      );
    };
    await bad({ annotator: 'ann', id: 't2-pos', label: 2 }, 'body.label');
    await bad({ annotator: 'ann', id: 't2-pos', label: '1' }, 'body.label');
    await bad({ annotator: '  ', id: 't2-pos', label: 1 }, 'body.annotator');
    await bad({ annotator: 'a\u202eb', id: 't2-pos', label: 1 }, 'body.annotator');
    await bad({ annotator: 'ann', id: '', label: 1 }, 'body.id');
    await bad({ annotator: 'ann', id: 't2-pos', label: 1, extra: 1 }, 'body.extra');
    const unknown = await label('ann', 'no-such-item', 1);
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.json().detail, /no-such-item.*body\.id/);
    const badQuery = await ctx.app.inject({ method: 'GET', url: '/api/next?annotator=ann&task=t9' });
    assert.equal(badQuery.statusCode, 400);
    assert.equal(badQuery.json().errors[0].field, 'querystring.task');
  });

  it('skips an item for good and undoes the latest answer, which comes back on screen', async () => {
    await start({ votes: 2 });
    const a = (await next('ann')).json().id;
    assert.equal((await post('/api/skips', { annotator: 'ann', id: a })).statusCode, 200);
    const b = (await next('ann')).json().id;
    assert.notEqual(b, a);
    await label('ann', b, 1);
    const c = (await next('ann')).json().id;

    const undone = await post('/api/undo', { annotator: 'ann', task: 't2' });
    assert.equal(undone.json().id, b, 'the latest answer is undone first');
    assert.equal(ctx.service['store'].get('ann', b)?.label, null, 'its label is gone');
    assert.equal((await next('ann')).json().id, b, 'and it is the item on screen, also after a reload');
    assert.equal((await post('/api/undo', { annotator: 'ann', task: 't2' })).json().id, a, 'then the skip');
    assert.equal((await post('/api/undo', { annotator: 'ann', task: 't2' })).statusCode, 204, 'nothing left to undo');
    await label('ann', a, 0);
    assert.equal((await next('ann')).json().id, b);
    await label('ann', b, 1);
    assert.equal((await next('ann')).json().id, c, 'the item that was on screen before the undo');
  });
});

describe('annotate API: agreement and export', () => {
  /** ann and bob label all T2 items; they disagree on the hard negative only. */
  async function twoAnnotators() {
    await labelAll('ann', 't2', (id) => (id === 't2-pos' || id === 't2-hostile' ? 1 : 0));
    await labelAll('bob', 't2', (id) => (id === 't2-pos' || id === 't2-hostile' || id === 't2-hard' ? 1 : 0));
  }

  it("reports Fleiss' and Cohen's κ over items with at least two labels", async () => {
    await start({ votes: 2 });
    await twoAnnotators();
    await label('cy', 't2-pos', 1); // a third label on one item
    const res = (await ctx.app.inject({ method: 'GET', url: '/api/agreement?task=t2' })).json();
    assert.equal(res.task, 't2');
    assert.equal(res.items, 4);
    assert.equal(res.annotators, 3);
    // [zeros, ones] per item: pos (0,3), hostile (0,2), hard (1,1), easy (2,0)
    assert.equal(
      res.fleissKappa,
      fleissKappa([
        [0, 3],
        [0, 2],
        [1, 1],
        [2, 0],
      ]),
    );
    const annBob = res.pairwiseCohenKappa.find((p: { a: string; b: string }) => p.a === 'ann' && p.b === 'bob');
    assert.equal(annBob.items, 4);
    assert.equal(annBob.kappa, 0.5); // p_o 3/4; p_e = 1/2·3/4 + 1/2·1/4 = 1/2
  });

  it('exports items with enough votes: the record, the majority, votes and agreement; ties left out of JSONL and marked in CSV', async () => {
    await start({ votes: 2 });
    await twoAnnotators();
    await label('cy', 't2-pos', 1);
    const jsonl = await ctx.app.inject({ method: 'GET', url: '/api/export?task=t2&format=jsonl' });
    assert.equal(jsonl.statusCode, 200);
    assert.match(String(jsonl.headers['content-type']), /^application\/x-ndjson/);
    const lines = jsonl.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.id),
      ['t2-pos', 't2-hostile', 't2-easy'],
      'in the set order, the tie (t2-hard) left out',
    );
    const pos = lines[0];
    assert.deepEqual(
      { ...pos, label: undefined, votes: undefined, agreement: undefined },
      { ...SET.t2[0], label: undefined, votes: undefined, agreement: undefined },
    );
    assert.deepEqual([pos.label, pos.votes, pos.agreement], [1, 3, 1]);
    assert.deepEqual(Object.keys(pos).slice(-3), ['label', 'votes', 'agreement']);

    const csv = (await ctx.app.inject({ method: 'GET', url: '/api/export?task=t2&format=csv' })).body;
    const rows = csv.trim().split('\r\n');
    assert.equal(rows[0], [...Object.keys(SET.t2[0]), 'label', 'votes', 'agreement'].join(','));
    assert.equal(rows.length, 5);
    assert.match(
      rows.find((r) => r.startsWith('t2-hard,'))!,
      /,tie,2,0\.5$/,
    );

    const three = (await ctx.app.inject({ method: 'GET', url: '/api/export?task=t2&minVotes=3' })).body.trim().split('\n');
    assert.deepEqual(
      three.map((l) => JSON.parse(l).id),
      ['t2-pos'],
    );
    const bad = await ctx.app.inject({ method: 'GET', url: '/api/export?task=t2&minVotes=0' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().errors[0].field, 'querystring.minVotes');
  });
});

describe('annotate: storage and safety', () => {
  it('resumes after a restart where everyone was, and never writes the set files', async () => {
    const fingerprint = () =>
      Object.fromEntries(
        ['t1.jsonl', 't2.jsonl', 't3.jsonl'].map((f) => [
          f,
          createHash('sha256')
            .update(readFileSync(join(dir, f)))
            .digest('hex'),
        ]),
      );
    const before = fingerprint();
    await start({ votes: 2 });
    await label('ann', 't2-pos', 1);
    const onScreen = (await next('ann')).json().id;
    const progress = (await ctx.app.inject({ method: 'GET', url: '/api/progress' })).json();
    await ctx.close();

    await start({ votes: 2 });
    assert.equal((await next('ann')).json().id, onScreen);
    assert.deepEqual((await ctx.app.inject({ method: 'GET', url: '/api/progress' })).json(), progress);
    assert.deepEqual(fingerprint(), before);
    assert.deepEqual(
      readdirSync(dir)
        .filter((f) => !f.startsWith('labels.sqlite'))
        .sort(),
      ['t1.jsonl', 't2.jsonl', 't3.jsonl'],
    );
  });

  it('escapes the set name in the page and forbids inline script', async () => {
    const hostileDir = join(dir, `<img src=x onerror=alert(1)>&"x"'`);
    mkdirSync(hostileDir);
    writeCandidateSet(hostileDir);
    ctx = await annotateApp(hostileDir);
    const page = await ctx.app.inject({ method: 'GET', url: '/' });
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('<img'), 'the name is not markup');
    assert.match(page.body, /<title>Annotate · &lt;img src=x onerror=alert\(1\)&gt;&amp;&quot;x&quot;&#39;<\/title>/);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    const js = await ctx.app.inject({ method: 'GET', url: '/annotate.js' });
    assert.doesNotMatch(js.body, /innerHTML|insertAdjacentHTML|outerHTML|document\.write/, 'the script never parses text as HTML');
    // The hostile title travels as JSON data only.
    await ctx.app.inject({ method: 'POST', url: '/api/labels', payload: { annotator: 'ann', id: 't2-pos', label: 1 } });
    const item = (await next('ann')).json();
    assert.equal(item.product.title, HOSTILE_TITLE);
  });
});
