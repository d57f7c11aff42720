import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Writable, type Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { chunkedJsonStream, objectWithArrayLast } from '../../../src/http/support/chunked-json.js';
import { countLoopTurns } from '../../helpers/loop-turns.js';

async function collect(stream: Readable): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of stream) chunks.push(String(chunk));
  return chunks;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `count` items of about `chars` characters each, counting how many the stream has pulled. */
function countedItems(count: number, chars: number) {
  const pulled = { items: 0, returned: false };
  function* items() {
    try {
      for (let i = 0; i < count; i++) {
        pulled.items++;
        yield { i, text: 'x'.repeat(chars) };
      }
    } finally {
      pulled.returned = true;
    }
  }
  return { items, pulled };
}

describe('chunkedJsonStream', () => {
  it('writes exactly what JSON.stringify writes, key order included', async () => {
    const cases: [Record<string, unknown>, unknown[]][] = [
      [{}, []],
      [{ a: 1 }, []],
      [{}, [1, 'two', null, { three: [3] }]],
      [
        { model: 'm', threshold: null, scoring: { aggregate: 'max' }, tookMs: 1.5 },
        Array.from({ length: 500 }, (_, i) => ({ i, s: `é"\\${i}` })),
      ],
    ];
    for (const [head, items] of cases) {
      const stream = chunkedJsonStream(
        objectWithArrayLast(head, 'results', items, (item) => [JSON.stringify(item)]),
        { chunkChars: 256 },
      );
      const text = (await collect(stream)).join('');
      assert.equal(text, JSON.stringify({ ...head, results: items }));
    }
  });

  it('nests: an array of objects whose own last field is an array', async () => {
    const scripts = [
      { id: 'a', steps: [{ n: 1 }, { n: 2 }] },
      { id: 'b', steps: [] },
    ];
    const pieces = objectWithArrayLast({ v: 1 }, 'results', scripts, ({ steps, ...rest }) =>
      objectWithArrayLast(rest, 'steps', steps, (step) => [JSON.stringify(step)]),
    );
    const text = (await collect(chunkedJsonStream(pieces, { chunkChars: 1 }))).join('');
    assert.equal(text, JSON.stringify({ v: 1, results: scripts }));
  });

  it('cuts the document into chunks of about the budget, each made on its own turn', async () => {
    const { items } = countedItems(400, 100);
    const chunkChars = 4096;
    const stream = chunkedJsonStream(
      objectWithArrayLast({}, 'items', items(), (item) => [JSON.stringify(item)]),
      { chunkChars },
    );
    // A setImmediate ticker stands in for other requests' callbacks: it must run between chunks.
    const loop = countLoopTurns();
    const ticksAtChunk: number[] = [];
    const sizes: number[] = [];
    stream.on('data', (chunk: Buffer) => {
      ticksAtChunk.push(loop.turns);
      sizes.push(chunk.length);
    });
    await once(stream, 'end');
    loop.stop();
    assert.ok(sizes.length > 5, `${sizes.length} chunks`);
    // Every chunk but the last reaches the budget and passes it by less than one item.
    for (const size of sizes.slice(0, -1)) assert.ok(size >= chunkChars && size < chunkChars + 200, `chunk of ${size}`);
    const turnsBetween = ticksAtChunk.at(-1)! - ticksAtChunk[0];
    assert.ok(turnsBetween >= sizes.length - 1, `${turnsBetween} ticker turns ran across ${sizes.length} chunks`);
  });

  it('produces no further than the buffers hold while the consumer does not read', async () => {
    const { items, pulled } = countedItems(10_000, 100);
    const chunkChars = 4096;
    const stream = chunkedJsonStream(
      objectWithArrayLast({}, 'items', items(), (item) => [JSON.stringify(item)]),
      { chunkChars },
    );
    // A client that accepts the first write and never acknowledges it (a socket nobody reads).
    const stuck = new Writable({ highWaterMark: 16 * 1024, write: () => {} });
    stream.pipe(stuck);
    for (let i = 0; i < 200; i++) await turn();
    const itemChars = JSON.stringify({ i: 9999, text: 'x'.repeat(100) }).length + 1;
    // The readable's and the writable's buffers, plus the chunk in hand and the one being made.
    const bound = stream.readableHighWaterMark + stuck.writableHighWaterMark + 2 * chunkChars;
    assert.ok(pulled.items > 0, 'it started');
    assert.ok(pulled.items * itemChars <= bound, `${pulled.items} items (${pulled.items * itemChars} chars) made, bound ${bound}`);
    stream.destroy();
    assert.ok(pulled.returned, 'destroying the stream closed the item generator');
  });

  it('stops producing and lets go of the document when destroyed mid-stream', async () => {
    const { items, pulled } = countedItems(10_000, 100);
    const stream = chunkedJsonStream(
      objectWithArrayLast({}, 'items', items(), (item) => [JSON.stringify(item)]),
      { chunkChars: 4096 },
    );
    const errors: unknown[] = [];
    stream.on('error', (err) => errors.push(err));
    await once(stream, 'data');
    const pulledAtDestroy = pulled.items;
    stream.destroy();
    for (let i = 0; i < 20; i++) await turn();
    assert.equal(pulled.items, pulledAtDestroy);
    assert.ok(pulled.returned);
    assert.deepEqual(errors, []);
  });

  it('ends with the error a piece throws', async () => {
    function* pieces() {
      yield '{"a":[';
      throw new Error('bad element');
    }
    await assert.rejects(collect(chunkedJsonStream(pieces())), /bad element/);
  });

  it('defers every chunk through the given scheduler', async () => {
    let deferred = 0;
    const stream = chunkedJsonStream(
      objectWithArrayLast({}, 'a', [1, 2, 3], (n) => [String(n)]),
      {
        chunkChars: 1,
        defer: (fn) => {
          deferred++;
          const handle = setImmediate(fn);
          return () => clearImmediate(handle);
        },
      },
    );
    const chunks = await collect(stream);
    assert.equal(chunks.join(''), '{"a":[1,2,3]}');
    assert.ok(deferred >= chunks.length, `${deferred} deferrals for ${chunks.length} chunks`);
  });
});
