/**
 * The manifest a shipped model directory carries (written by tools/model/export.py): where the files came from
 * and every file's sha256. A directory with a manifest is checked in full before it is loaded, so a truncated
 * download, a bad merge or an edited tokenizer stops start-up with the file's name and expected hash, instead
 * of serving vectors that silently differ from the ones the thresholds were calibrated on.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.json';

const manifestSchema = z.object({
  model: z.string().min(1),
  variants: z.record(z.string(), z.string()),
  source: z.object({ package: z.string(), version: z.string() }).loose(),
  files: z.record(z.string(), z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(0) })),
});

export type ModelManifest = z.infer<typeof manifestSchema>;

/** What a successful check established, for /readyz and the logs. */
export interface VerifiedModel {
  manifest: string;
  /** Source package and version the files were exported from. */
  source: string;
  files: number;
  /** sha256 of each ONNX file the manifest lists, by path. */
  onnx: Record<string, string>;
}

/** A model file is missing, altered, or the manifest itself is unreadable. Never answered by a fallback model. */
export class ModelIntegrityError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly expectedSha256?: string,
    readonly actualSha256?: string,
  ) {
    super(message);
    this.name = 'ModelIntegrityError';
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The one variant a manifest ships ('fp32' or 'q8'), read synchronously before a load picks its files;
 * undefined without a manifest, or when it ships several. A malformed manifest is reported by the full check.
 */
export function shippedVariant(dir: string): string | undefined {
  try {
    const variants = Object.keys((JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as ModelManifest).variants ?? {});
    return variants.length === 1 ? variants[0] : undefined;
  } catch {
    return undefined;
  }
}

export async function readManifest(dir: string): Promise<ModelManifest | undefined> {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ModelIntegrityError(`model manifest ${path} is not valid JSON: ${(err as Error).message}`, path);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ModelIntegrityError(`model manifest ${path} is malformed at ${first.path.join('.') || '(root)'}: ${first.message}`, path);
  }
  return parsed.data;
}

/**
 * Checks every file the manifest of `dir` lists (size, then sha256), and that it lists each of `required`.
 * Returns undefined when `dir` has no manifest (a model provided by hand under MODEL_DIR, or a hub download).
 */
export async function verifyModelDir(dir: string, required: readonly string[]): Promise<VerifiedModel | undefined> {
  const manifest = await readManifest(dir);
  if (!manifest) return undefined;
  const entries = Object.entries(manifest.files);
  for (const file of required) {
    if (!manifest.files[file]) {
      throw new ModelIntegrityError(
        `model file ${join(dir, file)} is not part of the model shipped in ${dir} (its manifest lists ${Object.values(manifest.variants).join(', ')}); ` +
          `choose a variant it ships (MODEL_DTYPE) or re-export with tools/model/export.py`,
        join(dir, file),
      );
    }
  }
  const onnx: Record<string, string> = {};
  for (const [file, expected] of entries) {
    const path = join(dir, file);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) {
      throw new ModelIntegrityError(
        `model file ${path} is missing (expected sha256 ${expected.sha256}, ${expected.bytes} bytes); restore it from the repository (git checkout -- ${file}) or re-export with tools/model/export.py`,
        path,
        expected.sha256,
      );
    }
    const actual = info.size === expected.bytes ? await sha256File(path) : `size ${info.size}`;
    if (actual !== expected.sha256) {
      throw new ModelIntegrityError(
        `model file ${path} was altered: expected sha256 ${expected.sha256} (${expected.bytes} bytes), found ${info.size === expected.bytes ? `sha256 ${actual}` : `${info.size} bytes`}; ` +
          `restore it from the repository or re-export with tools/model/export.py`,
        path,
        expected.sha256,
        actual,
      );
    }
    if (file.endsWith('.onnx')) onnx[file] = expected.sha256;
  }
  return {
    manifest: join(dir, MANIFEST_FILE),
    source: `${manifest.source.package} ${manifest.source.version}`,
    files: entries.length,
    onnx,
  };
}
