import type { Product } from '../../src/core/product.js';
import { storeOf } from './sample-store.js';

/**
 * A hand-built catalog on which the aggregations disagree, under the offline lexical embedder.
 * For STEP, "lucky" has one intention that is the step itself (cosine 1.00) and three unrelated
 * ones (mean about 0.27); "steady" has four that all match well (0.53–0.84, mean about 0.69).
 * So max ranks lucky first and mean (and topm, m = 2) ranks steady first. The other products
 * give the benchmark its negatives.
 */
export const STEP = 'Light the charcoal grill quickly';
export const KNIT_STEP = 'Knit a warm wool scarf';

export const PRODUCTS: Product[] = [
  {
    id: 'lucky',
    title: 'Novelty multi-tool',
    category: 'grilling',
    intentions: [
      'because they want to light the charcoal grill quickly',
      'because they want to knit a wool scarf',
      'because they want to tune a violin',
      'because they want to paint a watercolor portrait',
    ],
  },
  {
    id: 'steady',
    title: 'Chimney starter',
    category: 'grilling',
    intentions: [
      'because they want to light charcoal without lighter fluid',
      'because they want a grill that is quick to light',
      'because they want hot charcoal for the grill fast',
      'because they want to light the grill quickly',
    ],
  },
  {
    id: 'grate-brush',
    title: 'Grill brush',
    category: 'grilling',
    intentions: ['because they want to clean the grill grate', 'because they want a grill ready for charcoal cooking'],
  },
  {
    id: 'tongs',
    title: 'Long tongs',
    category: 'grilling',
    intentions: ['because they want to turn food on a hot grill', 'because they want to move charcoal safely'],
  },
  {
    id: 'yarn',
    title: 'Merino yarn',
    category: 'knitting',
    intentions: ['because they want to knit a warm wool scarf', 'because they want soft yarn for winter knitting'],
  },
  {
    id: 'needles',
    title: 'Knitting needles',
    category: 'knitting',
    intentions: ['because they want to knit scarves and hats', 'because they want needles for chunky wool'],
  },
  { id: 'rosin', title: 'Violin rosin', category: 'music', intentions: ['because they want their violin bow to grip the strings'] },
  { id: 'tuner', title: 'Clip-on tuner', category: 'music', intentions: ['because they want to tune a guitar or violin by ear'] },
  { id: 'brushes', title: 'Watercolor brushes', category: 'painting', intentions: ['because they want to paint watercolor landscapes'] },
  { id: 'easel', title: 'Table easel', category: 'painting', intentions: ['because they want to hold a canvas while painting'] },
  { id: 'trowel', title: 'Garden trowel', category: 'garden', intentions: ['because they want to plant bulbs in the garden'] },
  { id: 'hose', title: 'Garden hose', category: 'garden', intentions: ['because they want to water the lawn and flowers'] },
];

export const SCRIPTS = [
  { id: 's1', objective: 'Host a barbecue', steps: [STEP, 'Turn the food on the grill'] },
  { id: 's2', objective: 'Make a winter gift', steps: [KNIT_STEP, 'Wrap the scarf'] },
];

/** Judgements: for STEP, steady is useful and lucky is not (its one intention is a fluke). */
export const LABELS = [
  { step: STEP, productId: 'steady', label: 1 },
  { step: STEP, productId: 'lucky', label: 0 },
  { step: STEP, productId: 'tongs', label: 0 },
  { step: STEP, productId: 'yarn', label: 0 },
  { step: KNIT_STEP, productId: 'yarn', label: 1 },
  { step: KNIT_STEP, productId: 'needles', label: 1 },
  { step: KNIT_STEP, productId: 'lucky', label: 0 },
  { step: KNIT_STEP, productId: 'hose', label: 0 },
];

export const jsonl = (items: readonly unknown[]) => `${items.map((i) => JSON.stringify(i)).join('\n')}\n`;

/** PRODUCTS in a temporary embedded store with the exact index, as sample-store.ts builds the sample. */
export function scoringStore() {
  return storeOf(PRODUCTS, 'ecomalign-scoring-test-');
}
