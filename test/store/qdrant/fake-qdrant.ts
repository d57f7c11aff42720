/**
 * TEST DOUBLE: an in-process imitation of the few Qdrant REST endpoints the adapter uses, so the
 * QdrantStore is exercised end to end through the real @qdrant/js-client-rest in tests, including
 * Qdrant going down and coming back. It is NOT Qdrant: brute-force cosine search, no HNSW, no
 * shards, no persistence, only the request fields we send. Its BM25 (lexical search) is a plain
 * imitation of Qdrant's `qdrant/bm25` inference with the `idf` modifier (see Bm25Double below for
 * how it differs from the server). Passing tests against it show that the
 * adapter speaks the protocol as we understand it; the conformance run against a real Qdrant
 * (QDRANT_URL=... npm test) is what shows that Qdrant agrees.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

type Payload = Record<string, unknown>;
interface Point {
  id: string | number;
  vector: number[];
  /** BM25 documents by sparse vector name: term frequencies and length in tokens. */
  sparse: Map<string, Bm25Doc>;
  payload: Payload;
}
interface Bm25Doc {
  tf: Map<string, number>;
  length: number;
  options: Bm25Options;
}
interface Bm25Options {
  k?: number;
  b?: number;
  avg_len?: number;
  ascii_folding?: boolean;
}
/** A text for server-side inference, as in upserts and queries ({text, model, options}). */
interface DocumentInput {
  text: string;
  model: string;
  options?: Bm25Options;
}
/** A point's vectors as sent: the unnamed dense vector, or named ones ("" is the unnamed one). */
type VectorInput = number[] | Record<string, number[] | DocumentInput>;
interface Collection {
  config: Record<string, unknown>;
  payloadSchema: Record<string, unknown>;
  points: Map<string, Point>;
}
interface Condition {
  key?: string;
  match?: { value?: unknown; any?: unknown[]; except?: unknown[] };
  range?: { gt?: number; gte?: number; lt?: number; lte?: number };
  must?: Condition[];
  should?: Condition[];
  must_not?: Condition[];
}
type PointIds = (string | number)[];
/** The request bodies the double reads, per endpoint: only the fields the adapter sends. */
interface CreateBody {
  vectors: { size: number };
  shard_number?: number;
  replication_factor?: number;
  write_consistency_factor?: number;
  on_disk_payload?: boolean;
  hnsw_config?: unknown;
  quantization_config?: unknown;
  sparse_vectors?: Record<string, { modifier?: string }>;
  metadata?: Payload;
}
interface IndexBody {
  field_name: string;
  field_schema: string | { type: string };
}
interface Selector {
  points?: PointIds;
  filter?: Condition;
}
interface BatchBody {
  operations: { set_payload?: Selector & { payload: Payload } }[];
}
interface ScrollBody {
  filter?: Condition;
  limit?: number;
  offset?: string | number | null;
  order_by?: string | { key: string; direction?: 'asc' | 'desc'; start_from?: number };
  with_payload?: unknown;
  with_vector?: boolean;
}
interface GroupsBody {
  query: number[] | DocumentInput;
  using?: string;
  filter?: Condition;
  score_threshold?: number | null;
  group_by: string;
  group_size?: number;
  limit?: number;
  with_payload?: unknown;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  // The JSON of any endpoint, as sent: tests read the fields of the requests they picked by path.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- typing it would only add casts that assert nothing
  body: any;
}

