import http from 'node:http';

/**
 * One POST /align/batch as a builder client sends it, black-box: the latency runs to the last byte
 * of the body, however it arrives (one buffer, or chunked/streamed as a server that streams large
 * answers sends it; either way it must be one JSON document). The shape check runs after the clock
 * stops, so parsing a ~23 MB answer is not counted as server time.
 */

export type ShapeCheck =
  /** Parse the body and check results × steps (what a builder needs from the answer). */
  | { kind: 'parse'; scripts: number; stepsPerScript: number }
  /** Do not parse (64 clients × ~23 MB would measure this process): check only that a whole object came back. */
  | { kind: 'ends' };

export interface BatchAnswer {
  /** HTTP status, or 0 for a transport error or timeout. */
  status: number;
  /** What went wrong when status is 0 ("timeout", "ECONNRESET", ...). */
  error?: string;
  /** From the send to the end of the body, ms. */
  latencyMs: number;
  bytes: number;
  /** Retry-After of a 503, in seconds (undefined when absent or not a number of seconds). */
  retryAfterS?: number;
  /** Why a 200's body is not the answer asked for; undefined when it is (or the status is not 200). */
  shapeError?: string;
  /** Products in a parsed 200 answer, all steps together. */
  products?: number;
  /** The start of a non-200 body, for error messages. */
  excerpt?: string;
}

export function postBatch(agent: http.Agent, url: URL, body: string, check: ShapeCheck, timeoutMs: number): Promise<BatchAnswer> {
  const sent = performance.now();
  return new Promise((resolve) => {
    const fail = (err: NodeJS.ErrnoException) =>
      resolve({ status: 0, error: err.code ?? err.message, latencyMs: performance.now() - sent, bytes: 0 });
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/align/batch',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          // Only what the check needs: the whole body to parse, else the last chunk (for the closing brace).
          if (check.kind === 'parse' || res.statusCode !== 200) chunks.push(chunk);
          else chunks.splice(0, chunks.length, chunk);
        });
        res.on('error', fail);
        res.on('end', () => {
          const latencyMs = performance.now() - sent;
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          const retryAfter = Number(res.headers['retry-after']);
          resolve({
            status,
            latencyMs,
            bytes,
            retryAfterS: Number.isFinite(retryAfter) ? retryAfter : undefined,
            ...(status === 200 ? checkShape(text, check) : { excerpt: text.slice(0, 300) }),
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end(body);
  });
}

function checkShape(text: string, check: ShapeCheck): { shapeError?: string; products?: number } {
  if (check.kind === 'ends') return text.trimEnd().endsWith('}') ? {} : { shapeError: 'the body does not end with "}"' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { shapeError: `not one JSON document: ${(err as Error).message}` };
  }
  const results = (parsed as { results?: unknown }).results;
  if (!Array.isArray(results)) return { shapeError: 'no results array' };
  if (results.length !== check.scripts) return { shapeError: `results has ${results.length} entries, not ${check.scripts}` };
  let products = 0;
  for (const [i, r] of results.entries()) {
    const steps = (r as { steps?: unknown }).steps;
    if (!Array.isArray(steps) || steps.length !== check.stepsPerScript)
      return { shapeError: `results[${i}].steps has ${Array.isArray(steps) ? steps.length : 'no'} entries, not ${check.stepsPerScript}` };
    for (const step of steps as { products?: unknown }[]) products += Array.isArray(step.products) ? step.products.length : 0;
  }
  return { products };
}
