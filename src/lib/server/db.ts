/**
 * The database: SQLite (the default, one server process) or PostgreSQL (any number of processes),
 * behind one store interface (`store.ts`). Opened lazily at start-up (hooks.server.ts), never at
 * module load, because `vite build` imports server modules to analyse them. Migrations are code,
 * applied in order at start-up by Kysely's migrator (on PostgreSQL under an advisory lock, so
 * processes starting together do not race). Here too: telling storage faults from bad requests,
 * and whether writes work right now (`/healthz`).
 */
import { Migrator, sql, type Kysely } from 'kysely';
import { DEFAULT_PG_POOL_SIZE, type DatabaseConfig } from './config';
import { migrationsFor, type DatabaseKind, type Schema } from './db-schema';
import type { Fact } from './facts';
import { openPostgresStore } from './postgres-store';
import { openSqliteStore } from './sqlite-store';
import type { Compilable, InjectedFault, Read, Store, Tx } from './store';

export type {
	AnswerRow,
	DeletedSessionRow,
	ParticipantRow,
	RateLimitRow,
	Schema,
	SessionRow,
	StorageProbeRow,
	TeacherRow
} from './db-schema';
export type { InjectedFault, Tx } from './store';
export { DatabaseInUseError } from './sqlite-store';

let store: Store | undefined;
let openedConfig: DatabaseConfig | undefined;

/**
 * Opens the database described by `config` and applies pending migrations. Throws a
 * DatabaseInUseError when another server process has a SQLite file. A SQLite file that cannot be
 * written (read-only, disk full) still opens when its schema is up to date: reads are served,
 * writes get 503 and `/healthz` says why until the fault is gone (`writeHealth`).
 */
export async function openDatabase(
	config: DatabaseConfig,
	{ poolSize = DEFAULT_PG_POOL_SIZE }: { poolSize?: number } = {}
): Promise<Kysely<Schema>> {
	if (store) return store.db;
	const opened =
		config.kind === 'sqlite'
			? openSqliteStore(config.path, { isStorageFault: (e) => storageFault(e) !== undefined })
			: openPostgresStore(config.url, poolSize);
	const { error, results } = await new Migrator({
		db: opened.db,
		provider: { getMigrations: async () => migrationsFor(opened.kind) }
	}).migrateToLatest();
	const failed = results?.find((r) => r.status === 'Error');
	if (error || failed) {
		await opened.close();
		throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
	}
	store = opened;
	openedConfig = config;
	await probeWrites();
	return opened.db;
}

/**
 * Opens the server's database for a worker thread of the server that only reads (the exports):
 * no lock, no migrations (the server took the one and ran the others); on SQLite, WAL lets it
 * read beside the server's own connection.
 */
export function openReader(config: DatabaseConfig): void {
	store ??=
		config.kind === 'sqlite'
			? openSqliteStore(config.path, { readOnly: true, isStorageFault: () => false })
			: openPostgresStore(config.url, 1);
}

/** What the server opened, for a worker thread that reads it (see `openReader`). */
export function databaseConfig(): DatabaseConfig | undefined {
	return openedConfig;
}

/**
 * Runs `work` on a scratch SQLite database at `path` in place of the server's own (the start-up
 * warm-up, warm-up.ts), then closes the scratch one and puts the server's back as it was. Only
 * before the server takes requests: a request served meanwhile would read the scratch database.
 */
export async function withScratchDatabase<T>(path: string, work: () => Promise<T>): Promise<T> {
	const own = { store, config: openedConfig };
	store = undefined;
	openedConfig = undefined;
	try {
		await openDatabase({ kind: 'sqlite', path });
		return await work();
	} finally {
		await closeDatabase().catch(() => {});
		store = own.store;
		openedConfig = own.config;
		// What /healthz says of writes is the server's database's again.
		if (store) await probeWrites();
	}
}

/** Closes the database (tests; a server keeps it open for its life). */
export async function closeDatabase(): Promise<void> {
	const closing = store;
	store = undefined;
	openedConfig = undefined;
	await closing?.close();
}

function opened(): Store {
	if (!store) throw new Error('The database is not open: hooks.server.ts opens it at start-up.');
	return store;
}

/** The open database's query builder; throws if start-up has not opened it. */
export function database(): Kysely<Schema> {
	return opened().db;
}

/** Which store is open. */
export function databaseKind(): DatabaseKind {
	return opened().kind;
}

/** Runs a read built with `database()`; on SQLite at once, through the prepared statements. */
export function rows<R>(query: Compilable<R>): Promise<R[]> {
	return opened().rows(query);
}

/** Runs several reads that see the same committed state (no write lands between them). */
export function readTogether<T>(work: (read: Read) => Promise<T>): Promise<T> {
	return opened().together(work);
}

