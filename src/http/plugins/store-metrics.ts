import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';

/**
 * The store's gauges on /metrics: catalog and index sizes, and the in-process index's backlog,
 * failures and latest check. Read from the served services at each scrape; before the services
 * are served they report nothing.
 */
export const storeMetricsPlugin = fp(
  async (app: FastifyInstance) => {
    const registers = [app.metrics.registry];
    new Gauge({
      name: 'ecomalign_index_texts',
      help: 'Texts in the vector index by kind',
      labelNames: ['kind'],
      registers,
      async collect() {
        const services = app.services.loaded;
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
      registers,
      async collect() {
        const services = app.services.loaded;
        const stats = await services?.store.stats().catch(() => undefined);
        if (stats) this.set(stats.products);
      },
    });
    new Gauge({
      name: 'ecomalign_index_memory_bytes',
      help: 'Bytes held by the in-process vector indexes and their maps',
      registers,
      collect() {
        const services = app.services.loaded;
        // Only in-process stores hold their index in this process; a remote store (Qdrant) reports nothing here.
        const bytes = services?.store.memoryBytes?.();
        if (bytes !== undefined) this.set(bytes);
      },
    });
    new Gauge({
      name: 'ecomalign_index_backlog',
      help: 'In-process index: committed texts waiting for HNSW (searchable by exact scan meanwhile) and removals waiting to be applied',
      labelNames: ['work'],
      registers,
      collect() {
        const health = app.services.loaded?.store.indexHealth?.();
        if (!health) return;
        this.set({ work: 'texts' }, health.pendingTexts);
        this.set({ work: 'removals' }, health.pendingRemovals);
      },
    });
    new Gauge({
      name: 'ecomalign_index_failures',
      help: 'In-process index: native index calls that failed since start (each is retried; the texts stay searchable)',
      registers,
      collect() {
        const health = app.services.loaded?.store.indexHealth?.();
        if (health) this.set(health.indexFailures);
      },
    });
    new Gauge({
      name: 'ecomalign_index_divergence',
      help: 'In-process index: texts the latest check found missing from the index or unreachable in it (both put back), or extra in it',
      labelNames: ['kind', 'type'],
      registers,
      collect() {
        const check = app.services.loaded?.store.indexHealth?.().lastCheck;
        if (!check) return;
        for (const kind of ['intention', 'title'] as const) {
          this.set({ kind, type: 'missing' }, check.missing[kind]);
          this.set({ kind, type: 'extra' }, check.extra[kind]);
          this.set({ kind, type: 'unreachable' }, check.unreachable[kind]);
        }
      },
    });
  },
  { name: 'store-metrics', dependencies: ['metrics', 'services'] },
);
