/**
 * Seeded synthetic data for benchmarks and tests: clustered unit vectors that loosely mimic
 * sentence embeddings of a product catalog.
 *
 * Model (all offsets scaled so that "length L" means an expected norm of L next to a unit centre):
 * - `topics` random unit topic centres; each has `clustersPerTopic` cluster centres at
 *   normalise(topic + topicSpread-length Gaussian offset), so sibling clusters are related;
 * - a point picks a cluster and is normalise(centre + B·z + isotropic noise), where B is the
 *   cluster's own random `rank`-dimensional basis, z a Gaussian of length `spread`, and the noise
 *   has length `noise`.
 * The low-rank part matters: with isotropic noise alone every member of a cluster is almost
 * equidistant from a query in 384 dimensions (concentration of measure), so "the true top 10" is
 * decided by tiny fluctuations and recall mostly measures ef against cluster size. Real embeddings
 * have a low local intrinsic dimension; with the defaults, at 100k points a query's neighbours
 * have cosine ≈ 0.77 at rank 1, 0.62 at rank 10, 0.38 at rank 100 (siblings), 0.13 at rank 1000.
 * Queries come from the same model but another random stream, so they are not in the data.
 */

import { mulberry32 } from '../src/evalset/random.js';
import { l2normalize } from '../src/core/vector-math.js';

// mulberry32 lives with the benchmark-construction code (src/ must not import bench/); re-exported
// here so benchmarks, tests and benchmark construction all draw the same way.
export { mulberry32 };

/** A seeded random stream with the helpers the generators need. */
export class Rng {
  private readonly next: () => number;
  private spare = Number.NaN;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller, caching the second value of each pair). */
  gaussian(): number {
    if (!Number.isNaN(this.spare)) {
      const value = this.spare;
      this.spare = Number.NaN;
      return value;
    }
    const u = 1 - this.next(); // (0, 1], keeps log finite
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fills `out` with a uniformly random unit vector. */
  unitVector(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.gaussian();
    return normalize(out);
  }
}

export interface ClusterModelOptions {
  dimension: number;
  seed: number;
  /** Number of topic centres. Default 256. */
  topics?: number;
  /** Clusters around each topic. Default 8 (2048 clusters in all). */
  clustersPerTopic?: number;
  /** Offset length of a cluster centre from its topic. Default 0.7. */
  topicSpread?: number;
  /** Dimension of each cluster's own subspace of variation. Default 12. */
  rank?: number;
  /** Offset length of a point within its cluster's subspace. Default 1.0. */
  spread?: number;
  /** Offset length of the isotropic noise on each point. Default 0.3. */
  noise?: number;
}

/** The cluster structure plus the sampling rule; sample as many independent streams as you like. */
export class ClusterModel {
  readonly dimension: number;
  readonly params: Required<Omit<ClusterModelOptions, 'dimension' | 'seed'>>;
  /** Flat clusters × dimension array of unit cluster centres. */
  private readonly centres: Float32Array;
  /** Flat clusters × rank × dimension array of per-cluster basis vectors (each of length ≈ 1). */
  private readonly bases: Float32Array;

  constructor(options: ClusterModelOptions) {
    const dim = (this.dimension = options.dimension);
    this.params = {
      topics: options.topics ?? 256,
      clustersPerTopic: options.clustersPerTopic ?? 8,
      topicSpread: options.topicSpread ?? 0.7,
      rank: options.rank ?? 12,
      spread: options.spread ?? 1.0,
      noise: options.noise ?? 0.3,
    };
    const { topics, clustersPerTopic, topicSpread, rank } = this.params;
    const rng = new Rng(options.seed);
    const topic = new Float32Array(dim);
    this.centres = new Float32Array(this.clusters * dim);
    for (let t = 0; t < topics; t++) {
      rng.unitVector(topic);
      for (let c = t * clustersPerTopic; c < (t + 1) * clustersPerTopic; c++) {
        const centre = rowOf(this.centres, dim, c);
        for (let j = 0; j < dim; j++) centre[j] = topic[j] + (topicSpread / Math.sqrt(dim)) * rng.gaussian();
        normalize(centre);
      }
    }
    this.bases = new Float32Array(this.clusters * rank * dim);
    for (let i = 0; i < this.bases.length; i++) this.bases[i] = rng.gaussian() / Math.sqrt(dim);
  }

  get clusters(): number {
    return this.params.topics * this.params.clustersPerTopic;
  }

  /** Draws `count` points with the stream `seed` into one flat count × dimension array. */
  sample(count: number, seed: number): Float32Array {
    const dim = this.dimension;
    const { rank, spread, noise } = this.params;
    const out = new Float32Array(count * dim);
    const rng = new Rng(seed);
    const z = new Float64Array(rank);
    for (let i = 0; i < count; i++) {
      const c = rng.int(this.clusters);
      const point = rowOf(out, dim, i);
      for (let j = 0, centre = c * dim; j < dim; j++) {
        point[j] = this.centres[centre + j] + (noise / Math.sqrt(dim)) * rng.gaussian();
      }
      for (let k = 0; k < rank; k++) z[k] = (spread / Math.sqrt(rank)) * rng.gaussian();
      for (let k = 0; k < rank; k++) {
        const basis = (c * rank + k) * dim;
        const zk = z[k];
        for (let j = 0; j < dim; j++) point[j] += zk * this.bases[basis + j];
      }
      normalize(point);
    }
    return out;
  }
}

export interface SyntheticDataset {
  dimension: number;
  /** Flat base × dimension unit vectors; label of row i is i. */
  base: Float32Array;
  /** Flat queries × dimension unit vectors, not in `base`. */
  queries: Float32Array;
}

/** Base points and queries from one cluster model; fully determined by the options. */
export function clusteredDataset(options: ClusterModelOptions & { count: number; queries: number }): SyntheticDataset {
  const model = new ClusterModel(options);
  return {
    dimension: options.dimension,
    base: model.sample(options.count, options.seed + 1),
    queries: model.sample(options.queries, options.seed + 2),
  };
}

/** Row `i` of a flat matrix, as a view (no copy). */
export function rowOf(flat: Float32Array, dimension: number, i: number): Float32Array {
  return flat.subarray(i * dimension, (i + 1) * dimension);
}

/** Rows [from, to) of a flat matrix as views, the shape AnnIndex.add takes. */
export function rowsOf(flat: Float32Array, dimension: number, from: number, to: number): Float32Array[] {
  const rows: Float32Array[] = [];
  for (let i = from; i < to; i++) rows.push(rowOf(flat, dimension, i));
  return rows;
}

/** Scales `v` in place to unit length: the same normalisation the embedders use. */
export const normalize = l2normalize;
