import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { StoreError } from '../../core/errors.js';
import { APPLICATION_ID, LATEST_VERSION, MIGRATIONS } from './migrations.js';

/** A better-sqlite3 connection. */
export type SqliteDatabase = Database.Database;

const SQLITE_HEADER = 'SQLite format 3\u0000';

/** WAL pages between automatic checkpoints (see `openDatabase`). */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** What `inspectStoreFile` found. */
export interface StoreFileInfo {
  /** False when the file does not exist or is empty (a new store will be created). */
  exists: boolean;
  /** `PRAGMA user_version` (0 for a new file). */
  version: number;
  /** Names of the user tables in the file. */
  tables: string[];
}

/**
 * Looks at a file without modifying it and throws a `StoreError` when it is not a MarketBench
 * store this code can use: not SQLite, corrupt, another application's database, or a newer schema.
 */
export function inspectStoreFile(file: string): StoreFileInfo {
  if (!existsSync(file) || statSync(file).size === 0) return { exists: false, version: 0, tables: [] };
  if (statSync(file).isDirectory()) throw new StoreError(file, 'is a directory, expected a SQLite file');
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_HEADER) {
    throw new StoreError(file, 'is not a SQLite database (bad header); it was left untouched');
  }
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(String(check));
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
        name: string;
      }[]
    ).map((row) => row.name);
    if (applicationId !== APPLICATION_ID && tables.length > 0) {
      throw new StoreError(
        file,
        `is a SQLite database of another application (tables: ${tables.slice(0, 5).join(', ')}); it was left untouched`,
      );
    }
    if (version > LATEST_VERSION) {
      throw new StoreError(
        file,
        `has schema version ${version}, newer than this MarketBench understands (${LATEST_VERSION}); upgrade MarketBench`,
      );
    }
    return { exists: true, version, tables };
  } catch (error) {
    if (StoreError.isInstance(error)) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new StoreError(file, `is corrupt or unreadable (${detail}); it was left untouched`, { cause: error });
  } finally {
    db?.close();
  }
}

/** Runs every migration newer than the file's version, each in its own transaction. */
export function migrate(db: SqliteDatabase, target = LATEST_VERSION): number {
  let version = db.pragma('user_version', { simple: true }) as number;
  for (const migration of MIGRATIONS) {
    if (migration.version <= version || migration.version > target) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${migration.version}`);
    })();
    version = migration.version;
  }
  return version;
}

/**
 * Opens (creating or migrating) a store file: checks it first, then opens it read-write in WAL
 * mode and applies pending migrations. An older schema is migrated, never reset.
 */
export function openDatabase(file: string, options: { targetVersion?: number } = {}): SqliteDatabase {
  const { exists } = inspectStoreFile(file);
  const db = new Database(file);
  try {
    // A new file is created in rollback-journal mode and switched to WAL; at the default
    // synchronous=FULL that switch alone costs four fsyncs. The file is still empty then, so a
    // crash can lose nothing: sync it from the first WAL commit on (the migrations below).
    if (!exists) db.pragma('synchronous = OFF');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checkpoint (and fsync) once per 10,000 pages (40 MB) of WAL instead of SQLite's 1,000: a
    // checkpoint blocks the event loop on two fsyncs, which a paid run did every ~300 calls, each
    // stalling every call in flight. Closing the store still checkpoints everything into the file.
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.targetVersion);
    return db;
  } catch (error) {
    db.close();
    throw new StoreError(file, `could not be opened: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
