/**
 * Probes and metrics scrapes come from the platform, not from clients, and must answer under load:
 * a shed liveness probe gets a healthy pod restarted, and readiness that flaps with load takes
 * instances out of rotation exactly when the others are busiest. Shedding and rate limiting skip them.
 */
const OPERATIONAL = new Set(['/healthz', '/readyz', '/metrics']);

export function isOperationalRoute(url: string): boolean {
  return OPERATIONAL.has(url.split('?')[0]);
}
