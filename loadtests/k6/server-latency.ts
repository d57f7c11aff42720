/**
 * The server's own view of latency, from its Prometheus histogram: time from when it read a
 * request to when it answered. Compared with the generator's view (from each request's scheduled
 * send time), it tells queueing outside the server's handlers from time spent in them.
 */

const SERIES = /^ecomalign_http_request_duration_seconds_bucket\{([^}]*)\} (\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/;

/** Cumulative counts per bucket bound (seconds) over the 2xx answers of every route. */
export type Buckets = Map<number, number>;

export async function scrapeBuckets(baseUrl: string): Promise<Buckets> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const out: Buckets = new Map();
  for (const line of text.split('\n')) {
    const m = SERIES.exec(line);
    if (!m) continue;
    const labels = m[1];
    if (!/status="2\d\d"/.test(labels)) continue;
    const le = /le="([^"]+)"/.exec(labels)?.[1];
    if (!le) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    out.set(bound, (out.get(bound) ?? 0) + Number(m[2]));
  }
  return out;
}

/** The bucket bound (ms) under which p % of the answers between two scrapes fell. */
export function percentileBetween(before: Buckets, after: Buckets, p: number): number | undefined {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  if (total <= 0) return undefined;
  for (const bound of bounds) {
    const count = (after.get(bound) ?? 0) - (before.get(bound) ?? 0);
    if (count >= (p / 100) * total) return bound * 1000;
  }
  return Infinity;
}