export class FakeQdrant {
  readonly collections = new Map<string, Collection>();
  readonly requests: RecordedRequest[] = [];
  /** Status codes to answer the next requests with, one per request (e.g. [503, 503]). */
  failures: number[] = [];
  /** Answers a request with this status instead of serving it when it returns one. */
  failIf?: (req: RecordedRequest) => number | undefined;
  /** When set, the server answers no collection metadata (imitates a Qdrant older than 1.16). */
  dropMetadata = false;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  static async start(): Promise<FakeQdrant> {
    const fake = new FakeQdrant();
    await fake.up();
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** (Re)starts listening, on the same port as before once one was chosen. */
  async up(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops answering: closes the listener and every open connection (connection refused from now on). */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', 'http://fake');
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body });
    const send = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    const failure = this.failures.shift() ?? this.failIf?.(this.requests[this.requests.length - 1]);
    if (failure !== undefined) return send(failure, { status: { error: `injected failure ${failure}` }, time: 0 });
    // Qdrant answers its root (version info) bare, everything else wrapped in {result, status, time}.
    if (url.pathname === '/' && req.method === 'GET') return send(200, { title: 'ecomalign test double of qdrant', version: '1.18.0' });
    try {
      const result = this.route(req.method ?? 'GET', url.pathname, body);
      send(200, { result, status: 'ok', time: (performance.now() - started) / 1000 });
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      send(status, { status: { error: (err as Error).message }, time: 0 });
    }
  }

  private route(method: string, path: string, body: unknown): unknown {
    const m = /^\/collections\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) throw new HttpError(404, `no route ${method} ${path}`);
    const name = decodeURIComponent(m[1]);
    const rest = m[2] ?? '';
    if (rest === '' && method === 'PUT') return this.create(name, body as CreateBody);
    if (rest === '/exists' && method === 'GET') return { exists: this.collections.has(name) };
    const c = this.collections.get(name);
    if (!c) throw new HttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);
    switch (`${method} ${rest}`) {
      case 'GET ':
        return this.info(c);
      case 'PATCH ': {
        const metadata = (body as { metadata?: Payload } | undefined)?.metadata;
        if (metadata && !this.dropMetadata) c.config.metadata = { ...(c.config.metadata as Payload), ...metadata };
        return true;
      }
      case 'DELETE ':
        this.collections.delete(name);
        return true;
      case 'PUT /index': {
        const { field_name, field_schema } = body as IndexBody;
        c.payloadSchema[field_name] = { data_type: typeof field_schema === 'string' ? field_schema : field_schema.type, points: 0 };
        return update();
      }
      case 'PUT /points':
        this.upsert(c, (body as { points: { id: string | number; vector: VectorInput; payload: Payload }[] }).points);
        return update();
      case 'POST /points/delete':
        this.deletePoints(c, body as Selector);
        return update();
      case 'POST /points/batch':
        return (body as BatchBody).operations.map((op) => {
          if (!op.set_payload) throw new HttpError(400, 'the test double only implements set_payload in batches');
          for (const p of this.select(c, op.set_payload)) Object.assign(p.payload, op.set_payload.payload);
          return update();
        });
      case 'POST /points/scroll':
        return this.scroll(c, body as ScrollBody);
      case 'POST /points/count':
        return { count: [...c.points.values()].filter((p) => matches(p, (body as Selector | undefined)?.filter)).length };
      case 'POST /points/query/groups':
        return this.groups(c, body as GroupsBody);
      default:
        if (method === 'PUT' && rest.startsWith('/vectors/')) return this.createVectorName(c, decodeURIComponent(rest.slice(9)), body);
        throw new HttpError(404, `no route ${method} ${path}`);
    }
  }

  private create(name: string, body: CreateBody): boolean {
    if (this.collections.has(name)) throw new HttpError(409, `Wrong input: Collection \`${name}\` already exists!`);
    const config: Record<string, unknown> = {
      params: {
        vectors: body.vectors,
        shard_number: body.shard_number ?? 1,
        replication_factor: body.replication_factor ?? 1,
        write_consistency_factor: body.write_consistency_factor ?? 1,
        on_disk_payload: body.on_disk_payload ?? true,
        sparse_vectors: body.sparse_vectors ?? null,
      },
      hnsw_config: body.hnsw_config ?? {},
      optimizer_config: {},
      quantization_config: body.quantization_config ?? null,
    };
    if (body.metadata && !this.dropMetadata) config.metadata = body.metadata;
    this.collections.set(name, { config, payloadSchema: {}, points: new Map() });
    return true;
  }

  private info(c: Collection) {
    return {
      status: 'green',
      optimizer_status: 'ok',
      points_count: c.points.size,
      segments_count: 1,
      config: c.config,
      payload_schema: c.payloadSchema,
    };
  }

  /** PUT /collections/{name}/vectors/{vector} (Qdrant >= 1.18): only the sparse form is imitated. */
  private createVectorName(c: Collection, name: string, body: unknown): unknown {
    const sparse = (body as { sparse?: { modifier?: string } } | undefined)?.sparse;
    if (!sparse) throw new HttpError(400, 'the test double only creates sparse vectors');
    const params = c.config.params as Payload;
    const existing = (params.sparse_vectors as Record<string, unknown> | null) ?? {};
    if (name in existing) throw new HttpError(400, `Wrong input: Vector with name ${name} already exists`);
    params.sparse_vectors = { ...existing, [name]: sparse };
    return update();
  }

  private upsert(c: Collection, points: { id: string | number; vector: VectorInput; payload: Payload }[]): void {
    const params = c.config.params as Payload;
    const size = (params.vectors as { size: number }).size;
    const sparseNames = Object.keys((params.sparse_vectors as Record<string, unknown> | null) ?? {});
    for (const p of points) {
      // Named form: "" is the unnamed dense vector; other names must be configured sparse vectors.
      const named = Array.isArray(p.vector) ? { '': p.vector } : p.vector;
      const dense = named[''];
      if (!Array.isArray(dense)) throw new HttpError(400, 'Wrong input: the test double needs the unnamed vector on every point');
      if (dense.length !== size)
        throw new HttpError(400, `Wrong input: Vector dimension error: expected dim: ${size}, got ${dense.length}`);
      const sparse = new Map<string, Bm25Doc>();
      for (const [name, value] of Object.entries(named)) {
        if (name === '') continue;
        if (!sparseNames.includes(name)) throw new HttpError(400, `Wrong input: Not existing vector name error: ${name}`);
        sparse.set(name, Bm25Double.document(value as DocumentInput));
      }
      // Cosine collections store normalised vectors, as Qdrant does.
      const norm = Math.hypot(...dense) || 1;
      c.points.set(String(p.id), { id: p.id, vector: dense.map((x) => x / norm), sparse, payload: { ...p.payload } });
    }
  }

  private select(c: Collection, selector: Selector): Point[] {
    if (selector.points) return selector.points.map((id) => c.points.get(String(id))).filter((p): p is Point => !!p);
    return [...c.points.values()].filter((p) => matches(p, selector.filter));
  }

  private deletePoints(c: Collection, body: Selector): void {
    for (const p of this.select(c, body)) c.points.delete(String(p.id));
  }

  private scroll(c: Collection, body: ScrollBody) {
    const limit: number = body.limit ?? 10;
    let rows = [...c.points.values()].filter((p) => matches(p, body.filter));
    const orderBy = typeof body.order_by === 'string' ? { key: body.order_by } : body.order_by;
    if (orderBy) {
      // Qdrant orders by the payload value, skips points without it, and pages no further.
      rows = rows.filter((p) => typeof p.payload[orderBy.key] === 'number');
      const dir = orderBy.direction === 'desc' ? -1 : 1;
      rows.sort((a, b) => dir * ((a.payload[orderBy.key] as number) - (b.payload[orderBy.key] as number)) || compareIds(a.id, b.id));
      const from = orderBy.start_from;
      if (from !== undefined) rows = rows.filter((p) => dir * ((p.payload[orderBy.key] as number) - from) >= 0);
      return { points: rows.slice(0, limit).map((p) => record(p, body.with_payload)), next_page_offset: null };
    }
    rows.sort((a, b) => compareIds(a.id, b.id));
    const offset = body.offset;
    if (offset !== undefined && offset !== null) rows = rows.filter((p) => compareIds(p.id, offset) >= 0);
    const page = rows.slice(0, limit);
    const named = (c.config.params as Payload).sparse_vectors != null;
    return {
      points: page.map((p) => ({ ...record(p, body.with_payload), ...(body.with_vector ? { vector: vectorOutput(p, named) } : {}) })),
      next_page_offset: rows[limit]?.id ?? null,
    };
  }

  private groups(c: Collection, body: GroupsBody) {
    if (!Array.isArray(body.query)) return this.bm25Groups(c, body, body.query);
    if (body.using) throw new HttpError(400, `the test double searches dense vectors by the unnamed vector only, not ${body.using}`);
    const q: number[] = body.query;
    const norm = Math.hypot(...q) || 1;
    const best = new Map<string, { point: Point; score: number }>();
    for (const p of c.points.values()) {
      if (!matches(p, body.filter)) continue;
      let score = 0;
      for (let i = 0; i < q.length; i++) score += (q[i] / norm) * p.vector[i];
      score = Math.fround(score);
      if (body.score_threshold !== undefined && body.score_threshold !== null && score < body.score_threshold) continue;
      const group = String(p.payload[body.group_by]);
      const seen = best.get(group);
      if (!seen || score > seen.score) best.set(group, { point: p, score });
    }
    const groups = [...best.entries()]
      .sort((a, b) => b[1].score - a[1].score)
      .slice(0, body.limit ?? 10)
      .map(([id, { point, score }]) => ({ id, hits: [{ ...record(point, body.with_payload), version: 0, score }] }));
    return { groups };
  }

  /** A grouping query on a BM25 sparse vector: groups ranked by their best hit, up to group_size hits each. */
  private bm25Groups(c: Collection, body: GroupsBody, query: DocumentInput) {
    const name = body.using ?? '';
    const config = ((c.config.params as Payload).sparse_vectors as Record<string, { modifier?: string }> | null)?.[name];
    if (!config) throw new HttpError(400, `Wrong input: Not existing vector name error: ${name}`);
    if (config.modifier !== 'idf') throw new HttpError(400, 'the test double only scores BM25 with the idf modifier');
    const candidates = [...c.points.values()].filter((p) => p.sparse.has(name) && matches(p, body.filter));
    const scored = Bm25Double.score(
      [...c.points.values()].filter((p) => p.sparse.has(name)).map((p) => p.sparse.get(name)!),
      candidates.map((p) => p.sparse.get(name)!),
      query,
    );
    const byGroup = new Map<string, { point: Point; score: number }[]>();
    candidates.forEach((point, i) => {
      const score = scored[i];
      if (score <= 0) return; // a sparse search only finds points sharing a term with the query
      const group = String(point.payload[body.group_by]);
      const hits = byGroup.get(group) ?? [];
      hits.push({ point, score });
      byGroup.set(group, hits);
    });
    const groups = [...byGroup.entries()]
      .map(([id, hits]) => ({ id, hits: hits.sort((a, b) => b.score - a.score).slice(0, body.group_size ?? 3) }))
      .sort((a, b) => b.hits[0].score - a.hits[0].score)
      .slice(0, body.limit ?? 10)
      .map(({ id, hits }) => ({ id, hits: hits.map(({ point, score }) => ({ ...record(point, body.with_payload), version: 0, score })) }));
    return { groups };
  }
}

