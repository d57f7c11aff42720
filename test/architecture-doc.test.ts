import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARCHITECTURE_DOC, documentedFolderGraph, folderGraph, renderFolderGraph } from '../scripts/folder-graph.js';

const doc = readFileSync(ARCHITECTURE_DOC, 'utf8');

test("the architecture document's folder graph is the one the code has (regenerate: npm run deps:graph -- --write)", async () => {
  const documented = documentedFolderGraph(doc);
  assert.ok(documented !== undefined, `${ARCHITECTURE_DOC} lost its folder-graph markers`);
  assert.equal(documented, renderFolderGraph(await folderGraph()));
});

test("every folder under src/ appears in the architecture document's source tree", () => {
  const start = doc.indexOf('## Source tree');
  assert.ok(start >= 0, `${ARCHITECTURE_DOC} lost its "Source tree" section`);
  const architecture = doc.slice(start, doc.indexOf('<!-- folder-graph:begin -->'));
  const folders: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!statSync(path).isDirectory()) continue;
      folders.push(name);
      // Two levels are enough for the tree; deeper folders (annotate/page) belong to their parent's line.
      if (path.split('/').length < 3) walk(path);
    }
  };
  walk('src');
  const missing = folders.filter((name) => !new RegExp(`\\b${name}/`).test(architecture));
  assert.deepEqual(missing, [], 'folders missing from the Architecture tree');
});
