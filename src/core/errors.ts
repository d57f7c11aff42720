/**
 * Errors every layer may throw and the HTTP layer maps by class (error-handler.ts), so no domain
 * or adapter module needs to know about status codes.
 */

/**
 * How long a refused client is told to wait, by cause. One table so that the 503s of the admission
 * gate, the embedding queue, heap pressure and an unreachable store stay consistent.
 */
export const RETRY_AFTER_SECONDS = {
  /** Queues are full or waits too long: they drain within a second at the rates we measured. */
  overloaded: 1,
  /** The heap is over its limit: the garbage collector needs a little longer to bring it down. */
  memoryPressure: 2,
  /** Starting, shutting down or a backend that is down: these take seconds to clear. */
  unavailable: 5,
} as const;

/**
 * A condition of the service, not a bug and not the client's fault: the request was refused
 * (overload) or cannot be served now (a backend is down). It clears by itself; clients retry after
 * `retryAfterSeconds`. HTTP answers 503 with that Retry-After.
 */
export class ServiceUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number = RETRY_AFTER_SECONDS.unavailable,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ServiceUnavailableError';
  }
}

/** Why storage refused a write: the volume is full (or over quota), read-only, or below the configured free-space floor. */
export type StorageRefusalReason = 'full' | 'read-only' | 'below-floor';

/**
 * The data volume cannot take a write: it is full, over quota or read-only (SQLITE_FULL, ENOSPC,
 * EDQUOT, SQLITE_READONLY, EROFS), or below the free-space floor the operator set. Nothing of the
 * write was stored. Not the client's fault and not overload: it lasts until an operator frees
 * space, so HTTP answers 507 Insufficient Storage (no Retry-After) while reads keep working.
 */
export class StorageFullError extends Error {
  constructor(
    message: string,
    readonly reason: StorageRefusalReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageFullError';
  }
}

/** Thrown for a combination of options that cannot be honoured (the HTTP layer answers 400 naming `field`). */
export class AlignOptionsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'AlignOptionsError';
  }
}

/**
 * Thrown when a store cannot serve a retrieval the request asked for because of how it was
 * deployed (a Qdrant collection made without its BM25 index). Not the client's mistake and not
 * transient: the HTTP layer answers 501 naming `field`, and other retrievals keep working.
 */
export class UnsupportedRetrievalError extends Error {
  readonly field: string;
  constructor(message: string, field = 'retrieval') {
    super(message);
    this.name = 'UnsupportedRetrievalError';
    this.field = field;
  }
}

/** Thrown when a store was built with another embedding model or dimension than the active one. */
export class ModelMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelMismatchError';
  }
}

/**
 * Thrown when the store cannot be reached or answers with server errors after retries. The HTTP
 * layer answers 503 with `Retry-After: retryAfterSeconds`; it is a condition of the backend, not a
 * bug, and clears by itself when the backend returns.
 */
export class StoreUnavailableError extends ServiceUnavailableError {
  constructor(message: string, retryAfterSeconds?: number, options?: { cause?: unknown }) {
    super(message, retryAfterSeconds, options);
    this.name = 'StoreUnavailableError';
  }
}
