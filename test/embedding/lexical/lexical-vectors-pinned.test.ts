/**
 * Pins the lexical embedder's output bit for bit. Its id ("lexical-hash-384-v1") tags every stored vector, so
 * any change to tokenising, stemming, hashing or weighting must come with a new id; a refactor must not move a
 * single bit. The texts cover the tokenizer's and the stemmer's branches (Unicode folding, surrogate pairs,
 * apostrophes, stop-word-only texts, digits and units, hyphens) and a text long enough to grow the feature table.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { LexicalEmbedder } from '../../../src/embedding/lexical/lexical-embedder.js';

const TEXTS: readonly string[] = [
  '',
  '   \n\t',
  '?!... — ---',
  'because they want to',
  'because they want to grill outdoors',
  'Buy charcoal',
  'Light the grill and wait 20 minutes',
  'a 20 lb bag of charcoal briquettes',
  'USB-C to USB-C cable, 2 m (6.6 ft)',
  '4K HDMI 2.1 cable 48Gbps',
  "the kid's tent and don't forget mom’s sleeping bags",
  'grilling grilled grills grill',
  'batteries battery cookies cookie baking bake hiking hikes running boxes glasses bus bring speed quickly',
  'Crème Brûlée naïve café e\u0301',
  'ＧＲＩＬＬ ＳＴＥＡＫＳ',
  '𝒢𝓇𝒾𝓁𝓁 the 𝓈𝓉𝑒𝒶𝓀',
  '🔥🔥 grill 🍖 party 🎉',
  '日本のお茶を買う',
  'купить уголь для гриля',
  'İstanbul ß straße Æsir ﬁsh',
  'x',
  'a',
  'Wi-Fi 6E router, dual-band, 5.4 GHz; 3-pack',
  'because they need to charge their phone at 3:00 a.m.',
  '$19.99 — 50% off!!! (limited time) #deal @store',
  'paint the nursery pastel blue before the baby arrives',
  'replace the bike’s flat tire and pump it to 65 psi',
  'because they want to grill '.repeat(500) + 'outdoors',
  Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' '),
  'The quick brown fox jumps over the lazy dog while the chef is slowly roasting marshmallows by the campfire',
];

// Computed with the code as it was before lexical-embedder.ts was split into src/embedding/lexical/.
const PINNED_ID = 'lexical-hash-384-v1';
const PINNED_SHA256 = '6e69a13a3570ca2c758fab7238bb7dc2a8645d78ce8e80f6ae698c9741504154';

function digest(id: string, vectors: readonly Float32Array[]): string {
  const hash = createHash('sha256');
  hash.update(id);
  for (const v of vectors) {
    // Little-endian explicitly, so the digest does not depend on the machine's byte order.
    const bytes = new DataView(new ArrayBuffer(v.length * 4));
    for (let i = 0; i < v.length; i++) bytes.setFloat32(i * 4, v[i], true);
    hash.update(new Uint8Array(bytes.buffer));
  }
  return hash.digest('hex');
}

it('lexical embedder vectors are byte-identical to the pinned digest', async () => {
  const embedder = new LexicalEmbedder();
  assert.equal(embedder.id, PINNED_ID);
  // One batch, then every text alone: batching must not change a bit either.
  const batch = await embedder.embed(TEXTS);
  const alone = await Promise.all(TEXTS.map(async (t) => (await embedder.embed([t]))[0]));
  assert.equal(digest(embedder.id, alone), digest(embedder.id, batch));
  assert.equal(digest(embedder.id, batch), PINNED_SHA256);
});
