import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendProblem } from '../support/problem.js';
import { RETRY_AFTER_SECONDS } from '../../core/errors.js';

/**
 * Graceful drain for shutdown. Node's server.close() destroys "idle" keep-alive connections at
 * once, including one whose last response is still flushing from user space, which cuts large
 * responses off. So before closing we stop taking new work (503 + Connection: close), wait until
 * no request is in flight and every finished response has left its socket, and only then close.
 */
declare module 'fastify' {
  interface FastifyInstance {
    drain(timeoutMs: number): Promise<boolean>;
  }
}

export const drainPlugin = fp(
  async (app: FastifyInstance) => {
    let draining = false;
    const inFlight = new Set<object>();
    const flushing = new Set<NodeJS.WritableStream>();

    app.addHook('onRequest', async (request, reply) => {
      if (draining) {
        reply.header('Connection', 'close').header('Retry-After', String(RETRY_AFTER_SECONDS.unavailable));
        return sendProblem(reply, 503, 'The server is shutting down.');
      }
      inFlight.add(request.raw);
    });
    const done = async (request: { raw: object & { socket: NodeJS.WritableStream & { writableLength?: number } } }) => {
      if (!inFlight.delete(request.raw)) return;
      const socket = request.raw.socket;
      if (socket && (socket.writableLength ?? 0) > 0) {
        flushing.add(socket);
        const release = () => flushing.delete(socket);
        socket.once('drain', release);
        socket.once('close', release);
      }
    };
    app.addHook('onResponse', async (request) => done(request));
    app.addHook('onRequestAbort', async (request) => done(request));

    app.decorate('drain', async (timeoutMs: number) => {
      draining = true;
      const deadline = Date.now() + timeoutMs;
      while ((inFlight.size > 0 || flushing.size > 0) && Date.now() < deadline) await sleep(20);
      return inFlight.size === 0 && flushing.size === 0;
    });
  },
  { name: 'drain' },
);