/**
 * BM25 as the double computes it, after Qdrant's `qdrant/bm25` model with the `idf` modifier:
 * document weight tf·(k+1) / (tf + k·(1 − b + b·len/avg_len)) (k 1.2, b 0.75, avg_len from the
 * options, else 256), query terms weight 1, each scaled by IDF ln(1 + (N − n + 0.5)/(n + 0.5)) over
 * the points holding the vector. How it differs from the server: words are lowercased runs of
 * letters and digits (ASCII-folded when asked), with NO stemming and NO stop-word removal (Qdrant
 * applies English Snowball stemming and English stop words by default), terms are kept as strings
 * (Qdrant hashes them, murmur3), and the whole collection is one segment and one shard.
 */
const Bm25Double = {
  tokens(text: string, options: Bm25Options = {}): string[] {
    let t = text.toLowerCase();
    if (options.ascii_folding) t = t.normalize('NFKD').replace(/\p{M}/gu, '');
    return t.match(/[\p{L}\p{N}]+/gu) ?? [];
  },

  document(input: DocumentInput): Bm25Doc {
    if (input?.model !== 'qdrant/bm25') throw new HttpError(400, `the test double only infers with qdrant/bm25, not ${input?.model}`);
    const tokens = Bm25Double.tokens(input.text, input.options);
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    return { tf, length: tokens.length, options: input.options ?? {} };
  },

  weight(doc: Bm25Doc, term: string): number {
    const tf = doc.tf.get(term) ?? 0;
    if (tf === 0) return 0;
    const k = doc.options.k ?? 1.2;
    const b = doc.options.b ?? 0.75;
    const avg = doc.options.avg_len ?? 256;
    return (tf * (k + 1)) / (tf + k * (1 - b + (b * doc.length) / avg));
  },

  /** Scores of `docs` for `query`, IDF taken over `all` (every point holding the vector). */
  score(all: Bm25Doc[], docs: Bm25Doc[], query: DocumentInput): number[] {
    if (query?.model !== 'qdrant/bm25') throw new HttpError(400, `the test double only infers with qdrant/bm25, not ${query?.model}`);
    const terms = [...new Set(Bm25Double.tokens(query.text, query.options))];
    const idf = new Map(
      terms.map((t) => {
        const n = all.filter((d) => d.tf.has(t)).length;
        return [t, Math.log(1 + (all.length - n + 0.5) / (n + 0.5))];
      }),
    );
    return docs.map((d) => Math.fround(terms.reduce((sum, t) => sum + idf.get(t)! * Bm25Double.weight(d, t), 0)));
  },
};

