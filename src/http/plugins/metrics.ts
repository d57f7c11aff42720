import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ServiceUnavailableError, StorageFullError } from '../../core/errors.js';
import { logDestinationStats } from '../../util/log-destination.js';

/**
 * Prometheus metrics on GET /metrics. A registry per app instance, so tests can build many apps.
 * Latency is labelled by route pattern (not raw URL) to keep cardinality bounded.
 */
export interface AppMetrics {
  registry: Registry;
  embedSeconds: Histogram<'model'>;
  /** By route and scoring (aggregate, retrieval), so operators see which scorings are used and what they cost. */
  alignSteps: Counter<'route' | 'aggregate' | 'retrieval'>;
  /** Requests refused to protect the process (load shedding, full embedding queue, admission); `class` only for admission. */
  shedRequests: Counter<'reason' | 'class'>;
  /** Time admitted requests waited for their admission gate (queueing delay), by class. */
  admissionWait: Histogram<'class'>;
  /** Admission gates by class, read at each scrape for the in-flight and queued gauges. */
  admissionGates: Map<string, () => { inFlight: number; queued: number }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: AppMetrics;
  }
}

export const metricsPlugin = fp(
  async (app: FastifyInstance) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'ecomalign_' });
    const latency = new Histogram({
      name: 'ecomalign_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const embedSeconds = new Histogram({
      name: 'ecomalign_embedding_batch_duration_seconds',
      help: 'Time to embed one batch of texts',
      labelNames: ['model'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    const alignSteps = new Counter({
      name: 'ecomalign_aligned_steps_total',
      help: 'Script steps aligned, by route, aggregation and retrieval',
      labelNames: ['route', 'aggregate', 'retrieval'],
      registers: [registry],
    });
    const shedRequests = new Counter({
      name: 'ecomalign_shed_requests_total',
      help: 'Requests answered 503 to protect the process, by reason (and admission class)',
      labelNames: ['reason', 'class'],
      registers: [registry],
    });
    const admissionWait = new Histogram({
      name: 'ecomalign_admission_wait_seconds',
      help: 'Time admitted requests waited in the admission queue (0 when a slot was free), by class',
      labelNames: ['class'],
      // Around the CoDel target (10 ms) and interval (100 ms) defaults.
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    });
    const refusedWrites = new Counter({
      name: 'ecomalign_storage_refused_writes_total',
      help: 'Writes answered 507 because the data volume could not take them, by reason (full, read-only, below-floor)',
      labelNames: ['reason'],
      registers: [registry],
    });
    new Gauge({
      name: 'ecomalign_log_lines_dropped',
      help: 'Log lines dropped since start because stdout was full, failing or not read (the server never waits for its log)',
      registers: [registry],
      collect() {
        this.set(logDestinationStats().reduce((n, s) => n + s.dropped, 0));
      },
    });
    const admissionGates = new Map<string, () => { inFlight: number; queued: number }>();
    new Gauge({
      name: 'ecomalign_admission_in_flight',
      help: 'Requests admitted and not yet answered, by admission class',
      labelNames: ['class'],
      registers: [registry],
      collect() {
        for (const [cls, stats] of admissionGates) this.set({ class: cls }, stats().inFlight);
      },
    });
    new Gauge({
      name: 'ecomalign_admission_queued',
      help: 'Requests waiting for admission, by admission class',
      labelNames: ['class'],
      registers: [registry],
      collect() {
        for (const [cls, stats] of admissionGates) this.set({ class: cls }, stats().queued);
      },
    });
    app.decorate('metrics', { registry, embedSeconds, alignSteps, shedRequests, admissionWait, admissionGates });

    // Our own refusals (overload, a backend that is down) count as shed requests wherever they are
    // thrown, and writes the volume refused as refused writes; the error handler (error-handler.ts) answers them, and needs no metrics to do so.
    app.addHook('onError', async (_request, _reply, error) => {
      if (error instanceof ServiceUnavailableError) shedRequests.inc({ reason: error.name });
      else if (error instanceof StorageFullError) refusedWrites.inc({ reason: error.reason });
    });

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      latency.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });

    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);
