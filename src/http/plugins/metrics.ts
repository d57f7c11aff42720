import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppState } from '../app-state.js';

/**
 * Prometheus metrics on GET /metrics. A registry per app instance, so tests can build many apps.
 * Latency is labelled by route pattern (not raw URL) to keep cardinality bounded.
 */
export interface AppMetrics {
  registry: Registry;
  embedSeconds: Histogram<'model'>;
  alignSteps: Counter<'route'>;
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

export const metricsPlugin = fp(async (app: FastifyInstance, opts: { state: AppState }) => {
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
    help: 'Script steps aligned',
    labelNames: ['route'],
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
  new Gauge({
    name: 'ecomalign_index_texts',
    help: 'Texts in the vector index by kind',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const services = opts.state.services;
      if (!services) return;
      // A remote store that is down must not take /metrics down with it: keep the last values.
      const stats = await services.store.stats().catch(() => undefined);
      if (!stats) return;
      this.set({ kind: 'intention' }, stats.intentions);
      this.set({ kind: 'title' }, stats.titles);
    },
  });
  new Gauge({
    name: 'ecomalign_index_products',
    help: 'Products in the catalog',
    registers: [registry],
    async collect() {
      const services = opts.state.services;
      const stats = await services?.store.stats().catch(() => undefined);
      if (stats) this.set(stats.products);
    },
  });
  new Gauge({
    name: 'ecomalign_index_memory_bytes',
    help: 'Bytes held by the in-process vector indexes and their maps',
    registers: [registry],
    collect() {
      const services = opts.state.services;
      // Only in-process stores hold their index in this process; a remote store (Qdrant) reports nothing here.
      const bytes = services?.store.memoryBytes?.();
      if (bytes !== undefined) this.set(bytes);
    },
  });

  new Gauge({
    name: 'ecomalign_index_backlog',
    help: 'In-process index: committed texts waiting for HNSW (searchable by exact scan meanwhile) and removals waiting to be applied',
    labelNames: ['work'],
    registers: [registry],
    collect() {
      const health = opts.state.services?.store.indexHealth?.();
      if (!health) return;
      this.set({ work: 'texts' }, health.pendingTexts);
      this.set({ work: 'removals' }, health.pendingRemovals);
    },
  });
  new Gauge({
    name: 'ecomalign_index_failures',
    help: 'In-process index: native index calls that failed since start (each is retried; the texts stay searchable)',
    registers: [registry],
    collect() {
      const health = opts.state.services?.store.indexHealth?.();
      if (health) this.set(health.indexFailures);
    },
  });
  new Gauge({
    name: 'ecomalign_index_divergence',
    help: 'In-process index: texts the latest check found missing from the index or unreachable in it (both put back), or extra in it',
    labelNames: ['kind', 'type'],
    registers: [registry],
    collect() {
      const check = opts.state.services?.store.indexHealth?.().lastCheck;
      if (!check) return;
      for (const kind of ['intention', 'title'] as const) {
        this.set({ kind, type: 'missing' }, check.missing[kind]);
        this.set({ kind, type: 'extra' }, check.extra[kind]);
        this.set({ kind, type: 'unreachable' }, check.unreachable[kind]);
      }
    },
  });

  app.decorate('metrics', { registry, embedSeconds, alignSteps, shedRequests, admissionWait, admissionGates });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    latency.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
});
