/**
 * Bench-only ANN candidate on LanceDB (embedded, async native API): one table of
 * (label Int64, vector FixedSizeList<Float32>[dim]) in a directory of its own, an HNSW-SQ index
 * with cosine distance, searches re-scored on the stored vectors (see search), and searches that also scan rows appended since the index was built
 * (LanceDB's default; `fastSearch()` would skip them).
 *
 * It is not an AnnIndex: every call returns a promise, which is the point of the candidate (the
 * event loop stays free while the native side works). The churn checker takes either shape.
 */
import { connect, Index, type Table } from '@lancedb/lancedb';
import { createRequire } from 'node:module';
import type * as Arrow from 'apache-arrow';

// LanceDB is CommonJS and checks `instanceof Table` against the CommonJS build of apache-arrow;
// an ESM import would load the other build and every add fails with "schemas must be equivalent".
const arrow = createRequire(import.meta.url)('apache-arrow') as typeof Arrow;
const { Field, FixedSizeList, Float32, Int64, Schema, Table: ArrowTable, makeData, makeVector, vectorFromArray } = arrow;

export interface LanceOptions {
  /** Index and query metric; on unit vectors both give the cosine (after refinement, below). */
  distance?: 'dot' | 'cosine';
  /** Graph degree (LanceDB default 20). */
  m?: number;
  /** Candidate list while building (LanceDB default 300). */
  efConstruction?: number;
  /** Candidate list while searching; LanceDB's default is 1.5 × limit, far below the others'. */
  ef?: number;
}

// ef 128 matches the project's usearch default search breadth, so recall is compared at equal effort.
const DEFAULTS: Required<LanceOptions> = { distance: 'cosine', m: 20, efConstruction: 300, ef: 128 };

/** LanceDB refuses to train an index on fewer rows than this (SQ/HNSW training sample). */
export const LANCE_MIN_INDEX_ROWS = 256;

export class LanceCandidate {
  private indexed = false;

  private constructor(
    readonly dimension: number,
    private readonly table: Table,
    private readonly options: Required<LanceOptions>,
  ) {}

  static async create(dir: string, dimension: number, options: LanceOptions = {}): Promise<LanceCandidate> {
    const db = await connect(dir);
    const schema = new Schema([new Field('label', new Int64(), true), new Field('vector', vectorType(dimension), true)]);
    const table = await db.createEmptyTable('ann', schema, { mode: 'overwrite' });
    return new LanceCandidate(dimension, table, { ...DEFAULTS, ...options });
  }

  get name(): string {
    const o = this.options;
    return `LanceDB HNSW-SQ ${o.distance} M=${o.m} efC=${o.efConstruction} ef=${o.ef} refine=1`;
  }

  /** Rows LanceDB itself counts (not a shadow counter: the churn check compares it with its oracle). */
  size(): Promise<number> {
    return this.table.countRows();
  }

  async add(labels: readonly number[], vectors: readonly Float32Array[]): Promise<void> {
    if (labels.length === 0) return;
    const dim = this.dimension;
    const flat = new Float32Array(labels.length * dim);
    for (let i = 0; i < labels.length; i++) flat.set(vectors[i], i * dim);
    // One contiguous child buffer: row-by-row conversion (makeArrowTable) costs more than the insert.
    const batch = new ArrowTable({
      label: vectorFromArray(BigInt64Array.from(labels, (l) => BigInt(l))),
      vector: makeVector(
        makeData({
          type: vectorType(dim),
          length: labels.length,
          nullCount: 0,
          child: makeData({ type: new Float32(), length: flat.length, data: flat }),
        }),
      ),
    });
    await this.table.add(batch as never);
  }

  /** Removes labels (unknown ones are ignored); one delete per call, so callers batch. */
  async remove(labels: readonly number[]): Promise<void> {
    const valid = labels.filter((l) => Number.isSafeInteger(l) && l >= 0);
    if (valid.length === 0) return;
    await this.table.delete(`label IN (${valid.join(',')})`);
  }

  /** Builds (or rebuilds) the HNSW-SQ index over every row present now. */
  async buildIndex(): Promise<void> {
    await this.table.createIndex('vector', {
      config: Index.hnswSq({
        distanceType: this.options.distance,
        numPartitions: 1,
        m: this.options.m,
        efConstruction: this.options.efConstruction,
      }),
      replace: true,
    });
    this.indexed = true;
  }

  /** Compacts fragments and folds unindexed rows into the index (LanceDB's routine maintenance). */
  async optimize(): Promise<void> {
    await this.table.optimize({ cleanupOlderThan: new Date() });
  }

  get hasIndex(): boolean {
    return this.indexed;
  }

  async search(query: Float32Array, n: number): Promise<{ labels: number[]; scores: number[] }> {
    return (await this.searchMany([query], n))[0];
  }

  /** One native call for many queries (LanceDB tags each row with its query_index). */
  async searchMany(queries: readonly Float32Array[], n: number): Promise<{ labels: number[]; scores: number[] }[]> {
    const out = queries.map(() => ({ labels: [] as number[], scores: [] as number[] }));
    if (queries.length === 0 || n <= 0) return out;
    // refineFactor(1): re-score the index's candidates on the stored f32 vectors. Without it the
    // HNSW-SQ index reports distances in its own space — squared L2 = 2·(1 − cos) for a 'cosine'
    // index (lancedb/lancedb #3530), unscaled SQ products (≈ −19 for a self-match) for 'dot' —
    // while the flat scan of appended rows reports 1 − cos, so merged results were ranked on two
    // scales (churn "score" failures: 0.064 reported for a true cosine of 0.533). With it every
    // distance is the exact 1 − cos (measured error 0 on 1,000 results, indexed and appended).
    let q = this.table
      .vectorSearch(queries[0])
      .distanceType(this.options.distance)
      .limit(n)
      .ef(Math.max(this.options.ef, n))
      .refineFactor(1)
      .select(['label', '_distance']);
    for (let i = 1; i < queries.length; i++) q = q.addQueryVector(queries[i]);
    const rows = (await q.toArray()) as { label: bigint | number; _distance: number; query_index?: number }[];
    for (const row of rows) {
      const slot = out[queries.length === 1 ? 0 : Number(row.query_index)];
      slot.labels.push(Number(row.label));
      slot.scores.push(1 - row._distance);
    }
    return out;
  }
}

function vectorType(dim: number): Arrow.FixedSizeList<Arrow.Float32> {
  return new FixedSizeList(dim, new Field('item', new Float32(), true));
}
