import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';

/**
 * What every answer to a hostile request must be, whichever app answers: never a 5xx, no polluted
 * prototype, and an error as an RFC 9457 problem that reveals nothing internal.
 */
export function assertSafeAnswer(request: InjectOptions, res: LightMyRequestResponse): void {
  const url = typeof request.url === 'string' ? request.url : JSON.stringify(request.url);
  assert.ok(res.statusCode < 500, `${request.method} ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
  if (res.statusCode < 400) return;
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  if (request.method === 'HEAD') return; // a HEAD answer has headers only
  const problem = res.json();
  assert.equal(problem.status, res.statusCode);
  assert.equal(typeof problem.title, 'string');
  assert.doesNotMatch(res.body, /node_modules|\/work\/|\bat [^"]*:\d+:\d+|Error: /, 'an error body leaked internals');
}
