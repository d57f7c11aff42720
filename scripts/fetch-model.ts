/**
 * Makes sure a folder laid out as MODEL_DIR expects (`<dir>/<MODEL_ID>/...`) holds a working model: the
 * shipped one (copied there from models/, checked against its manifest) or another MODEL_ID, downloaded.
 * Loads it through the service's own loader and embeds one sentence, so a broken or altered model fails
 * here and not at the service's first start. Used by docker/Dockerfile to bake the model into the image
 * (no download at run time).
 *
 *   MODEL_ID=Xenova/all-MiniLM-L12-v2 npx tsx scripts/fetch-model.ts /app/models
 */
import { loadConfig } from '../src/config.js';
import { createEmbedder } from '../src/embedding/create-embedder.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: MODEL_ID=<hub id> tsx scripts/fetch-model.ts <target dir>\n');
  process.exit(2);
}
const config = loadConfig(process.env);
const embedder = await createEmbedder({
  kind: 'minilm',
  modelId: config.modelId,
  modelDir: dir,
  cacheDir: dir,
  allowRemoteModels: true,
  onUnavailable: 'fail',
  warn: (msg) => process.stderr.write(`${msg}\n`),
});
const [vector] = await embedder.embed(['Keep the drinks cold']);
if (vector.length !== embedder.dimension) throw new Error(`model produced ${vector.length} dimensions, expected ${embedder.dimension}`);
process.stdout.write(`${JSON.stringify({ model: embedder.id, dimension: embedder.dimension, dir })}\n`);
await embedder.close();
