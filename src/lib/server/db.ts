/**
 * The database: SQLite through Kysely by default. Opened lazily at start-up (hooks.server.ts),
 * never at module load, because `vite build` imports server modules to analyse them. Migrations
 * are code, applied in order at start-up. Queries stay within portable SQL so that a Postgres
 * dialect can be added without rewriting them.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql, type CompiledQuery, type Migration } from 'kysely';
import type { DatabaseConfig } from './config';

export interface SessionRow {
	code: string;
	/** The teacher who hosts it, when known: their key lists it from any device. */
	teacher_id: string | null;
	scenario_id: string;
	mode: string;
	title: string;
	host_token_hash: string;
	/** The session machine's persisted snapshot, as JSON. */
	machine: string;
	created_at: string;
	ended_at: string | null;
	/** 1: participants are not offered the article (closed-book); 0: they are. */
	closed_book: number;
	/** 1 once the host has locked joining: nobody new may join. */
	joining_locked: number;
}

/** A deleted session's code, kept so that its students' pages get 410 rather than 404. */
export interface DeletedSessionRow {
	code: string;
	deleted_at: string;
}

/** The one row the storage health check writes over (see `probeWrites`). */
export interface StorageProbeRow {
	id: string;
	written_at: string;
}

export interface TeacherRow {
	id: string;
	/** SHA-256 of the teacher key, which is shown once and never stored. */
	key_hash: string;
	created_at: string;
}

export interface ParticipantRow {
	id: string;
	session_code: string;
	nickname: string;
	/** The nickname folded for comparison: one participant per nickname in a session. */
	nickname_key: string;
	token_hash: string;
	joined_at: string;
}

export interface AnswerRow {
	/** Made by the client: a retry with the same id returns the stored result. */
	answer_id: string;
	session_code: string;
	participant_id: string;
	question_id: string;
	/** The response as sent, as JSON. */
	response: string;
	correct: number;
	credit: number;
	points: number;
	max_points: number;
	answered_at: string;
}

export interface Schema {
	teachers: TeacherRow;
	sessions: SessionRow;
	participants: ParticipantRow;
	answers: AnswerRow;
	deleted_sessions: DeletedSessionRow;
	storage_probe: StorageProbeRow;
}

