import net from 'node:net';

/**
 * Slow uploads (OWASP API4), raw TCP so nothing between us and the server finishes the body: each
 * connection sends request headers declaring a `declaredBytes` JSON body, the first `sentBytes` of
 * it, then nothing. What the server does with them (answer 408/400/503, close, or wait) is recorded
 * per connection, with when it happened.
 */

export interface SlowConnection {
  /** The first line the server sent ("HTTP/1.1 408 Request Timeout"), if any. */
  statusLine?: string;
  /** ms from connecting to the first byte from the server. */
  answeredAfterMs?: number;
  /** ms from connecting to the server closing (or resetting) the connection. */
  closedAfterMs?: number;
  /** A connect failure or reset, if one happened. */
  error?: string;
}

export interface SlowClients {
  /** Stops watching and closes every connection still open; what each one saw. */
  close(): SlowConnection[];
}

export async function openSlowClients(o: {
  url: string;
  count: number;
  path: string;
  declaredBytes: number;
  /** The start of the body actually sent (shorter than declared). */
  bodyStart: string;
  headers?: Record<string, string>;
}): Promise<SlowClients> {
  const target = new URL(o.url);
  const head = [
    `POST ${o.path} HTTP/1.1`,
    `host: ${target.host}`,
    'content-type: application/json',
    `content-length: ${o.declaredBytes}`,
    ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    '',
    '',
  ].join('\r\n');
  const seen: SlowConnection[] = [];
  const sockets: net.Socket[] = [];
  const opened = Array.from(
    { length: o.count },
    () =>
      new Promise<void>((resolve) => {
        const conn: SlowConnection = {};
        seen.push(conn);
        const started = performance.now();
        const socket = net.connect({ host: target.hostname, port: Number(target.port) });
        sockets.push(socket);
        let first = '';
        socket.on('connect', () => {
          socket.write(head + o.bodyStart);
          resolve();
        });
        socket.on('data', (chunk: Buffer) => {
          conn.answeredAfterMs ??= Math.round(performance.now() - started);
          if (conn.statusLine === undefined) {
            first += chunk.toString('latin1');
            const eol = first.indexOf('\r\n');
            if (eol >= 0) conn.statusLine = first.slice(0, eol);
          }
        });
        socket.on('error', (err) => {
          conn.error ??= err.message;
          resolve();
        });
        socket.on('close', () => {
          conn.closedAfterMs ??= Math.round(performance.now() - started);
          resolve();
        });
      }),
  );
  await Promise.all(opened);
  return {
    close() {
      for (const socket of sockets) {
        socket.removeAllListeners('close');
        socket.on('error', () => {});
        socket.destroy();
      }
      return seen;
    },
  };
}

export interface SlowConnectionSummary {
  /** Connections by what they received: a status line, "closed without an answer", or "still open". */
  outcomes: { outcome: string; count: number; firstAfterMs?: number; lastAfterMs?: number }[];
}

function outcomeOf(c: SlowConnection): string {
  if (c.statusLine !== undefined) return c.statusLine;
  if (c.closedAfterMs !== undefined) return `closed without an answer${c.error ? ` (${c.error})` : ''}`;
  return 'still open at the end';
}

/** Groups connections by outcome, with the earliest and latest time it happened (none for "still open"). */
export function summarizeSlowConnections(conns: readonly SlowConnection[]): SlowConnectionSummary {
  const groups = new Map<string, { count: number; times: number[] }>();
  for (const c of conns) {
    const group = groups.get(outcomeOf(c)) ?? { count: 0, times: [] };
    group.count++;
    const when = c.answeredAfterMs ?? c.closedAfterMs;
    if (when !== undefined) group.times.push(when);
    groups.set(outcomeOf(c), group);
  }
  return {
    outcomes: [...groups.entries()].map(([outcome, { count, times }]) => ({
      outcome,
      count,
      firstAfterMs: times.length ? Math.min(...times) : undefined,
      lastAfterMs: times.length ? Math.max(...times) : undefined,
    })),
  };
}
