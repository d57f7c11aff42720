/**
 * The folder-level import graph of src/, as the README's Architecture section shows it: for each
 * folder, the folders it imports. `npm run deps:graph` prints it (`-- --write` updates README.md); test/readme-architecture.test.ts
 * fails when the README's copy is stale, so the picture always matches the code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/** Folder of a module below src/, or `src/<file>` for the root's own modules (config, services). */
function unitOf(path: string): string {
  const parts = path.replace(/^src\//, '').split('/');
  if (parts.length === 1) return parts[0].replace(/\.ts$/, '.ts');
  return parts.slice(0, -1).join('/') + '/';
}

export async function folderGraph(): Promise<Map<string, Set<string>>> {
  const result = await cruise(
    ['src'],
    { doNotFollow: { path: 'node_modules' }, tsPreCompilationDeps: true, tsConfig: { fileName: 'tsconfig.json' } },
    undefined,
    { tsConfig: extractTSConfig('tsconfig.json') },
  );
  const output = result.output as ICruiseResult;
  const graph = new Map<string, Set<string>>();
  for (const module of output.modules) {
    if (!module.source.startsWith('src/') || !module.source.endsWith('.ts')) continue;
    const from = unitOf(module.source);
    if (!graph.has(from)) graph.set(from, new Set());
    for (const dep of module.dependencies) {
      if (!dep.resolved.startsWith('src/')) continue;
      const to = unitOf(dep.resolved);
      if (to !== from) graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** One line per folder, sorted: `http/plugins/  →  core/, util/`. */
export function renderFolderGraph(graph: Map<string, Set<string>>): string {
  const width = Math.max(...[...graph.keys()].map((k) => k.length));
  return [...graph.keys()]
    .sort()
    .map((from) => {
      const to = [...graph.get(from)!].sort();
      return `${from.padEnd(width)}  →  ${to.length ? to.join(', ') : '(nothing of ours)'}`;
    })
    .join('\n');
}

const BEGIN = '<!-- folder-graph:begin -->\n```\n';
const END = '\n```\n<!-- folder-graph:end -->';

/** The graph as the README holds it between its markers, or undefined when the markers are missing. */
export function readmeFolderGraph(readme: string): string | undefined {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  return start < 0 || end < start ? undefined : readme.slice(start + BEGIN.length, end);
}

export function withFolderGraph(readme: string, graph: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('README.md has no folder-graph markers');
  return readme.slice(0, start + BEGIN.length) + graph + readme.slice(end);
}

// `npm run deps:graph` prints the graph; with --write it also updates README.md.
if (import.meta.url === `file://${process.argv[1]}`) {
  const graph = renderFolderGraph(await folderGraph());
  process.stdout.write(`${graph}\n`);
  if (process.argv.includes('--write')) writeFileSync('README.md', withFolderGraph(readFileSync('README.md', 'utf8'), graph));
}