/** Who is told of committed facts (`live-events.ts`, wired at start-up). */
let factHandler: ((fact: Fact) => void) | undefined;

/** Sets what is done with every fact this process commits. */
export function onCommittedFacts(handler: (fact: Fact) => void): void {
	factHandler = handler;
}

/**
 * The one way the app writes: runs `work` in a transaction, and settles once it has committed.
 * On SQLite it shares a group commit with every write queued in the same turn of the event loop
 * (one fsync for the group, each write in its own savepoint); there its queries run synchronously,
 * so `work` must wait on nothing but them. The facts it announces are then passed on, here and,
 * on PostgreSQL, to every other server process.
 */
export async function write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
	try {
		const { value, facts } = await opened().write(work);
		for (const fact of facts) factHandler?.(fact);
		return value;
	} catch (failure) {
		noteWriteFailure(failure);
		throw failure;
	}
}

/** Runs a trivial query: true when the database answers. */
export async function databaseAnswers(): Promise<boolean> {
	const result = await sql<{ ok: number }>`select 1 as ok`.execute(database());
	return result.rows[0]?.ok === 1;
}

/** SQLite result codes that mean the storage, not the request, is at fault. */
const SQLITE_STORAGE_CODES = [
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

const READ_ONLY =
	'The database cannot be written to right now (it is read-only). Nothing was saved; try again shortly.';
const FULL = 'The server’s disk is full. Nothing was saved; try again once space is freed.';
const UNAVAILABLE = 'The database is unavailable right now. Nothing was saved; try again shortly.';

/** A PostgreSQL SQLSTATE's storage fault: the disk, a read-only server, or no connection. */
function postgresFault(code: string): string | undefined {
	if (code === '53100') return FULL;
	if (code === '25006') return READ_ONLY;
	// Class 08: connection exceptions; 57P0x: the server shutting down or restarting;
	// 53300: too many connections; 40P01 is a deadlock, which is the request's to retry (503 too).
	if (code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300' || code === '40P01')
		return UNAVAILABLE;
	return undefined;
}

/** Node's own codes for a database server that cannot be reached. */
const CONNECTION_CODES = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND'];

/**
 * A message for people if `error` is a storage fault (a read-only or full disk, a locked or
 * damaged file, a database server out of reach), or undefined for any other error.
 */
export function storageFault(error: unknown): string | undefined {
	const code =
		typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
	if (code.startsWith('SQLITE_')) {
		if (!SQLITE_STORAGE_CODES.some((c) => code === c || code.startsWith(`${c}_`))) return undefined;
		if (code.startsWith('SQLITE_READONLY')) return READ_ONLY;
		if (code.startsWith('SQLITE_FULL')) return FULL;
		return UNAVAILABLE;
	}
	if (CONNECTION_CODES.includes(code)) return UNAVAILABLE;
	if (/^[0-9A-Z]{5}$/.test(code)) return postgresFault(code);
	// `pg` reports a connection lost mid-query without a code.
	if (error instanceof Error && /Connection terminated/i.test(error.message)) return UNAVAILABLE;
	return undefined;
}

/**
 * Makes the database itself refuse writes, as a read-only file or a full disk would, so that the
 * fault tests exercise the real error path; 'none' restores normal writing.
 */
export function injectFault(fault: InjectedFault): void {
	opened().injectFault(fault);
}

/**
 * Why writes fail right now, or undefined when they work. Set by any write that fails on a
 * storage fault, cleared only by a probe that gets a write committed (`probeWrites`).
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
 * join), and asks the store whether it may still grow. Sets or clears `writeFault`. After a
 * read-only failure the store gets ready to write again, so recovery needs no restart.
 */
export async function probeWrites(): Promise<string | undefined> {
	lastProbe = Date.now();
	const written_at = new Date(lastProbe).toISOString();
	const current = opened();
	try {
		await current.write(async (tx) => {
			await tx.all(
				current.db
					.insertInto('storage_probe')
					.values({ id: 'probe', written_at })
					.onConflict((oc) => oc.column('id').doUpdateSet({ written_at }))
			);
			await current.checkWritable(tx.all);
		});
		writeFault = undefined;
	} catch (failure) {
		writeFault =
			storageFault(failure) ?? (failure instanceof Error ? failure.message : String(failure));
		if (writeFault === READ_ONLY) current.recover();
	}
	return writeFault;
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

/** Makes data just deleted leave no copy in the store's own log, where it keeps one. */
export function scrubDeleted(): void {
	opened().scrub();
}

/** Lets every request waiting on the event loop run before the next slice of a long job. */
export const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));