/** A point's vectors as Qdrant returns them: a plain array, or by name ("" the unnamed one) beside sparse ones. */
function vectorOutput(p: Point, named: boolean): unknown {
  if (!named) return p.vector;
  const out: Record<string, unknown> = { '': p.vector };
  for (const [name, doc] of p.sparse) {
    const terms = [...doc.tf.keys()];
    out[name] = { indices: terms.map(termIndex), values: terms.map((t) => Bm25Double.weight(doc, t)) };
  }
  return out;
}

/** A stable number for a term (Qdrant uses murmur3; any hash shows the shape). */
function termIndex(term: string): number {
  let h = 0;
  for (const ch of term) h = (Math.imul(h, 31) + ch.codePointAt(0)!) >>> 0;
  return h;
}

function update() {
  return { operation_id: 0, status: 'completed' };
}

function record(p: Point, withPayload: unknown) {
  let payload: Payload | undefined;
  if (withPayload === true || withPayload === undefined) payload = p.payload;
  else if (Array.isArray(withPayload))
    payload = Object.fromEntries(withPayload.filter((k) => k in p.payload).map((k) => [k, p.payload[k]]));
  return payload ? { id: p.id, payload } : { id: p.id };
}

function compareIds(a: string | number, b: string | number): number {
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Qdrant filter semantics for the conditions we use: match value/any/except, range, nested filters. */
export function matches(p: Point, filter: Condition | undefined | null): boolean {
  if (!filter) return true;
  if (filter.key !== undefined) return fieldMatches(p.payload[filter.key], filter);
  if (filter.must && !filter.must.every((c) => matches(p, c))) return false;
  if (filter.must_not && filter.must_not.some((c) => matches(p, c))) return false;
  if (filter.should && filter.should.length > 0 && !filter.should.some((c) => matches(p, c))) return false;
  return true;
}

function fieldMatches(value: unknown, c: Condition): boolean {
  const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  if (c.match) {
    if ('value' in c.match) return values.some((v) => v === c.match!.value);
    if (c.match.any) return values.some((v) => c.match!.any!.includes(v));
    if (c.match.except) return values.length > 0 && values.every((v) => !c.match!.except!.includes(v));
  }
  if (c.range) {
    const r = c.range;
    return values.some(
      (v) =>
        typeof v === 'number' &&
        (r.gt === undefined || v > r.gt) &&
        (r.gte === undefined || v >= r.gte) &&
        (r.lt === undefined || v < r.lt) &&
        (r.lte === undefined || v <= r.lte),
    );
  }
  throw new HttpError(400, `the test double does not implement condition ${JSON.stringify(c)}`);
}
