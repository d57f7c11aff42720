import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers for the annotation page. The content security policy allows only this
 * server's own script and stylesheet: no inline script, so even text that slipped into the
 * markup could not run. Unlike the service, no HSTS and no upgrade-insecure-requests: the tool is
 * served over plain HTTP on a laptop or a LAN address, where both would break the page.
 */
export const annotateSecurityPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(helmet, {
      global: true,
      hsts: false,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
    });
  },
  { name: 'annotate-security' },
);
