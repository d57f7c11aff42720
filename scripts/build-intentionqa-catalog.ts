/**
 * Builds data/intentionqa/catalog.jsonl from the IntentionQA tuning split copied beside it
 * (task1.jsonl, task2.jsonl; MIT, HKUST-KnowComp): one product per distinct Amazon item, its
 * title the item's name, its intentions the "because …" clauses of the co-purchase assertions it
 * appears in. Items seen only as distractors have no assertion and so no intentions.
 * Deterministic: products in id order, intentions in first-seen order.
 *
 *   npx tsx scripts/build-intentionqa-catalog.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Row {
  item_a_id: string;
  item_b_id: string;
  item_a_name: string;
  item_b_name: string;
  assertion: string;
  distractors_id: string[];
  distractors_product?: string[];
}

const dir = fileURLToPath(new URL('../data/intentionqa/', import.meta.url));
const rows: Row[] = ['task1.jsonl', 'task2.jsonl'].flatMap((file) =>
  readFileSync(`${dir}${file}`, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Row),
);

const titles = new Map<string, string>();
const intentions = new Map<string, string[]>();
const addIntention = (id: string, clause: string) => {
  const list = intentions.get(id) ?? [];
  if (!list.includes(clause)) list.push(clause);
  intentions.set(id, list);
};
for (const row of rows) {
  titles.set(row.item_a_id, row.item_a_name.trim());
  titles.set(row.item_b_id, row.item_b_name.trim());
  row.distractors_product?.forEach((name, i) => titles.set(row.distractors_id[i], name.trim()));
  const because = row.assertion.indexOf(' because ');
  if (because >= 0) {
    const clause = row.assertion.slice(because + 1).trim();
    addIntention(row.item_a_id, clause);
    addIntention(row.item_b_id, clause);
  }
}
const lines = [...titles.keys()]
  .filter((id) => titles.get(id))
  .sort()
  .map((id) => JSON.stringify({ id, title: titles.get(id)!.slice(0, 1000), intentions: (intentions.get(id) ?? []).slice(0, 64) }));
writeFileSync(`${dir}catalog.jsonl`, `${lines.join('\n')}\n`);
process.stderr.write(`wrote ${lines.length} products to ${dir}catalog.jsonl\n`);
