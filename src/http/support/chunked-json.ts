import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/**
 * A large JSON document written as a stream of chunks, so that it is not serialised in one
 * stretch on the HTTP thread. The document comes as a sequence of JSON text pieces (see
 * `objectWithArrayLast`); the stream gathers pieces up to a byte budget per chunk.
 *
 * Why a Readable whose _read makes the next chunk: the consumer's pull is the backpressure. A
 * client that stops reading stops production once the socket's and the stream's buffers are
 * full, instead of the server serialising and buffering the whole document.
 *
 * Why setImmediate between chunks: a chunk is made in the check phase, after the poll phase has
 * run I/O callbacks, so other requests get their turn between two chunks. process.nextTick, or
 * pushing in a loop from _read, would run before any I/O and yield nothing.
 */

export interface ChunkedJsonOptions {
  /**
   * Characters to gather per chunk before yielding. 64 KiB is ~260 products of /align/batch,
   * ~0.5–1 ms to validate and serialise (2–3.6 µs and 250 bytes per product, bench/response-stall.ts):
   * short enough not to stall, long enough that the per-turn cost stays small.
   */
  chunkChars?: number;
  /** Runs `fn` on a later turn of the event loop; setImmediate by default (tests count turns with it). */
  defer?: (fn: () => void) => Cancel;
}

export type Cancel = () => void;

const DEFAULT_CHUNK_CHARS = 64 * 1024;

export function chunkedJsonStream(pieces: Iterable<string>, options: ChunkedJsonOptions = {}): Readable {
  return new ChunkedJsonReadable(pieces[Symbol.iterator](), options);
}

/**
 * The pieces of `{ ...head, [key]: items }`: the head serialised once (JSON.stringify, its key
 * order), then each item's own pieces, so a caller can nest (an array of objects whose last field
 * is an array) and keep every piece small.
 */
export function* objectWithArrayLast<T>(
  head: Record<string, unknown>,
  key: string,
  items: Iterable<T>,
  itemPieces: (item: T) => Iterable<string>,
): Generator<string> {
  // JSON.stringify(head) is `{...}`: drop its closing brace and open the array in its place.
  const opening = JSON.stringify(head);
  yield `${opening.slice(0, -1)}${opening === '{}' ? '' : ','}${JSON.stringify(key)}:[`;
  let first = true;
  for (const item of items) {
    if (!first) yield ',';
    first = false;
    yield* itemPieces(item);
  }
  yield ']}';
}

/** What fastify sets for a serialised object, so the streamed and the serialised path answer alike. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Sends a stream made here as the JSON reply. Untyped on purpose: the route's type provider types
 * send() as the schema's object, which the stream writes but is not; the stream's parts are checked
 * against the schema as they are made instead.
 */
export function sendStreamed(reply: FastifyReply, stream: Readable): FastifyReply {
  return reply.type(JSON_CONTENT_TYPE).send(stream);
}

const deferImmediate = (fn: () => void): Cancel => {
  const handle = setImmediate(fn);
  return () => clearImmediate(handle);
};

class ChunkedJsonReadable extends Readable {
  private pieces: Iterator<string> | undefined;
  private pending: Cancel | undefined;
  private readonly chunkChars: number;
  private readonly defer: (fn: () => void) => Cancel;

  constructor(pieces: Iterator<string>, options: ChunkedJsonOptions) {
    super();
    this.pieces = pieces;
    this.chunkChars = options.chunkChars ?? DEFAULT_CHUNK_CHARS;
    this.defer = options.defer ?? deferImmediate;
  }

  override _read(): void {
    if (this.pending) return;
    this.pending = this.defer(() => {
      this.pending = undefined;
      this.produce();
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A client that went away: stop producing and let go of the document (the generator's
    // closures hold the whole result).
    this.pending?.();
    this.pending = undefined;
    this.release();
    callback(error);
  }

  private produce(): void {
    const pieces = this.pieces;
    if (!pieces || this.destroyed) return;
    let chunk = '';
    let done = false;
    try {
      while (chunk.length < this.chunkChars) {
        const next = pieces.next();
        if (next.done) {
          done = true;
          break;
        }
        chunk += next.value;
      }
    } catch (err) {
      this.destroy(err as Error);
      return;
    }
    // push() asks for more through _read while the buffer is below its mark; _read defers, so the
    // next chunk is made on a later turn either way.
    if (chunk) this.push(chunk);
    if (done) {
      this.pieces = undefined;
      this.push(null);
    }
  }

  private release(): void {
    const pieces = this.pieces;
    this.pieces = undefined;
    pieces?.return?.();
  }
}
