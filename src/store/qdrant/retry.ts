import { setTimeout as delay } from 'node:timers/promises';
import { QdrantClientResourceExhaustedError, QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import { RETRY_AFTER_SECONDS, StoreUnavailableError } from '../../core/errors.js';

/**
 * Retries towards Qdrant. Transient failures (the connection refused or reset, a timeout, 5xx, 429)
 * are retried with exponential backoff and jitter inside a time budget; a 4xx is our request's or
 * the configuration's fault and retrying cannot help, so it fails at once. When the transient
 * failures outlast the budget the call fails with StoreUnavailableError (HTTP 503 + Retry-After)
 * instead of hanging. All our writes are idempotent (deterministic point ids, delete by filter), so
 * retrying a write whose response was lost is safe.
 */

export interface RetryPolicy {
  /** Most attempts per call, the first included. */
  attempts: number;
  /** Backoff before retry n (1-based) is in [cap/2, cap] with cap = min(maxDelayMs, baseDelayMs * 2^(n-1)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts after this many ms since the call began (the per-request timeout bounds each attempt). */
  budgetMs: number;
  /** Retry-After reported to API clients when giving up. */
  retryAfterSeconds: number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, 'budgetMs'> = {
  attempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  retryAfterSeconds: RETRY_AFTER_SECONDS.unavailable,
};

/** Clock and randomness, injectable so tests run instantly and deterministically. */
export interface RetryDeps {
  sleep(ms: number): Promise<void>;
  random(): number;
  now(): number;
}

export const realRetryDeps: RetryDeps = { sleep: (ms) => delay(ms), random: Math.random, now: () => performance.now() };

export type FailureKind = 'transient' | 'permanent';

export interface ClassifiedFailure {
  kind: FailureKind;
  /** HTTP status when Qdrant answered. */
  status?: number;
  /** Seconds Qdrant asked us to wait (429). */
  retryAfterS?: number;
  /** Qdrant's own error text when it gave one. */
  detail: string;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

export function classifyFailure(err: unknown): ClassifiedFailure {
  if (err instanceof QdrantClientTimeoutError) return { kind: 'transient', detail: 'request timed out' };
  if (err instanceof QdrantClientResourceExhaustedError)
    return { kind: 'transient', status: 429, retryAfterS: err.retry_after, detail: 'rate limited' };
  const e = err as { status?: unknown; data?: unknown; name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (typeof e?.status === 'number' && e.status >= 100) {
    const detail = qdrantMessage(e.data) ?? `HTTP ${e.status}`;
    return { kind: e.status >= 500 || e.status === 429 || e.status === 408 ? 'transient' : 'permanent', status: e.status, detail };
  }
  // Node's fetch reports network failures as TypeError("fetch failed") with the socket error as cause.
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  if ((err instanceof TypeError && e.message === 'fetch failed') || (code && (CONNECTION_CODES.has(code) || code.startsWith('UND_ERR')))) {
    return { kind: 'transient', detail: `connection failed${code ? ` (${code})` : ''}` };
  }
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return { kind: 'transient', detail: 'request timed out' };
  return { kind: 'permanent', detail: err instanceof Error ? err.message : String(err) };
}

/** Backoff before retry number `retry` (1-based): exponential, capped, with "equal jitter". */
export function backoffMs(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  // Half fixed so the delay still grows, half random so many clients do not retry in lockstep.
  return cap / 2 + random() * (cap / 2);
}

/** A failure Qdrant reported for a request it will never accept (4xx): a bug or a misconfiguration. */
export class QdrantRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'QdrantRequestError';
  }
}

export async function withRetry<T>(what: string, op: () => Promise<T>, policy: RetryPolicy, deps: RetryDeps = realRetryDeps): Promise<T> {
  const started = deps.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      const failure = classifyFailure(err);
      if (failure.kind === 'permanent') throw permanentError(what, failure, err);
      const wait = Math.max(
        backoffMs(attempt, policy, () => deps.random()),
        (failure.retryAfterS ?? 0) * 1000,
      );
      if (attempt >= policy.attempts || deps.now() - started + wait > policy.budgetMs) {
        const retryAfter = Math.max(policy.retryAfterSeconds, Math.ceil(failure.retryAfterS ?? 0));
        // The message reaches API clients (503 problem detail): it names what failed, not where Qdrant is.
        throw new StoreUnavailableError(
          `The vector store is unavailable: ${what} failed after ${attempt} attempt(s) (${failure.detail}).`,
          retryAfter,
          {
            cause: err,
          },
        );
      }
      await deps.sleep(wait);
    }
  }
}

function permanentError(what: string, failure: ClassifiedFailure, cause: unknown): Error {
  if (failure.status === 401 || failure.status === 403) {
    return new QdrantRequestError(`Qdrant refused ${what} (HTTP ${failure.status}): check QDRANT_API_KEY`, failure.status, { cause });
  }
  if (failure.status === undefined) return cause instanceof Error ? cause : new Error(String(cause));
  return new QdrantRequestError(`Qdrant rejected ${what} (HTTP ${failure.status}): ${failure.detail}`, failure.status, { cause });
}

/** Qdrant's error bodies look like {"status": {"error": "..."}}. */
function qdrantMessage(data: unknown): string | undefined {
  const error = (data as { status?: { error?: unknown } } | undefined)?.status?.error;
  return typeof error === 'string' ? error : undefined;
}
