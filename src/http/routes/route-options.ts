import type { AppState } from '../app-state.js';

export interface RouteOptions {
  state: AppState;
  apiKey?: string;
}
