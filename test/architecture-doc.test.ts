import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { folderGraph, readmeFolderGraph, renderFolderGraph } from '../scripts/folder-graph.js';

const readme = readFileSync('README.md', 'utf8');

test("the README's folder graph is the one the code has (regenerate: npm run deps:graph -- --write)", async () => {
  const documented = readmeFolderGraph(readme);
  assert.ok(documented !== undefined, 'README.md lost its folder-graph markers');
  assert.equal(documented, renderFolderGraph(await folderGraph()));
});

test("every folder under src/ appears in the README's Architecture tree", () => {
  const architecture = readme.slice(readme.indexOf('## Architecture'), readme.indexOf('<!-- folder-graph:begin -->'));
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
