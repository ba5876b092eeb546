/**
 * The database: SQLite through Kysely by default. Opened lazily on first use, never at module
 * load, because `vite build` imports server modules to analyse them.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { DatabaseConfig } from './config';

/** Tables the application reads and writes; later migrations add to it. */
export type Schema = Record<string, never>;

let instance: { db: Kysely<Schema>; config: DatabaseConfig } | undefined;

/**
 * Opens the database described by `config` (creating the folder of a SQLite file), with WAL,
 * foreign keys on and `synchronous = FULL`: a write is on disk before it is acknowledged.
 */
export function openDatabase(config: DatabaseConfig): Kysely<Schema> {
	if (instance) return instance.db;
	mkdirSync(dirname(config.path), { recursive: true });
	const sqlite = new Database(config.path);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
	instance = { db, config };
	return db;
}

/** The open database; throws if start-up has not opened it. */
export function database(): Kysely<Schema> {
	if (!instance) throw new Error('The database is not open: hooks.server.ts opens it at start-up.');
	return instance.db;
}

/** Runs a trivial query: true when the database answers. */
export async function databaseAnswers(): Promise<boolean> {
	const result = await sql<{ ok: number }>`select 1 as ok`.execute(database());
	return result.rows[0]?.ok === 1;
}
