/**
 * The README and docs/ link to each other, to reports and to headings by anchor; text moves
 * between them (the README's architecture and measurements went to docs/), so a link can point at
 * a file or heading that is no longer there. This checks every relative link of README.md and
 * docs/**.md: the file exists, and an anchor into a Markdown file names one of its headings, by
 * GitHub's rule for heading ids. Offline and fast: no network, no rendering.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';

/** Lines outside fenced code blocks: a `# comment` in a shell example is not a heading, a link in one is not a link. */
function prose(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (marker && (fence === undefined || fence === marker)) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence === undefined) lines.push(line);
  }
  return lines;
}

/** GitHub's heading id: the heading's text, lower-cased, without punctuation, spaces as hyphens. */
export function slugOf(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link's text stays, its target goes
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Every anchor a file offers: its headings' ids (repeats numbered as GitHub does) and explicit HTML ids. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const slug = slugOf(heading);
      const n = seen.get(slug) ?? 0;
      seen.set(slug, n + 1);
      anchors.add(n === 0 ? slug : `${slug}-${n}`);
    }
    for (const match of line.matchAll(/\s(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
  }
  return anchors;
}

/** Relative link targets of a file (inline links and images; code spans are not links). */
function linksOf(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of prose(markdown)) {
    const text = line.replace(/`[^`]*`/g, '');
    for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(match[1])) targets.push(match[1]);
    }
  }
  return targets;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

const files = ['README.md', ...markdownFiles('docs')];

test('slugOf follows GitHub heading ids', () => {
  assert.equal(slugOf('With the real model (all-MiniLM-L6-v2, fp32)'), 'with-the-real-model-all-minilm-l6-v2-fp32');
  assert.equal(slugOf('Labelling: `ecomalign annotate`'), 'labelling-ecomalign-annotate');
  assert.equal(slugOf('Probe `/align` during one serial writer'), 'probe-align-during-one-serial-writer');
  assert.equal(slugOf('`ANN_INDEX` and threads'), 'ann_index-and-threads');
});

test('every relative link in README.md and docs/ reaches an existing file and heading', () => {
  const broken: string[] = [];
  for (const file of files) {
    for (const link of linksOf(readFileSync(file, 'utf8'))) {
      const [pathPart, anchor] = link.split('#', 2) as [string, string | undefined];
      const target = pathPart === '' ? file : normalize(join(dirname(file), decodeURIComponent(pathPart)));
      if (!existsSync(target)) {
        broken.push(`${file}: ${link} (no such file)`);
        continue;
      }
      if (anchor === undefined || !target.endsWith('.md')) continue;
      if (!anchorsOf(readFileSync(target, 'utf8')).has(anchor)) broken.push(`${file}: ${link} (no such heading)`);
    }
  }
  assert.deepEqual(broken, []);
});

/** Files under the given folders whose text names repository paths: sources and their comments. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|cjs)$/.test(name) ? [path] : [];
  });
}

/**
 * Files move (src/benchmark/ became evalset/, annotation/ and calibration/; bench/ was grouped by
 * subject), and prose that names the old path keeps reading as if it were right. Every path from the
 * repository root that the README, docs/ or a source comment names must exist. Run records under
 * bench/results/ are history and keep the paths of their day.
 */
test('every repository path named in README.md, docs/ and the sources exists', () => {
  const named = /(?<![\w/.@-])((?:src|bench|scripts|test|support|docs|loadtests|tools)\/[\w./-]+\.(?:ts|md|cjs|json|py|sh))/g;
  const texts = [...files, ...['src', 'bench', 'scripts', 'support', 'test', 'loadtests'].flatMap(sourceFiles), '.dependency-cruiser.cjs'];
  const missing: string[] = [];
  for (const file of texts) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const [, path] of line.matchAll(named)) if (!existsSync(path)) missing.push(`${file}:${i + 1}: ${path}`);
      });
  }
  assert.deepEqual(missing, []);
});
