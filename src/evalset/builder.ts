import type { CandidateSearch } from './candidate-search.js';
import type { CategoryIndex } from './category-index.js';
import type { DonorReservoir } from './donor-steps.js';
import { Random } from './random.js';
import type { BenchmarkStats } from './stats.js';
import { t1Records } from './t1-corruptions.js';
import { t2ForStep } from './t2-candidates.js';
import { t3Records, type T3StepInput } from './t3-sets.js';
import type { ScriptIn, T1Record, T2Record, T3Record } from './types.js';

export interface BuildOptions {
  k: number;
  threshold: number;
  negativesPerPositive: number;
  hardFraction: number;
  hardMargin: number;
  /** Products per step in a T3 set. */
  t3ProductsPerStep: number;
  seed: number;
}

/** Where records go, in order, as they are made. */
export interface RecordSink {
  t1(record: T1Record): void;
  t2(record: T2Record): void;
  t3(record: T3Record): void;
}

/**
 * Turns batches of scripts into T1, T2 and T3 records. Each script draws from its own seeded
 * streams (seed, task, script id), and retrieval per step does not depend on the other steps in
 * the batch, so the records of a script are the same however the scripts were batched.
 */
export class BenchmarkBuilder {
  constructor(
    private readonly search: CandidateSearch,
    private readonly index: CategoryIndex,
    private readonly donors: DonorReservoir,
    private readonly options: BuildOptions,
    private readonly sink: RecordSink,
    private readonly stats: BenchmarkStats,
  ) {}

  async addBatch(scripts: readonly ScriptIn[]): Promise<void> {
    const candidates = await this.search.search(scripts.flatMap((s) => s.steps));
    const o = this.options;
    for (const script of scripts) {
      const objective = script.objective ?? null;
      const t1 = t1Records(script, o.negativesPerPositive, Random.for(o.seed, 't1', script.id), this.donors);
      for (const r of t1) this.sink.t1(r);
      this.stats.addT1(t1, o.negativesPerPositive);

      const random = Random.for(o.seed, 't2', script.id);
      const t3Input: T3StepInput[] = [];
      for (let stepIndex = 0; stepIndex < script.steps.length; stepIndex++) {
        const step = script.steps[stepIndex];
        const found = candidates.get(step)!;
        const result = await t2ForStep(
          { scriptId: script.id, objective, stepIndex, step },
          found.ranked,
          this.index,
          random,
          (ids) => this.search.score(step, found, ids),
          o,
        );
        this.stats.step(result.positives.length > 0);
        this.stats.addT2(result.records, result.shortfall);
        for (const r of result.records) this.sink.t2(r);
        t3Input.push({ stepIndex, step, positives: result.positives, hard: result.hard });
      }

      const t3 = t3Records(script.id, objective, t3Input, o.t3ProductsPerStep, o.negativesPerPositive, Random.for(o.seed, 't3', script.id));
      for (const r of t3) this.sink.t3(r);
      this.stats.addT3(t3, o.negativesPerPositive);
    }
  }
}
