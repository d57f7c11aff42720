import { runStoreConformance } from '../conformance/store-conformance.js';
import { qdrantStores } from './qdrant-fixture.js';

/**
 * The store conformance suite against a REAL Qdrant. Qdrant cannot run on the machines that build
 * this project, so the suite runs only when QDRANT_URL points at one; otherwise it is reported as
 * skipped with the way to run it. (The adapter is also run against an in-process test double in
 * qdrant-double-conformance.test.ts, which proves less.)
 */
const url = process.env.QDRANT_URL;

runStoreConformance(
  'QdrantStore on a real Qdrant',
  qdrantStores(() => url!),
  {
    skip: url
      ? false
      : 'QDRANT_URL is not set: start Qdrant (docker compose -f docker/docker-compose.yml up qdrant) and run QDRANT_URL=http://localhost:6333 npm test',
  },
);
