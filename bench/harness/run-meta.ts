import { cpus, loadavg, totalmem } from 'node:os';

/** When, where and how a bench ran: recorded in every results file, in the same shape. */
export interface RunMeta {
  date: string;
  host: string;
  /** Load average at the start (1/5/15 min): a shared machine's noise, for reading the numbers. */
  loadAverage: number[];
  command: string;
}

export function loadAverageNow(): number[] {
  return loadavg().map((v) => Math.round(v * 100) / 100);
}

export function runMeta(command: string): RunMeta {
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    host: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    loadAverage: loadAverageNow(),
    command,
  };
}

/** The two markdown lines every report opens with: the run, and the command that repeats it. */
export function runMetaLines(meta: RunMeta): string {
  return [
    `- run: ${meta.date}; machine: ${meta.host}; load average at start ${meta.loadAverage.join(' / ')} (1/5/15 min)`,
    `- reproduce: \`${meta.command}\``,
  ].join('\n');
}

/** The date, host, load average and command cells of a report's table row, in that order. */
export function runMetaCells(meta: RunMeta): string {
  return `${meta.date} | ${meta.host} | ${meta.loadAverage.join(' / ')} | \`${meta.command}\``;
}