/** Every migration, by name; names sort in the order they apply. */
const migrations: Record<string, Migration> = {
	'0001_classroom': {
		async up(db) {
			await db.schema
				.createTable('sessions')
				.addColumn('code', 'text', (c) => c.primaryKey())
				.addColumn('scenario_id', 'text', (c) => c.notNull())
				.addColumn('mode', 'text', (c) => c.notNull())
				.addColumn('title', 'text', (c) => c.notNull())
				.addColumn('host_token_hash', 'text', (c) => c.notNull())
				.addColumn('machine', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('participants')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('session_code', 'text', (c) =>
					c.notNull().references('sessions.code').onDelete('cascade')
				)
				.addColumn('nickname', 'text', (c) => c.notNull())
				.addColumn('nickname_key', 'text', (c) => c.notNull())
				.addColumn('token_hash', 'text', (c) => c.notNull())
				.addColumn('joined_at', 'text', (c) => c.notNull())
				.addUniqueConstraint('participants_nickname_unique', ['session_code', 'nickname_key'])
				.execute();
			await db.schema
				.createTable('answers')
				.addColumn('answer_id', 'text', (c) => c.primaryKey())
				.addColumn('session_code', 'text', (c) =>
					c.notNull().references('sessions.code').onDelete('cascade')
				)
				.addColumn('participant_id', 'text', (c) =>
					c.notNull().references('participants.id').onDelete('cascade')
				)
				.addColumn('question_id', 'text', (c) => c.notNull())
				.addColumn('response', 'text', (c) => c.notNull())
				.addColumn('correct', 'integer', (c) => c.notNull())
				.addColumn('credit', 'real', (c) => c.notNull())
				.addColumn('points', 'integer', (c) => c.notNull())
				.addColumn('max_points', 'integer', (c) => c.notNull())
				.addColumn('answered_at', 'text', (c) => c.notNull())
				.addUniqueConstraint('answers_one_per_question', ['participant_id', 'question_id'])
				.execute();
			await db.schema
				.createIndex('answers_by_session')
				.on('answers')
				.column('session_code')
				.execute();
			await db.schema
				.createIndex('participants_by_token')
				.on('participants')
				.column('token_hash')
				.unique()
				.execute();
		},
		async down(db) {
			await db.schema.dropTable('answers').execute();
			await db.schema.dropTable('participants').execute();
			await db.schema.dropTable('sessions').execute();
		}
	},
	'0002_teachers': {
		async up(db) {
			await db.schema
				.createTable('teachers')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('key_hash', 'text', (c) => c.notNull().unique())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.alterTable('sessions')
				.addColumn('teacher_id', 'text', (c) => c.references('teachers.id').onDelete('set null'))
				.execute();
			await db.schema.alterTable('sessions').addColumn('ended_at', 'text').execute();
			await db.schema
				.createIndex('sessions_by_teacher')
				.on('sessions')
				.column('teacher_id')
				.execute();
		},
		async down(db) {
			await db.schema.dropIndex('sessions_by_teacher').execute();
			await db.schema.alterTable('sessions').dropColumn('ended_at').execute();
			await db.schema.alterTable('sessions').dropColumn('teacher_id').execute();
			await db.schema.dropTable('teachers').execute();
		}
	},
	'0003_closed_book': {
		async up(db) {
			await db.schema
				.alterTable('sessions')
				.addColumn('closed_book', 'integer', (c) => c.notNull().defaultTo(0))
				.execute();
		},
		async down(db) {
			await db.schema.alterTable('sessions').dropColumn('closed_book').execute();
		}
	},
	'0004_flood_limits': {
		async up(db) {
			await db.schema
				.alterTable('sessions')
				.addColumn('joining_locked', 'integer', (c) => c.notNull().defaultTo(0))
				.execute();
			await db.schema
				.createTable('deleted_sessions')
				.addColumn('code', 'text', (c) => c.primaryKey())
				.addColumn('deleted_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('storage_probe')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('written_at', 'text', (c) => c.notNull())
				.execute();
			// Exports read a session's answers a page at a time, in this order. It replaces the index
			// on session_code alone (its first column), so an answer still updates one index, not two.
			await db.schema
				.createIndex('answers_by_session_time')
				.on('answers')
				.columns(['session_code', 'answered_at', 'answer_id'])
				.execute();
			await db.schema.dropIndex('answers_by_session').execute();
		},
		async down(db) {
			await db.schema
				.createIndex('answers_by_session')
				.on('answers')
				.column('session_code')
				.execute();
			await db.schema.dropIndex('answers_by_session_time').execute();
			await db.schema.dropTable('storage_probe').execute();
			await db.schema.dropTable('deleted_sessions').execute();
			await db.schema.alterTable('sessions').dropColumn('joining_locked').execute();
		}
	}
};

let instance: Kysely<Schema> | undefined;
let connection: Database.Database | undefined;
let openedPath: string | undefined;
/** The lock that keeps a second server off this database file (see `takeServerLock`). */
let serverLock: Database.Database | undefined;

/** Start-up refused because another server process holds the database; the message says why. */
export class DatabaseInUseError extends Error {
	override name = 'DatabaseInUseError';
}

/**
 * Holds an exclusive lock on `<database>.lock` for as long as this process lives: a second server
 * started on the same file would keep its own live dashboards and serve stale figures, so it must
 * not start. SQLite takes the lock with the operating system, which releases it when the process
 * ends however it ends (a `kill -9` leaves no stale lock behind).
 */
function takeServerLock(path: string): void {
	if (serverLock) return;
	const lock = new Database(`${path}.lock`, { timeout: 0 });
	try {
		lock.pragma('locking_mode = EXCLUSIVE');
		lock.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER); DELETE FROM holder;');
		lock.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
	} catch (failure) {
		lock.close();
		const code = (failure as { code?: string }).code ?? '';
		if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
			throw new DatabaseInUseError(
				`another Causeway server is already using the database ${path} (it holds ${path}.lock). ` +
					'Two servers on one SQLite file would each keep their own live figures and show stale ' +
					'dashboards: stop the other server, or give this one its own DATABASE_URL.'
			);
		throw failure;
	}
	serverLock = lock;
}

/** The settings every connection gets (see `openDatabase`), and the fault a test injected. */
function connect(path: string): Database.Database {
	const sqlite = new Database(path);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	// Deleted rows are overwritten, so a deleted session's nicknames do not linger in the file.
	sqlite.pragma('secure_delete = ON');
	sqlite.pragma('busy_timeout = 5000');
	return sqlite;
}

/**
 * Opens the database described by `config` (creating the folder of a SQLite file) and applies
 * pending migrations. WAL, foreign keys on, and `synchronous = FULL`: a commit is on disk before
 * the answer it stores is acknowledged (docs/ARCHITECTURE.md says why). Throws a
 * DatabaseInUseError when another server process has the file. A file that cannot be written
 * (read-only, disk full) still opens when its schema is up to date: reads are served, writes get
 * 503 and `/healthz` says why until the fault is gone (`writeFault`).
 */
export async function openDatabase(config: DatabaseConfig): Promise<Kysely<Schema>> {
	if (instance) return instance;
	mkdirSync(dirname(config.path), { recursive: true });
	try {
		takeServerLock(config.path);
	} catch (failure) {
		// Nobody can write the lock either: the file is served read-only until that passes.
		if (failure instanceof DatabaseInUseError || !storageFault(failure)) throw failure;
	}
	connection = connect(config.path);
	openedPath = config.path;
	const db = overConnection();
	const { error, results } = await new Migrator({
		db,
		provider: { getMigrations: async () => migrations }
	}).migrateToLatest();
	const failed = results?.find((r) => r.status === 'Error');
	if (error || failed) {
		await db.destroy();
		throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
	}
	instance = db;
	await probeWrites();
	return db;
}

/**
 * Kysely over the open connection. Kysely prepares every query it runs; handing it the statement
 * cache instead of the bare connection means a query built the same way is compiled by SQLite
 * once, not per request.
 */
function overConnection(): Kysely<Schema> {
	return new Kysely<Schema>({
		dialect: new SqliteDialect({
			database: { prepare: prepared, close: () => closeConnections() }
		})
	});
}

/** The file the server's database is in, for a worker thread that reads it (see `openReader`). */
export function databasePath(): string | undefined {
	return openedPath;
}

/**
 * Opens the server's database file read-only, for a worker thread of the server (the exports)
 * that only reads: no lock, no migrations (the server took the one and ran the others), and
 * WAL lets it read beside the server's own connection.
 */
export function openReader(path: string): Kysely<Schema> {
	if (instance) return instance;
	connection = new Database(path, { readonly: true, fileMustExist: true });
	connection.pragma('busy_timeout = 5000');
	instance = overConnection();
	return instance;
}

/** Closes the connection and the server lock (Kysely's `destroy` calls this). */
function closeConnections(): void {
	connection?.close();
	serverLock?.close();
	connection = undefined;
	serverLock = undefined;
	instance = undefined;
	statements.clear();
}

/** The open database; throws if start-up has not opened it. */
export function database(): Kysely<Schema> {
	if (!instance) throw new Error('The database is not open: hooks.server.ts opens it at start-up.');
	return instance;
}

/** Runs a trivial query: true when the database answers. */
export async function databaseAnswers(): Promise<boolean> {
	const result = await sql<{ ok: number }>`select 1 as ok`.execute(database());
	return result.rows[0]?.ok === 1;
}

/** SQLite result codes that mean the storage, not the request, is at fault. */
const STORAGE_CODES = [
	'SQLITE_READONLY',
	'SQLITE_FULL',
	'SQLITE_IOERR',
	'SQLITE_CANTOPEN',
	'SQLITE_BUSY',
	'SQLITE_LOCKED',
	'SQLITE_CORRUPT',
	'SQLITE_NOTADB',
	'SQLITE_PROTOCOL'
];

/**
 * A message for people if `error` is a storage fault (a read-only or full disk, a locked or
 * damaged file), or undefined for any other error.
 */
export function storageFault(error: unknown): string | undefined {
	const code =
		typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
	if (!STORAGE_CODES.some((c) => code === c || code.startsWith(`${c}_`))) return undefined;
	if (code.startsWith('SQLITE_READONLY'))
		return 'The database cannot be written to right now (it is read-only). Nothing was saved; try again shortly.';
	if (code.startsWith('SQLITE_FULL'))
		return 'The server’s disk is full. Nothing was saved; try again once space is freed.';
	return 'The database is unavailable right now. Nothing was saved; try again shortly.';
}

/** Storage faults the test suite can switch on (see routes/api/test/faults). */
export type InjectedFault = 'none' | 'readonly' | 'full';
let injected: InjectedFault = 'none';

/**
 * Makes SQLite itself refuse writes, as a read-only file (`query_only`) or a full disk
 * (`max_page_count` pinned to the current size) would, so that the fault tests exercise the
 * real error path; 'none' restores normal writing. The fault outlives a reconnection.
 */
export function injectFault(fault: InjectedFault): void {
	if (!connection) throw new Error('The database is not open.');
	injected = fault;
	applyInjectedFault(connection);
}

function applyInjectedFault(sqlite: Database.Database): void {
	sqlite.pragma(`query_only = ${injected === 'readonly' ? 'ON' : 'OFF'}`);
	const pages = Number(sqlite.pragma('page_count', { simple: true }));
	sqlite.pragma(`max_page_count = ${injected === 'full' ? pages : 1073741823}`);
}

/**
 * Why writes fail right now, or undefined when they work. Set by any write that fails on a
 * storage fault, cleared only by a probe that gets a write onto the disk (`probeWrites`).
 */
let writeFault: string | undefined;
let lastProbe = 0;
/** A failing disk is probed at most this often, however often `/healthz` is asked. */
const PROBE_INTERVAL_MS = 1000;

/** Notes a failed write: if the storage is at fault, writes are known to fail until a probe passes. */
function noteWriteFailure(failure: unknown): void {
	const fault = storageFault(failure);
	if (fault) writeFault = fault;
}

/**
 * Tries a real write, committed (so a read-only file or a failing disk refuses it as it would a
 * join), and checks that the file may still grow. Sets or clears `writeFault`. A connection
 * SQLite opened read-only stays read-only after the file is fixed, so a read-only failure
 * reconnects before the next probe: recovery needs no restart.
 */
export async function probeWrites(): Promise<string | undefined> {
	lastProbe = Date.now();
	if (!serverLock && openedPath) {
		try {
			takeServerLock(openedPath);
		} catch (failure) {
			writeFault =
				failure instanceof DatabaseInUseError
					? failure.message
					: (storageFault(failure) ?? String(failure));
			return writeFault;
		}
	}
	const written_at = new Date(lastProbe).toISOString();
	try {
		await writeBatched(() => {
			runNow(
				database()
					.insertInto('storage_probe')
					.values({ id: 'probe', written_at })
					.onConflict((oc) => oc.column('id').doUpdateSet({ written_at }))
			);
			// A row written over in place needs no new page: whether the file may grow is asked.
			const pages = Number(connection?.pragma('page_count', { simple: true }));
			if (pages >= Number(connection?.pragma('max_page_count', { simple: true })))
				throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
		});
		writeFault = undefined;
	} catch (failure) {
		writeFault = storageFault(failure) ?? String(failure);
		if (String((failure as { code?: string }).code).startsWith('SQLITE_READONLY')) reconnect();
	}
	return writeFault;
}

/** A fresh connection with the same settings, for a file that was read-only when opened. */
function reconnect(): void {
	if (!openedPath || !connection) return;
	try {
		const fresh = connect(openedPath);
		applyInjectedFault(fresh);
		connection.close();
		statements.clear();
		connection = fresh;
	} catch (failure) {
		console.error('Reconnecting to the database failed:', failure);
	}
}

/**
 * Whether the database can be written: undefined when it can, or why not. While writes are known
 * to fail, a new probe runs at most once a second, so the answer changes as soon as the fault
 * is gone.
 */
export async function writeHealth(): Promise<string | undefined> {
	if (writeFault && Date.now() - lastProbe >= PROBE_INTERVAL_MS) await probeWrites();
	return writeFault;
}

/**
 * Moves everything in the write-ahead log into the database file and empties the log, so that
 * data just deleted (with secure_delete on) leaves no copy behind in the -wal file either.
 */
export function checkpoint(): void {
	connection?.pragma('wal_checkpoint(TRUNCATE)');
}

/** Prepared statements by SQL text, shared by Kysely and `runNow`. */
const statements = new Map<string, Database.Statement>();

/** The connection's statement for `text`, prepared the first time it is asked for. */
function prepared(text: string): Database.Statement {
	if (!connection) throw new Error('The database is not open.');
	let statement = statements.get(text);
	if (!statement) {
		statement = connection.prepare(text);
		statements.set(text, statement);
	}
	return statement;
}

/**
 * Runs a Kysely query synchronously on the connection, for use inside `writeBatched` and on hot
 * read paths: the query is still built with Kysely (portable SQL); only its execution is direct.
 */
export function runNow<R>(query: { compile(): CompiledQuery<R> }): R[] {
	const { sql: text, parameters } = query.compile();
	const statement = prepared(text);
	if (statement.reader) return statement.all(...parameters) as R[];
	statement.run(...parameters);
	return [];
}

/** Lets every request waiting on the event loop run before the next slice of a long job. */
export const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

type Job = {
	work: () => unknown;
	resolve: (value: unknown) => void;
	reject: (reason: unknown) => void;
};
let pendingJobs: Job[] = [];
let flushScheduled = false;

/**
 * Group commit, and the one way the app writes: runs `work` inside one transaction shared with
 * every other write queued in the same turn of the event loop, each in its own savepoint (a job
 * that throws rolls back alone), and settles each job's promise only after the shared COMMIT.
 * With `synchronous = FULL` that is one fsync for the whole group instead of one per write, and
 * still nothing is acknowledged before it is on disk. `work` must be synchronous: use `runNow`
 * for its queries.
 */
export function writeBatched<T>(work: () => T): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		pendingJobs.push({ work, resolve: resolve as (value: unknown) => void, reject });
		if (!flushScheduled) {
			flushScheduled = true;
			setImmediate(flushJobs);
		}
	});
}

