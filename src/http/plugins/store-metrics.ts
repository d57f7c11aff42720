import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';

/**
 * The store's gauges on /metrics: catalog and index sizes, the in-process index's backlog,
 * failures and latest check, and the data volume's free bytes and whether it takes writes. Read from the served services at each scrape; before the services
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
    // The data volume: alert on free bytes before writes are refused, and on writes_accepted 0.
    new Gauge({
      name: 'ecomalign_storage_free_bytes',
      help: 'Bytes this process may still write on the data volume (DATA_DIR)',
      registers,
      async collect() {
        const status = await app.services.loaded?.storage?.status();
        if (status?.freeBytes !== undefined) this.set(status.freeBytes);
      },
    });
    new Gauge({
      name: 'ecomalign_storage_writes_accepted',
      help: '1 while catalog writes are accepted, 0 while the data volume refuses them (full, read-only or below STORAGE_MIN_FREE_BYTES)',
      registers,
      async collect() {
        const status = await app.services.loaded?.storage?.status();
        if (status) this.set(status.writes === 'accepted' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ecomalign_embedding_cache_failures',
      help: 'Embedding cache operations that failed since start and were skipped (best effort; requests were answered), by op',
      labelNames: ['op'],
      registers,
      async collect() {
        const cache = (await app.services.loaded?.storage?.status())?.cache;
        if (!cache) return;
        this.set({ op: 'write' }, cache.writes);
        this.set({ op: 'read' }, cache.reads);
      },
    });
    new Gauge({
      name: 'ecomalign_embedding_cache_dropped_entries',
      help: 'Embedding cache entries dropped by failed writes since start (recomputed when next asked for)',
      registers,
      async collect() {
        const cache = (await app.services.loaded?.storage?.status())?.cache;
        if (cache) this.set(cache.droppedEntries);
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
