/**
 * k6 smoke profile against /align, /align/batch and /products (see lib/profiles.ts).
 *   k6 run -e BASE_URL=http://localhost:8080 -e BASE_RATE=200 [-e API_KEY=...] loadtests/smoke.ts
 * Needs k6 >= 1.0 (TypeScript scripts run natively).
 */
import { optionsFor } from './lib/options.ts';

export const options = optionsFor('smoke');
export { align1, align5, alignBatch, productsRead, productsWrite } from './lib/scenarios.ts';
