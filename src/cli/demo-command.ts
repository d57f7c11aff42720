import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SETTINGS } from '../config.js';
import { createServices } from '../services.js';
import { defineCommand } from './command.js';
import { ingestFile } from '../app/ingest-file/ingest-file.js';
import { serve, serveOptions } from './serve-command.js';
import { cliLogger } from './with-services.js';

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'ingest the sample catalog and serve it',
  options: serveOptions,
  // A store of its own, apart from the default .data, unless --data-dir or DATA_DIR says otherwise.
  configDefaults: { [SETTINGS.dataDir.env]: '.data/demo' },
  run: async (_o, { config, stderr }) => {
    const catalogFile = fileURLToPath(new URL('../../data/sample/catalog.jsonl', import.meta.url));
    const sample = existsSync(catalogFile) ? catalogFile : fileURLToPath(new URL('../../../data/sample/catalog.jsonl', import.meta.url));
    // Not withServices: on success the services outlive this function, handed to the server that closes them.
    const services = await createServices(config, cliLogger(config));
    try {
      stderr.write(`demo: ingesting ${sample} into ${config.dataDir} with ${services.embedder.id}\n`);
      const summary = await ingestFile(services.catalog, { file: sample, strict: true, batchSize: 256, stderr });
      stderr.write(`demo: ${summary.upserted} products embedded, ${summary.unchanged} already current\n`);
    } catch (err) {
      await services.close();
      throw err;
    }
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
    stderr.write(
      `demo: serving on ${url}  (Swagger UI: ${url}/docs)\n` +
        `try:  curl -s ${url}/align -H 'content-type: application/json' ` +
        `-d '{"objective":"Host a backyard barbecue","steps":["Light the charcoal","Keep the drinks cold"]}'\n`,
    );
    return serve(config, stderr, services);
  },
});
