import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { condense, renderProfileReport } from '../../../loadtests/k6/report.js';
import type { SummaryExport } from '../../../loadtests/k6/k6.js';

/** A k6 summary export as k6 v1.8 writes it (--summary-export), cut down to the metrics the report reads. */
const EXPORT: SummaryExport = {
  metrics: {
    http_reqs: { count: 5669, rate: 172.7 },
    'http_reqs{scenario:align1}': { count: 2835, rate: 86, thresholds: { 'count>0': false } },
    http_req_failed: { passes: 0, fails: 5669, value: 0, thresholds: { 'rate<=0.001': false } },
    ecomalign_shed: { passes: 101, fails: 5568, value: 0.0178, thresholds: { 'rate==0': true } },
    ecomalign_server_errors: { count: 0, rate: 0, thresholds: { 'count==0': false } },
    ecomalign_served_duration: { avg: 30, min: 0.4, med: 16.7, 'p(90)': 120, 'p(95)': 138.71, 'p(99)': 165.8, max: 200.6 },
    'ecomalign_served_duration{scenario:align1}': {
      avg: 40,
      min: 1,
      med: 25.9,
      'p(90)': 130,
      'p(95)': 140.4,
      'p(99)': 166.1,
      max: 200.6,
      thresholds: { 'p(99)<100': true, 'p(95)<50': true },
    },
  },
};

describe('k6 profile report', () => {
  it('condenses the summary export: totals, shares, served latency per scenario, every threshold', () => {
    const f = condense(EXPORT);
    assert.equal(f.requests, 5669);
    assert.equal(f.shedShare, 0.0178);
    assert.equal(f.failedShare, 0);
    assert.equal(f.droppedIterations, 0, 'no dropped_iterations metric: k6 dropped none');
    assert.deepEqual(f.served.all, { med: 16.7, p95: 138.7, p99: 165.8, max: 200.6 });
    assert.deepEqual(f.served.align1, { med: 25.9, p95: 140.4, p99: 166.1, max: 200.6 });
    assert.deepEqual(f.served.productsWrite, { med: undefined, p95: undefined, p99: undefined, max: undefined });
    assert.equal(f.sent.align1, 2835);
    // k6's export says `true` for a threshold that was crossed.
    const byName = Object.fromEntries(f.thresholds.map((t) => [`${t.metric} ${t.expression}`, t]));
    assert.equal(byName['ecomalign_shed rate==0'].passed, false);
    assert.equal(byName['ecomalign_shed rate==0'].value, 'rate=1.78 %');
    assert.equal(byName['ecomalign_served_duration{scenario:align1} p(95)<50'].value, 'p(95)=140.4 ms');
    assert.equal(byName['http_req_failed rate<=0.001'].passed, true);
    assert.equal(byName['ecomalign_server_errors count==0'].value, 'count=0');
    assert.equal(f.thresholds.length, 6);
  });

  it('renders the verdict from k6 exit code and marks crossed thresholds', () => {
    const md = renderProfileReport(condense(EXPORT), {
      profile: 'load',
      baseRate: 199,
      durationS: 33,
      scaleNote: 'scaled from 330 s',
      target: 'test',
      k6Version: 'k6 v1.8.1',
      exitCode: 99,
      wallS: 38.3,
      date: '2026-12-05 05:51 UTC',
      command: 'npm run k6 -- load --base-rate 199',
    });
    assert.match(md, /^# k6 load profile/);
    assert.match(md, /\*\*THRESHOLDS CROSSED\*\* \(k6 exit 99\)/);
    assert.match(md, /\| `ecomalign_shed` \| `rate==0` \| rate=1\.78 % \| \*\*NO\*\* \|/);
    assert.match(md, /\| align1 \| 50 % \| 2835 \| 25\.9 \| 140\.4 \| 166\.1 \| 200\.6 \|/);
    assert.match(md, /\| productsWrite \| 1 % \| 0 \| n\/a \|/);
  });
});
