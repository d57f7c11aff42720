/**
 * The folder-level import graph of src/, as docs/architecture.md shows it ("What each folder
 * imports"): for each folder, the folders it imports. `npm run deps:graph` prints it (`-- --write`
 * updates docs/architecture.md); test/architecture-doc.test.ts fails when the document's copy is
 * stale, so the picture always matches the code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { isMain } from '../support/is-main.js';

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

/** The document that holds the folder graph between its markers. */
export const ARCHITECTURE_DOC = 'docs/architecture.md';

const BEGIN = '<!-- folder-graph:begin -->\n```\n';
const END = '\n```\n<!-- folder-graph:end -->';

/** The graph as the architecture document holds it between its markers, or undefined when the markers are missing. */
export function documentedFolderGraph(doc: string): string | undefined {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  return start < 0 || end < start ? undefined : doc.slice(start + BEGIN.length, end);
}

export function withFolderGraph(doc: string, graph: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${ARCHITECTURE_DOC} has no folder-graph markers`);
  return doc.slice(0, start + BEGIN.length) + graph + doc.slice(end);
}

// `npm run deps:graph` prints the graph; with --write it also updates docs/architecture.md.
if (isMain(import.meta.url)) {
  const graph = renderFolderGraph(await folderGraph());
  process.stdout.write(`${graph}\n`);
  if (process.argv.includes('--write')) {
    writeFileSync(ARCHITECTURE_DOC, withFolderGraph(readFileSync(ARCHITECTURE_DOC, 'utf8'), graph));
  }
}
