import type { Services } from '../services.js';

/**
 * What the HTTP layer serves from. The server listens before the model has loaded (loading a
 * model takes seconds), so services arrive later; until then /readyz and the API answer 503.
 */
export interface AppState {
  services?: Services;
  /** Set when start-up failed for good; reported by /readyz. */
  failure?: string;
}
