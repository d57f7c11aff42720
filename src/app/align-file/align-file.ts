import { closeSync, openSync, writeSync } from 'node:fs';
import type { Aligner, AlignOptions } from '../../align/aligner.js';
import { completeScoring } from '../../align/scoring/scoring.js';
import { scriptSchema, type ScriptRecord } from '../../align/script-schema.js';
import { parseLine, readLines } from '../../util/jsonl.js';
import { Progress } from '../../util/progress.js';
import { LineBatches } from '../shared/line-batches.js';
import { recoverOutput } from './recover-output.js';

export interface AlignFileOptions {
  scripts: string;
  out: string;
  align: AlignOptions;
  batchSize: number;
  strict: boolean;
  stderr: NodeJS.WritableStream;
  plainIntervalMs?: number;
}

export interface AlignFileSummary {
  scripts: number;
  aligned: number;
  skippedDone: number;
  badLines: number;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
}

/**
 * Bulk alignment for benchmark construction: scripts JSONL in, one result line per script out,
 * streaming. Resumable: ids already in OUT are skipped, and a torn last line left by a crash is
 * cut off before appending.
 */
export async function alignFile(aligner: Aligner, options: AlignFileOptions): Promise<AlignFileSummary> {
  const started = performance.now();
  const done = await recoverOutput(options.out, completeScoring(options.align.scoring ?? {}));
  const fd = openSync(options.out, 'a');
  const progress = Progress.overFile('align', options.scripts, 'scripts', options);
  const summary = { scripts: 0, aligned: 0, skippedDone: done.size, badLines: 0, steps: 0 };
  const seen = new Set<string>();
  const batches = new LineBatches<ScriptRecord>(options.batchSize, progress, async (batch) => {
    const result = await aligner.align(batch, options.align);
    const lines = batch.map((script, i) =>
      JSON.stringify({
        id: script.id,
        objective: script.objective,
        model: result.model,
        threshold: result.threshold,
        scoring: result.scoring,
        steps: result.scripts[i],
      }),
    );
    // One write per batch: a crash leaves at most one torn line, which the next run removes.
    writeSync(fd, `${lines.join('\n')}\n`);
    summary.aligned += batch.length;
    summary.steps += batch.reduce((n, s) => n + s.steps.length, 0);
  });
  try {
    for await (const line of readLines(options.scripts)) {
      batches.read(line.bytes);
      const parsed = parseLine(scriptSchema, line);
      if (!parsed.ok) {
        summary.badLines++;
        if (options.strict) throw new Error(`${parsed.error} (--strict; ${summary.aligned} scripts written before it)`);
        options.stderr.write(`skipped ${parsed.error}\n`);
        continue;
      }
      summary.scripts++;
      const id = parsed.value.id;
      if (done.has(id)) continue;
      if (seen.has(id)) {
        options.stderr.write(`skipped line ${line.lineNo}: duplicate script id ${JSON.stringify(id)}\n`);
        continue;
      }
      seen.add(id);
      await batches.add(parsed.value);
    }
    await batches.flush();
  } finally {
    closeSync(fd);
    progress.finish();
  }
  const seconds = (performance.now() - started) / 1000;
  return { ...summary, seconds, stepsPerSecond: seconds > 0 ? summary.steps / seconds : 0 };
}
