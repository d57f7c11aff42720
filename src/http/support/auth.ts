import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from './problem.js';

/**
 * preHandler for write routes: requires `Authorization: Bearer <API_KEY>` when a key is configured.
 * Both sides are hashed first so the comparison is constant-time whatever the lengths.
 */
export function requireApiKey(apiKey: string | undefined) {
  const expected = apiKey ? digest(apiKey) : undefined;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!expected) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1].trim()), expected)) {
      reply.header('WWW-Authenticate', 'Bearer realm="ecomalign"');
      return sendProblem(reply, 401, 'Write endpoints require "Authorization: Bearer <API_KEY>".');
    }
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
