import { parentPort } from 'node:worker_threads';

/**
 * A search worker a test can hang (faulty-search-workers.ts): it listens for `hang` before the
 * real worker starts, so the busy wait holds the thread as a native call that never returns would,
 * and the real worker ignores the message.
 */
parentPort!.on('message', (message: { type?: string; ms?: number }) => {
  if (message.type !== 'hang') return;
  const until = Date.now() + (message.ms ?? 0);
  while (Date.now() < until); // deliberately blocking: this is what a hung native call looks like
});

await import('../../src/store/embedded/replicas/replica-worker.js');
