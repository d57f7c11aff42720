import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Aligner } from '../../align/aligner.js';
import type { CatalogService } from '../../catalog/catalog-service.js';
import type { Embedder, ModelInfo } from '../../core/embedder.js';
import { RETRY_AFTER_SECONDS, ServiceUnavailableError } from '../../core/errors.js';
import type { StorageHealth } from '../../core/storage.js';
import type { VectorStore } from '../../core/vector-store.js';
import { sendProblem } from '../support/problem.js';

/**
 * The use cases and adapters the HTTP layer serves from. The composition root (services.ts) builds
 * them; HTTP names only their ports, so it does not depend on how they are wired.
 */
export interface ServedServices {
  embedder: Embedder;
  /** The model behind `embedder` (id, variant, manifest check), shown by /readyz; absent in hand-built test services. */
  model?: ModelInfo;
  store: VectorStore;
  aligner: Aligner;
  catalog: CatalogService;
  /** The data volume, shown by /readyz and /metrics; absent in hand-built test services. */
  storage?: StorageHealth;
  /** Routes the duration of every embedding batch to `observe` (metrics); replaces any earlier one. */
  setEmbeddingObserver(observe: (seconds: number, texts: number, model: string) => void): void;
  close(): Promise<void>;
}

/**
 * The services behind a readiness gate. The server listens before the model has loaded (loading a
 * model takes seconds), so services arrive later; until then /readyz says "starting" (or why
 * start-up failed) and the API answers 503 with Retry-After.
 */
export interface ServicesGate {
  /** The services once served, else undefined: for probes and gauges, which report rather than refuse. */
  readonly loaded: ServedServices | undefined;
  /** Why start-up failed for good, if it did. */
  readonly failure: string | undefined;
  /** The services; a ServiceUnavailableError (503 + Retry-After) before they are served. */
  get(): ServedServices;
  /** Starts serving `services` (replacing any served before). Whoever loaded them closes them. */
  serve(services: ServedServices): void;
  /** Records that start-up failed for good; /readyz and the API say so. */
  fail(reason: string): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: ServicesGate;
  }
}

export interface ServicesPluginOptions {
  /** Served from the start (a caller that has them already); otherwise serve() them once loaded. */
  services?: ServedServices;
}

export const servicesPlugin = fp(
  async (app: FastifyInstance, opts: ServicesPluginOptions) => {
    let loaded = opts.services;
    let failure: string | undefined;
    const gate: ServicesGate = {
      get loaded() {
        return loaded;
      },
      get failure() {
        return failure;
      },
      get() {
        if (!loaded) throw new ServiceUnavailableError(notServingDetail(failure), RETRY_AFTER_SECONDS.unavailable);
        return loaded;
      },
      serve(services) {
        loaded = services;
      },
      fail(reason) {
        failure = reason;
      },
    };
    app.decorate('services', gate);
  },
  { name: 'services' },
);

/**
 * onRequest hook for routes that need the services: until they are served it answers 503 with
 * Retry-After at once, before the body is read, instead of letting the request wait on a model
 * that is still loading.
 */
export async function requireServices(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const gate = request.server.services;
  if (gate.loaded) return undefined;
  reply.header('Retry-After', String(RETRY_AFTER_SECONDS.unavailable));
  return sendProblem(reply, 503, notServingDetail(gate.failure));
}

function notServingDetail(failure: string | undefined): string {
  return failure ?? 'The service is starting: the model and the store are loading.';
}
