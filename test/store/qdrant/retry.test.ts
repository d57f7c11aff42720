import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QdrantClientResourceExhaustedError, QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import {
  DEFAULT_RETRY,
  QdrantRequestError,
  backoffMs,
  classifyFailure,
  withRetry,
  type RetryPolicy,
} from '../../../src/store/qdrant/retry.js';
import { instantRetries } from './qdrant-fixture.js';
import { ServiceUnavailableError, StoreUnavailableError } from '../../../src/core/errors.js';

/** What the client throws for a non-2xx answer: an ApiError with status and Qdrant's JSON body. */
function httpError(status: number, error = `status ${status}`) {
  return Object.assign(new Error(`HTTP ${status}`), { status, data: { status: { error } }, headers: new Headers() });
}

function connectionRefused() {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6333'), { code: 'ECONNREFUSED' }),
  });
}

const policy: RetryPolicy = { ...DEFAULT_RETRY, budgetMs: 5_000 };

/** An operation that fails with the given errors, then succeeds. */
function flaky(errors: unknown[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    op: async () => {
      calls++;
      if (calls <= errors.length) throw errors[calls - 1];
      return 'ok';
    },
  };
}

describe('Qdrant retry policy', () => {
  it('classifies connection errors, timeouts, 5xx and 429 as transient, other 4xx as permanent', () => {
    assert.equal(classifyFailure(connectionRefused()).kind, 'transient');
    assert.match(classifyFailure(connectionRefused()).detail, /ECONNREFUSED/);
    assert.equal(classifyFailure(new QdrantClientTimeoutError('aborted')).kind, 'transient');
    for (const status of [500, 502, 503, 504, 429]) assert.equal(classifyFailure(httpError(status)).kind, 'transient', String(status));
    for (const status of [400, 401, 403, 404, 409, 422]) assert.equal(classifyFailure(httpError(status)).kind, 'permanent', String(status));
    assert.equal(classifyFailure(new Error('a bug of ours')).kind, 'permanent');
    assert.equal(classifyFailure(httpError(400, 'Wrong input: bad vector')).detail, 'Wrong input: bad vector');
  });

  it('backs off exponentially up to a cap, with jitter in the upper half', () => {
    // [retry, random(), expected ms]: the cap doubles from 100 ms; the delay is in [cap/2, cap].
    const cases: [number, number, number, string?][] = [
      [1, 0, 50],
      [1, 1, 100],
      [3, 0, 200],
      [3, 1, 400],
      [10, 1, 1_000, 'capped'],
    ];
    for (const [retry, random, expected, why] of cases) {
      assert.equal(
        backoffMs(retry, policy, () => random),
        expected,
        why ?? `retry ${retry}, random ${random}`,
      );
    }
    assert.ok(backoffMs(2, policy, () => 0.3) > backoffMs(1, policy, () => 0.3));
  });

  it('retries 5xx and connection errors, then succeeds', async () => {
    const deps = instantRetries();
    const f = flaky([httpError(503), connectionRefused(), httpError(502)]);
    assert.equal(await withRetry('search', f.op, policy, deps), 'ok');
    assert.equal(f.calls, 4);
    assert.deepEqual(deps.sleeps, [75, 150, 300]);
  });

  it('does not retry a 4xx and says what Qdrant said', async () => {
    const deps = instantRetries();
    const f = flaky([httpError(400, 'Wrong input: Vector dimension error')]);
    await assert.rejects(withRetry('upsert', f.op, policy, deps), (err: Error) => {
      assert.ok(err instanceof QdrantRequestError);
      assert.equal(err.status, 400);
      assert.match(err.message, /upsert.*400.*Vector dimension error/);
      return true;
    });
    assert.equal(f.calls, 1);
    assert.deepEqual(deps.sleeps, []);
  });

  it('names QDRANT_API_KEY when Qdrant refuses the credentials', async () => {
    await assert.rejects(withRetry('search', flaky([httpError(403)]).op, policy, instantRetries()), /QDRANT_API_KEY/);
  });

  it('gives up after a bounded number of attempts with StoreUnavailableError and a Retry-After', async () => {
    const deps = instantRetries();
    const f = flaky(Array.from({ length: 10 }, () => connectionRefused()));
    await assert.rejects(withRetry('search', f.op, policy, deps), (err: Error) => {
      assert.ok(err instanceof StoreUnavailableError);
      assert.equal(err.retryAfterSeconds, 5);
      assert.ok(err instanceof ServiceUnavailableError, 'the HTTP layer answers it 503 by its class');
      assert.match(err.message, /search failed after 4 attempt/);
      assert.doesNotMatch(err.message, /127\.0\.0\.1/, 'the message reaches clients: no addresses');
      return true;
    });
    assert.equal(f.calls, policy.attempts);
  });

  it('stops retrying when the time budget is spent (slow failures do not multiply the wait)', async () => {
    const deps = instantRetries();
    let calls = 0;
    const slowFailure = async () => {
      calls++;
      await deps.sleep(960); // the attempt burns nearly the whole budget before timing out
      throw new QdrantClientTimeoutError('timed out');
    };
    await assert.rejects(withRetry('search', slowFailure, { ...policy, budgetMs: 1_000 }, deps), StoreUnavailableError);
    assert.equal(calls, 1);
  });

  it("honours Qdrant's Retry-After on 429 in the wait and in the answer to clients", async () => {
    const deps = instantRetries();
    const limited = new QdrantClientResourceExhaustedError('rate limited', '8');
    await assert.rejects(withRetry('search', flaky([limited, limited]).op, { ...policy, budgetMs: 5_000 }, deps), (err: Error) => {
      assert.ok(err instanceof StoreUnavailableError);
      assert.equal(err.retryAfterSeconds, 8);
      return true;
    });
    assert.deepEqual(deps.sleeps, [], 'an 8 s wait does not fit a 5 s budget: give up at once');
  });
});
