import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderAnnotateOpenApi, renderOpenApi } from '../../../support/openapi-documents.js';
import { API_KEY, build } from '../../helpers/app-fixture.js';

/**
 * Found by schemathesis (content_type_conformance, ST105): error answers are sent as
 * application/problem+json, but the documents said application/json. Every documented problem
 * response now states the media type the server sends.
 */
describe('problem responses in the OpenAPI documents', () => {
  for (const [name, render] of [
    ['service', renderOpenApi],
    ['annotate', renderAnnotateOpenApi],
  ] as const) {
    it(`${name}: every 4xx/5xx problem is documented as application/problem+json`, async () => {
      const doc = JSON.parse(await render());
      let problems = 0;
      for (const [path, operations] of Object.entries<Record<string, { responses: Record<string, { content?: object }> }>>(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          for (const [status, response] of Object.entries(operation.responses)) {
            if (Number(status) < 400) continue;
            // /readyz answers 503 with its readiness body while starting, not with a problem.
            if (path === '/readyz') continue;
            assert.deepEqual(
              Object.keys(response.content ?? {}),
              ['application/problem+json'],
              `${method.toUpperCase()} ${path} ${status}`,
            );
            problems++;
          }
        }
      }
      assert.ok(problems >= 20, `${problems} problem responses checked`);
    });
  }

  it('and the server sends what the document says', async (t) => {
    const app = await build(t, { env: { API_KEY } });
    const doc = JSON.parse(await renderOpenApi());
    const documented = Object.keys(doc.paths['/align'].post.responses['400'].content)[0];
    const res = await app.inject({ method: 'POST', url: '/align', payload: [null, null] });
    assert.equal(res.statusCode, 400);
    assert.equal(String(res.headers['content-type']).split(';')[0], documented);
    const unauthorized = await app.inject({ method: 'DELETE', url: '/products/x' });
    assert.equal(unauthorized.statusCode, 401);
    assert.equal(String(unauthorized.headers['content-type']).split(';')[0], 'application/problem+json');
  });
});
