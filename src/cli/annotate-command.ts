import { join } from 'node:path';
import { z } from 'zod';
import { AnnotationService } from '../app/annotation/annotation-service.js';
import { loadCandidateSet } from '../app/annotation/candidate-set.js';
import { LABELS_FILE, LabelStore } from '../app/annotation/label-store.js';
import { SETTINGS } from '../config.js';
import { buildAnnotateApp } from '../http/annotate/app.js';
import { defineCommand } from './command.js';
import { existing, numeric, text } from './options.js';
import { cliLogLevel } from './with-services.js';

export interface AnnotateOptions {
  /** A directory written by build-benchmark. */
  set: string;
  host: string;
  port: number;
  votes: number;
  goldRate: number;
  logLevel: string;
  stderr: NodeJS.WritableStream;
}

export interface RunningAnnotation {
  url: string;
  close(): Promise<void>;
}

/**
 * `ecomalign annotate`: serves the labelling page and its API for one candidate set. Labels go to
 * a SQLite file inside the set directory; the set's own files are only read. Restarting on the
 * same directory resumes where everyone was.
 */
export async function startAnnotation(options: AnnotateOptions): Promise<RunningAnnotation> {
  const set = loadCandidateSet(options.set);
  const store = new LabelStore(join(set.dir, LABELS_FILE));
  try {
    const service = new AnnotationService(set, store, { votes: options.votes, goldRate: options.goldRate });
    const app = await buildAnnotateApp({ service, logLevel: options.logLevel });
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
    const counts = (['t1', 't2', 't3'] as const).map((t) => `${t.toUpperCase()} ${set.tasks[t].ids.length}`).join(', ');
    options.stderr.write(
      `annotate: ${set.dir}: ${counts} items; ${options.votes} votes per item; gold checks at ${(options.goldRate * 100).toFixed(1)} %\n` +
        `annotate: labels are stored in ${join(set.dir, LABELS_FILE)}\n` +
        `annotate: open ${url} (Ctrl-C stops; a restart resumes)\n`,
    );
    return {
      url,
      async close() {
        await app.close();
        store.close();
      },
    };
  } catch (err) {
    store.close();
    throw err;
  }
}

export const annotateCommand = defineCommand({
  name: 'annotate',
  summary: 'labelling page and API for a build-benchmark set',
  options: {
    set: existing('a directory written by build-benchmark', 'DIR', 'directory'),
    port: numeric('port the page listens on; 0: any free one', SETTINGS.port.schema.unwrap().default(8090)),
    host: text('address the page listens on', 'HOST', '127.0.0.1'),
    votes: numeric('votes per item', z.number().int().min(1).max(100).default(5)),
    'gold-rate': numeric('share of the items shown that are gold checks', z.number().min(0).max(1).default(0.05), 'F'),
  },
  run: async (o, { config, stderr }) => {
    const running = await startAnnotation({
      set: o.set,
      host: o.host,
      port: o.port,
      votes: o.votes,
      goldRate: o['gold-rate'],
      logLevel: cliLogLevel(config),
      stderr,
    });
    return new Promise<number>((resolve) => {
      const stop = () =>
        void running.close().then(
          () => resolve(0),
          () => resolve(1),
        );
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
});
