import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on a module given relative to the caller, from source or built alike.
 * Run from source (tsx: tests, benchmarks, the demo) the module is a .ts file and needs tsx's
 * loader, which Node 20 passes on to workers neither through execArgv nor through --import, so a
 * tiny bootstrap registers it first; built, the module is the .js file and starts directly.
 */
export function spawnWorker(callerUrl: string, moduleName: string, workerData: unknown): Worker {
  const fromSource = callerUrl.endsWith('.ts');
  const url = new URL(`./${moduleName}.${fromSource ? 'ts' : 'js'}`, callerUrl);
  if (!fromSource) return new Worker(url, { workerData });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const bootstrap = `import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
