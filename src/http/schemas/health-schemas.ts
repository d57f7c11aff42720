import { z } from 'zod';

const refusalReason = z
  .enum(['full', 'read-only', 'below-floor'])
  .describe(
    'full: the volume (or its quota) is full; read-only: it is mounted read-only; below-floor: fewer free bytes than STORAGE_MIN_FREE_BYTES.',
  );

const storageStatus = z.object({
  writes: z.enum(['accepted', 'refused']).describe('Whether catalog writes are accepted now.'),
  reason: refusalReason.optional(),
  freeBytes: z.number().int().optional().describe('Bytes this process may still write on the data volume.'),
  totalBytes: z.number().int().optional(),
  minFreeBytes: z.number().int().describe('STORAGE_MIN_FREE_BYTES: writes are refused below it (0: only when full).'),
  refusedWrites: z.number().int().describe('Catalog writes refused for lack of storage since start.'),
  lastRefusal: z
    .object({ at: z.string(), reason: refusalReason, detail: z.string() })
    .optional()
    .describe('The latest refusal, until a write succeeds or the volume regains space.'),
  cache: z
    .object({
      writes: z.number().int().describe('Embedding cache flushes that failed; their entries were dropped, requests were answered.'),
      droppedEntries: z.number().int(),
      reads: z.number().int().describe('Cache lookups that failed and were answered as misses.'),
    })
    .optional()
    .describe('What the best-effort embedding cache skipped since start.'),
});

export const healthResponse = z.object({ status: z.literal('ok') });

export const readyResponse = z.object({
  status: z.enum(['ready', 'starting', 'unavailable']),
  model: z.string().optional().describe('Id of the embedding model, with its variant after "@" (e.g. "@fp32").'),
  modelInfo: z
    .object({
      id: z.string(),
      variant: z.string().describe('fp32 or q8 (int8) for the sentence model; "builtin" for the offline embedders.'),
      source: z.string().optional().describe('Directory (or hub id) the model was loaded from.'),
      verified: z
        .object({
          manifest: z.string(),
          from: z.string().describe('Package and version the files were exported from.'),
          files: z.number().int(),
          onnxSha256: z.array(z.string()),
        })
        .optional()
        .describe('Present when every model file was checked against its manifest at start-up.'),
    })
    .optional(),
  dimension: z.number().int().optional(),
  store: z.string().optional(),
  products: z.number().int().optional(),
  intentions: z.number().int().optional(),
  titles: z.number().int().optional(),
  detail: z.string().optional(),
  index: z
    .object({
      pendingTexts: z.number().int().describe('Committed texts not yet in the HNSW index (searchable meanwhile by exact scan).'),
      pendingRemovals: z.number().int().describe('Removed texts not yet removed from the HNSW index (hidden meanwhile).'),
      indexFailures: z.number().int().describe('Native index calls that failed since start (each retried).'),
      consecutiveIndexFailures: z.number().int(),
      lastIndexError: z.string().optional(),
      lastCheck: z
        .object({
          at: z.string(),
          missing: z
            .object({ intention: z.number().int(), title: z.number().int() })
            .describe('Catalog texts the index could not return (put back by the check).'),
          extra: z
            .object({ intention: z.number().int(), title: z.number().int() })
            .describe('Index entries the catalog does not have (never returned).'),
          unreachable: z
            .object({ intention: z.number().int(), title: z.number().int() })
            .describe('Probed texts the index holds but no search for their own vector returns (re-inserted by the check).'),
          probed: z.number().int().describe('Texts searched by their own vector in this check (a rotating window).'),
          checkedTexts: z.number().int(),
        })
        .optional(),
    })
    .optional()
    .describe('In-process index only: its backlog and its latest check against the catalog.'),
  storage: storageStatus
    .optional()
    .describe(
      'The data volume (DATA_DIR). While writes are refused /readyz stays 200, so reads keep their traffic; POST and DELETE /products answer 507.',
    ),
});