function flushJobs(): void {
	flushScheduled = false;
	const jobs = pendingJobs;
	pendingJobs = [];
	const db = connection;
	if (!db) {
		for (const job of jobs) job.reject(new Error('The database is not open.'));
		return;
	}
	const outcomes: Array<{ ok: true; value: unknown } | { ok: false; reason: unknown }> = [];
	try {
		prepared('BEGIN IMMEDIATE').run();
		for (const job of jobs) {
			prepared('SAVEPOINT job').run();
			try {
				outcomes.push({ ok: true, value: job.work() });
				prepared('RELEASE job').run();
			} catch (reason) {
				prepared('ROLLBACK TO job').run();
				prepared('RELEASE job').run();
				noteWriteFailure(reason);
				outcomes.push({ ok: false, reason });
			}
		}
		prepared('COMMIT').run();
	} catch (failure) {
		// The group could not be committed (a read-only or full disk): nothing of it is stored.
		if (db.inTransaction) prepared('ROLLBACK').run();
		noteWriteFailure(failure);
		for (const job of jobs) job.reject(failure);
		return;
	}
	jobs.forEach((job, i) => {
		const outcome = outcomes[i];
		if (outcome?.ok) job.resolve(outcome.value);
		else job.reject(outcome?.reason);
	});
}
