import { check } from 'k6';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import { PRODUCTS, SCRIPTS, STEPS, pick } from './data.ts';

/** One exported function per traffic kind; the profile's options route each scenario to one. */

const BASE_URL = (__ENV.BASE_URL ?? 'http://localhost:8080').replace(/\/$/, '');
const API_KEY = __ENV.API_KEY;
const JSON_HEADERS = { 'content-type': 'application/json' };

/** Share of requests the service shed with 503 (expected under overload, reported separately). */
export const shed = new Rate('ecomalign_shed');
/** Latency of the 2xx answers only (k6 tags it with the scenario); shed 503s are fast and would flatter it. */
export const served = new Trend('ecomalign_served_duration', true);
/** 5xx answers other than a 503 with Retry-After: a server error is never acceptable, under any load. */
export const serverErrors = new Counter('ecomalign_server_errors');

// 503 is a deliberate answer under overload, not a failure: keep it out of http_req_failed. Every
// request here is valid and names an existing product, so anything but 2xx or 503 is a failure.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 503));

function record(res: http.RefinedResponse<'text'>, name: string): void {
  shed.add(res.status === 503);
  if (res.status >= 200 && res.status < 300) served.add(res.timings.duration);
  if (res.status >= 500 && !(res.status === 503 && res.headers['Retry-After'] !== undefined)) serverErrors.add(1);
  check(res, {
    [`${name}: 2xx or shed`]: (r) => (r.status >= 200 && r.status < 300) || r.status === 503,
    [`${name}: shed responses say when to retry`]: (r) => r.status !== 503 || r.headers['Retry-After'] !== undefined,
  });
}

export function align1(): void {
  const res = http.post(`${BASE_URL}/align`, JSON.stringify({ steps: [pick(STEPS)], k: 5 }), {
    headers: JSON_HEADERS,
    tags: { name: 'POST /align (1 step)' },
  });
  record(res, 'align1');
}

export function align5(): void {
  const script = pick(SCRIPTS);
  const res = http.post(`${BASE_URL}/align`, JSON.stringify({ objective: script.objective, steps: script.steps.slice(0, 5), k: 5 }), {
    headers: JSON_HEADERS,
    tags: { name: 'POST /align (5 steps)' },
  });
  record(res, 'align5');
}

export function alignBatch(): void {
  const scripts = Array.from({ length: 8 }, (_, i) => {
    const s = pick(SCRIPTS);
    return { id: `${s.id}-${i}`, objective: s.objective, steps: s.steps };
  });
  const res = http.post(`${BASE_URL}/align/batch`, JSON.stringify({ scripts, k: 5 }), {
    headers: JSON_HEADERS,
    tags: { name: 'POST /align/batch (8 scripts)' },
  });
  record(res, 'alignBatch');
}

export function productsRead(): void {
  const res = http.get(`${BASE_URL}/products/${encodeURIComponent(pick(PRODUCTS).id)}`, { tags: { name: 'GET /products/:id' } });
  record(res, 'productsRead');
}

export function productsWrite(): void {
  // Re-posting a sample product: the service sees unchanged content and skips re-embedding, so
  // write load does not grow the catalog over a long soak.
  const product = pick(PRODUCTS);
  const headers = API_KEY ? { ...JSON_HEADERS, authorization: `Bearer ${API_KEY}` } : JSON_HEADERS;
  const res = http.post(`${BASE_URL}/products`, JSON.stringify({ products: [product] }), {
    headers,
    tags: { name: 'POST /products' },
  });
  record(res, 'productsWrite');
}
