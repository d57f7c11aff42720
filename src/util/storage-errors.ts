import { StorageFullError, type StorageRefusalReason } from '../core/errors.js';

/**
 * Which errors mean "the volume cannot take this write", by code: SQLite's result codes (as
 * better-sqlite3 puts them in `code`, also across the writer thread) and Node's errno names.
 * SQLite reports ENOSPC as SQLITE_FULL, and so a short write at a quota limit (EDQUOT); a write
 * that fails outright over quota comes back as SQLITE_IOERR_WRITE, indistinguishable from a
 * failing disk, and stays an internal error.
 */
const FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);
const READ_ONLY = new Set(['EROFS']);

export function storageRefusalOf(err: unknown): StorageRefusalReason | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  if (FULL.has(code)) return 'full';
  // SQLITE_READONLY and its extended codes (_DBMOVED, _RECOVERY, _DIRECTORY, ...).
  if (READ_ONLY.has(code) || code.startsWith('SQLITE_READONLY')) return 'read-only';
  return undefined;
}

const DETAIL: Record<StorageRefusalReason, string> = {
  full: 'the data volume is full',
  'read-only': 'the data volume is read-only',
  'below-floor': 'free space on the data volume is below STORAGE_MIN_FREE_BYTES',
};

/** `err` as a StorageFullError when it is one of the codes above (the original as its cause), else undefined. */
export function asStorageFullError(err: unknown, what: string): StorageFullError | undefined {
  if (err instanceof StorageFullError) return err;
  const reason = storageRefusalOf(err);
  if (!reason) return undefined;
  const code = (err as { code: string }).code;
  return new StorageFullError(`${what} was refused: ${DETAIL[reason]} (${code}); nothing of it was stored.`, reason, { cause: err });
}

/** The refusal when the floor is crossed (no error from the file system yet). */
export function belowFloorError(what: string, freeBytes: number, minFreeBytes: number): StorageFullError {
  return new StorageFullError(
    `${what} was refused: ${DETAIL['below-floor']} (${freeBytes} bytes free, floor ${minFreeBytes}); nothing of it was stored.`,
    'below-floor',
  );
}
