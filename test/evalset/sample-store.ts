import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aligner } from '../../src/align/aligner.js';
import { CatalogService } from '../../src/catalog/catalog-service.js';
import type { Product } from '../../src/core/product.js';
import { LexicalEmbedder } from '../../src/embedding/lexical/lexical-embedder.js';
import { exactIndexFactory } from '../../src/store/ann/exact-index.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import type { ScriptIn } from '../../src/evalset/types.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const sampleScriptsFile = join(root, 'data/sample/scripts.jsonl');
export const sampleCatalogFile = join(root, 'data/sample/catalog.jsonl');

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

export const sampleScripts = () => readJsonl<ScriptIn>(sampleScriptsFile);

/**
 * The sample catalog embedded with the lexical embedder into a temporary store with the exact
 * index (so searches are exact and the tests' expectations are too). `transform` lets a test
 * reshape products, e.g. drop every category.
 */
export async function sampleStore(transform: (p: Product) => Product = (p) => p) {
  return storeOf(readJsonl<Product>(sampleCatalogFile).map(transform));
}

/**
 * Products embedded with the lexical embedder into a temporary store with the exact index, every
 * text in the index, not some still in the exact tail: the tests compare results taken at
 * different moments, and the order of exact ties may differ between the two.
 */
export async function storeOf(products: readonly Product[], prefix = 'ecomalign-bench-test-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const embedder = new LexicalEmbedder();
  const store = await EmbeddedStore.open({
    dataDir: join(dir, 'store'),
    modelId: embedder.id,
    dimension: embedder.dimension,
    annFactory: exactIndexFactory,
  });
  await new CatalogService(embedder, store).upsert(products);
  await store.flushIndex();
  return {
    dir,
    embedder,
    store,
    aligner: new Aligner(embedder, store),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
