import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { escapeHtml } from '../../support/escape-html.js';

/**
 * The page: a static HTML shell, one small script and one stylesheet, no build step. The shell's
 * only server-side text is the set's name, escaped; everything else is filled in by the script
 * with textContent.
 */
export const pageRoutes: FastifyPluginAsync<{ setName: string }> = async (app, { setName }) => {
  const html = asset('index.html').replaceAll('{{SET_NAME}}', escapeHtml(setName));
  const script = asset('annotate.js');
  const style = asset('annotate.css');
  const hidden = { schema: { hide: true } };
  app.get('/', hidden, async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html));
  app.get('/annotate.js', hidden, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(script),
  );
  // Browsers ask for it; an empty answer keeps a 404 out of the console.
  app.get('/favicon.ico', hidden, async (_request, reply) => reply.code(204).send());
  app.get('/annotate.css', hidden, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(style),
  );
};

/** The page's files sit beside the source; a built dist/ reads them from the source tree it came from. */
function asset(name: string): string {
  const beside = fileURLToPath(new URL(`../page/${name}`, import.meta.url));
  const source = fileURLToPath(new URL(`../../../../../src/http/annotate/page/${name}`, import.meta.url));
  return readFileSync(existsSync(beside) ? beside : source, 'utf8');
}
