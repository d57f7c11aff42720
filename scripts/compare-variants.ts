/**
 * How each exported variant of the model compares with sentence-transformers, to choose the one that ships:
 * file size, parity (cosine to sentence-transformers' own vectors of the reference texts: minimum, mean, and
 * the worst text) and four-way accuracy on IntentionQA's task2 by title (as section (a) of the quality bench:
 * the gold must score strictly above its three distractors).
 *
 *   tools/model/.venv/bin/python tools/model/export.py --variants fp32,q8 --dest .scratch/model-trial
 *   npx tsx scripts/compare-variants.ts .scratch/model-trial
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dot } from '../src/core/vector-math.js';
import { BUNDLED_MODEL_ID } from '../src/embedding/bundled-model.js';
import { TransformersEmbedder, requiredModelFiles, type TransformersDtype } from '../src/embedding/transformers-embedder.js';
import { readQaData } from '../support/quality-data.js';

const root = process.argv[2];
if (!root) throw new Error('usage: npx tsx scripts/compare-variants.ts <models root holding the variants>');
const dir = join(root, ...BUNDLED_MODEL_ID.split('/'));
const reference = JSON.parse(readFileSync(join(dir, 'reference', 'embeddings.json'), 'utf8')) as {
  texts: { text: string; vector: string }[];
};
const qa = readQaData();
const titleOf = new Map(qa.catalog.map((p) => [p.id, p.title]));

console.log('| variant | ONNX MB | parity min | parity mean | worst text | four-way by title |');
console.log('| --- | ---: | ---: | ---: | --- | ---: |');
for (const dtype of ['fp32', 'q8'] as TransformersDtype[]) {
  const onnx = join(dir, requiredModelFiles(dtype).at(-1)!);
  const e = await TransformersEmbedder.load({ modelId: BUNDLED_MODEL_ID, modelDir: root, allowRemoteModels: false, dtype });
  try {
    const vs = await e.embed(reference.texts.map((r) => r.text));
    const cos = vs.map((v, i) => {
      const b = Buffer.from(reference.texts[i].vector, 'base64');
      return dot(v, new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
    });
    const min = Math.min(...cos);
    const worst = reference.texts[cos.indexOf(min)].text.slice(0, 30);
    const texts = [...new Set(qa.questions.flatMap((q) => [q.clause, ...[q.gold, ...q.distractors].map((id) => titleOf.get(id)!)]))];
    const vectors = new Map((await e.embed(texts)).map((v, i) => [texts[i], v]));
    let right = 0;
    for (const q of qa.questions) {
      const c = vectors.get(q.clause)!;
      const gold = dot(c, vectors.get(titleOf.get(q.gold)!)!);
      if (!q.goldIsDistractor && q.distractors.every((d) => dot(c, vectors.get(titleOf.get(d)!)!) < gold)) right++;
    }
    const mb = statSync(onnx).size / 2 ** 20;
    console.log(
      `| ${dtype} | ${mb.toFixed(1)} | ${min.toFixed(4)} | ${(cos.reduce((a, b) => a + b, 0) / cos.length).toFixed(4)} | ${JSON.stringify(worst)} | ${((right / qa.questions.length) * 100).toFixed(1)} % (${right}/${qa.questions.length}) |`,
    );
  } finally {
    await e.close();
  }
}
