import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { Aligner, type AlignOptions } from '../../../src/align/aligner.js';
import type { Embedder } from '../../../src/core/embedder.js';
import type { VectorStore } from '../../../src/core/vector-store.js';
import { errorHandlerPlugin, routePattern } from '../../../src/http/plugins/error-handler.js';
import { annotateApp, writeCandidateSet } from '../annotate/annotate-fixture.js';
import { API_KEY, build } from '../../helpers/app-fixture.js';
import { tempDir } from '../../helpers/store-fixture.js';

/**
 * Found by schemathesis (unsupported_method, ST204): a method a path does not have got 404 ("No
 * route for TRACE /healthz"), and QUERY, a method with a body, got 400 for its missing
 * Content-Type before routing. RFC 9110: 405 with an Allow header naming the methods the path has.
 */
describe('405 for a method the path does not have', () => {
  it('turns a route URL into a path pattern (params are one segment, * anything)', () => {
    assert.ok(routePattern('/products/:id').test('/products/abc%2Fdef'));
    assert.ok(!routePattern('/products/:id').test('/products/a/b'));
    assert.ok(!routePattern('/products/:id').test('/products/'));
    assert.ok(routePattern('/docs/*').test('/docs/static/index.html'));
    assert.ok(routePattern('/a.b').test('/a.b') && !routePattern('/a.b').test('/aXb'), 'dots are literal');
  });

  it('service: 405 + Allow for TRACE, QUERY, PUT on known paths; 404 for unknown paths', async (t) => {
    const app = await build(t, { env: { API_KEY } });
    const cases: [string, string, string[]][] = [
      ['TRACE', '/healthz', ['GET', 'HEAD']],
      ['QUERY', '/products/0', ['GET', 'HEAD', 'DELETE']],
      ['PUT', '/products/abc', ['GET', 'HEAD', 'DELETE']],
      ['GET', '/align', ['POST']],
      ['DELETE', '/align/batch', ['POST']],
    ];
    for (const [method, url, allowed] of cases) {
      const res = await app.inject({ method: method as 'GET', url });
      assert.equal(res.statusCode, 405, `${method} ${url}: ${res.body}`);
      assert.deepEqual(String(res.headers.allow).split(', ').sort(), [...allowed].sort(), `${method} ${url}`);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      assert.equal(res.json().status, 405);
    }
    const unknown = await app.inject({ method: 'GET', url: '/nope' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.headers.allow, undefined);
    // The routes themselves are untouched.
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.equal((await app.inject({ method: 'HEAD', url: '/healthz' })).statusCode, 200);
  });

  it('annotation app: the same', async (t) => {
    const { dir, cleanup } = tempDir('ecomalign-405-');
    writeCandidateSet(dir);
    const fixture = await annotateApp(dir);
    t.after(async () => {
      await fixture.close();
      cleanup();
    });
    const { app } = fixture;
    const trace = await app.inject({ method: 'TRACE', url: '/api/progress' });
    assert.equal(trace.statusCode, 405);
    assert.deepEqual(String(trace.headers.allow).split(', ').sort(), ['GET', 'HEAD']);
    const get = await app.inject({ method: 'GET', url: '/api/labels' });
    assert.equal(get.statusCode, 405);
    assert.equal(get.headers.allow, 'POST');
    assert.equal((await app.inject({ method: 'GET', url: '/api/nothing' })).statusCode, 404);
  });
});

/**
 * The Aligner refuses option pairs the schema's refinement also refuses (a threshold with rank
 * fusion). The refinement answers first on /align, so this reaches the error handler's own branch
 * with a route that skips the refinement: without the branch it was a 500.
 */
describe('AlignOptionsError', () => {
  it('is a 400 problem naming the field, from the real Aligner, before any embedding or search', async () => {
    const untouched = (what: string) => () => assert.fail(`${what} must not be reached: the options are refused first`);
    const embedder = { id: 'refusing', dimension: 2, defaultThreshold: 0.45, embed: untouched('embed') } as unknown as Embedder;
    const store = { search: untouched('search') } as unknown as VectorStore;
    const aligner = new Aligner(embedder, store);
    const app = Fastify();
    await app.register(errorHandlerPlugin);
    app.post('/align-unchecked', async (request) => aligner.align([{ steps: ['light the grill'] }], request.body as AlignOptions));
    const res = await app.inject({
      method: 'POST',
      url: '/align-unchecked',
      payload: { k: 5, threshold: 0.5, scoring: { retrieval: 'hybrid', fusion: 'rrf' } },
    });
    await app.close();
    assert.equal(res.statusCode, 400, res.body);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const body = res.json<{ status: number; detail: string; errors: { field: string; message: string }[] }>();
    assert.equal(body.status, 400);
    assert.equal(body.errors[0].field, 'body.threshold');
    assert.match(body.detail, /rrf/);
  });
});
