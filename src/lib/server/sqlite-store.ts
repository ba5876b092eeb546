/**
 * The SQLite store, the default: one file, one server process (it holds a lock on the file), and
 * its tuned write path. WAL and foreign keys on; a commit is on disk before the answer it stores
 * is acknowledged (docs/ARCHITECTURE.md says why). Every write shares a group commit with the
 * writes queued in the same turn of the event loop; the log is flushed to disk by a thread of
 * Node's pool while the server goes on (`syncLog`), and copied back into the database file by a
 * thread of its own (checkpoints.ts).
 */
import { closeSync, fdatasync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { startCheckpoints } from './checkpoints';
import type { Schema } from './db-schema';
import type { Fact } from './facts';
import type { Compilable, InjectedFault, Read, Store, Tx } from './store';

/** Start-up refused because another server process holds the database; the message says why. */
export class DatabaseInUseError extends Error {
	override name = 'DatabaseInUseError';
}

/** Whether a SQLite error code says the file is locked by someone else. */
const isBusy = (code: string) => code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');

/**
 * Holds an exclusive lock on `<database>.lock` for as long as this process lives: a second server
 * started on the same file would keep its own live dashboards and serve stale figures, so it must
 * not start (several processes need PostgreSQL). SQLite takes the lock with the operating system,
 * which releases it when the process ends however it ends (a `kill -9` leaves no stale lock).
 */
function takeServerLock(path: string): Database.Database {
	const lock = new Database(`${path}.lock`, { timeout: 0 });
	try {
		lock.pragma('locking_mode = EXCLUSIVE');
		lock.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER); DELETE FROM holder;');
		lock.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
	} catch (failure) {
		lock.close();
		if (isBusy((failure as { code?: string }).code ?? ''))
			throw new DatabaseInUseError(
				`another Causeway server is already using the database ${path} (it holds ${path}.lock). ` +
					'Two servers on one SQLite file would each keep their own live figures and show stale ' +
					'dashboards: stop the other server, give this one its own DATABASE_URL, or run several ' +
					'servers on PostgreSQL (docs/DEPLOY.md).'
			);
		throw failure;
	}
	return lock;
}

/**
 * The settings every connection gets. `synchronous = NORMAL`: a COMMIT writes the log without
 * waiting for the disk, and the store flushes the log itself before it acknowledges anything
 * (`syncLog`). SQLite's own flush (FULL) held the event loop for every group commit: at 1,500
 * answers/s, a third of the server's time went waiting on the disk, not serving (docs/BENCHMARKS.md,
 * session 12). Checkpoints still flush the log before they copy it and the database file after.
 */
function connect(path: string): Database.Database {
	const sqlite = new Database(path);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = NORMAL');
	sqlite.pragma('foreign_keys = ON');
	// Deleted rows are overwritten, so a deleted session's nicknames do not linger in the file.
	sqlite.pragma('secure_delete = ON');
	sqlite.pragma('busy_timeout = 5000');
	return sqlite;
}

/** Flushes a file's data to the disk (fdatasync), off the event loop. */
export type SyncFile = (fd: number) => Promise<void>;

const fdatasyncInPool: SyncFile = (fd) =>
	new Promise((resolve, reject) =>
		fdatasync(fd, (failure) => (failure ? reject(failure) : resolve()))
	);

type Job = {
	work: (tx: Tx) => Promise<unknown>;
	resolve: (value: { value: unknown; facts: Fact[] }) => void;
	reject: (reason: unknown) => void;
};

/**
 * A SQLite store on the file at `path`. `isStorageFault` tells a fault of the disk from an error
 * of the request: the server lock is retried while the disk refuses it. With `readOnly` (a
 * worker thread that only reads), no lock and no writes. `syncFile` flushes the log (the tests
 * hold or fail it).
 */
export function openSqliteStore(
	path: string,
	{
		readOnly = false,
		isStorageFault,
		syncFile = fdatasyncInPool
	}: { readOnly?: boolean; isStorageFault: (e: unknown) => boolean; syncFile?: SyncFile }
): Store & { takeLock(): void } {
	let serverLock: Database.Database | undefined;
	let connection: Database.Database;
	let injected: InjectedFault = 'none';
	/** Stops the thread copying the log back (see checkpoints.ts); none on a read-only connection. */
	let stopCheckpoints: (() => Promise<void>) | undefined;
	/** Prepared statements by SQL text, shared by Kysely and the synchronous reads. */
	const statements = new Map<string, Database.Statement>();

	const takeLock = () => {
		if (!serverLock) serverLock = takeServerLock(path);
	};
	if (readOnly) {
		connection = new Database(path, { readonly: true, fileMustExist: true });
		connection.pragma('busy_timeout = 5000');
	} else {
		mkdirSync(dirname(path), { recursive: true });
		try {
			takeLock();
		} catch (failure) {
			// Nobody can write the lock either: the file is served read-only until that passes.
			if (failure instanceof DatabaseInUseError || !isStorageFault(failure)) throw failure;
		}
		connection = connect(path);
		stopCheckpoints = startCheckpoints(path);
	}

	/** The connection's statement for `text`, prepared the first time it is asked for. */
	const prepared = (text: string): Database.Statement => {
		let statement = statements.get(text);
		if (!statement) {
			statement = connection.prepare(text);
			statements.set(text, statement);
		}
		return statement;
	};

	/** Runs a query at once: nothing else can run between a read and the caller's next step. */
	const runNow = <R>(query: Compilable<R>): R[] => {
		const { sql: text, parameters } = query.compile();
		const statement = prepared(text);
		if (statement.reader) return statement.all(...parameters) as R[];
		statement.run(...parameters);
		return [];
	};
	const rows: Read = async (query) => runNow(query);

	const applyInjectedFault = (sqlite: Database.Database) => {
		// As a read-only file (`query_only`) or a full disk (`max_page_count` pinned) would refuse.
		sqlite.pragma(`query_only = ${injected === 'readonly' ? 'ON' : 'OFF'}`);
		const pages = Number(sqlite.pragma('page_count', { simple: true }));
		sqlite.pragma(`max_page_count = ${injected === 'full' ? pages : 1073741823}`);
	};

	/**
	 * The log's file, opened at the first flush and kept open. SQLite deletes a log only when the
	 * last connection to the database closes, and this store always has one open (`recover` opens
	 * the new one before it closes the old), so this is the log every commit writes to; emptying it
	 * (`scrub`, checkpoints) truncates the same file.
	 */
	let logFd: number | undefined;
	/** Groups committed to the log, each settled once a flush started after its COMMIT has ended. */
	let unflushed: Array<(failure?: unknown) => void> = [];
	/** The flush under way, if any: the groups that commit meanwhile wait for the next one. */
	let flushingLog: Promise<void> | undefined;
	/**
	 * Flushes the log to disk in Node's thread pool while the server goes on, one flush at a time:
	 * each covers every group committed before it started, so under load one flush serves many
	 * groups. A failed flush leaves its groups' commits possibly not on disk: they are refused as a
	 * storage fault (503, to retry), as SQLite refuses a commit whose flush failed; a retry of an
	 * answer then finds it stored and is acknowledged after a flush that succeeded.
	 */
	const syncLog = () => {
		if (flushingLog || unflushed.length === 0) return;
		const waiting = unflushed;
		unflushed = [];
		// Cleared in a callback, which runs only once `flushingLog` is set, however soon the flush ends.
		flushingLog = flushLog(waiting).finally(() => {
			flushingLog = undefined;
			syncLog();
		});
	};
	const flushLog = async (waiting: Array<(failure?: unknown) => void>) => {
		try {
			logFd ??= openSync(`${path}-wal`, 'r');
			await syncFile(logFd);
			for (const settle of waiting) settle();
		} catch (failure) {
			const message = failure instanceof Error ? failure.message : String(failure);
			const refused = Object.assign(
				new Error(`Flushing the database log to disk failed: ${message}`),
				{ code: 'SQLITE_IOERR_FSYNC', cause: failure }
			);
			for (const settle of waiting) settle(refused);
		}
	};

	let pendingJobs: Job[] = [];
	let flushScheduled = false;
	let flushing = false;
	const scheduleFlush = () => {
		if (flushScheduled || flushing || pendingJobs.length === 0) return;
		flushScheduled = true;
		setImmediate(() => void flushJobs());
	};

	/**
	 * Group commit: runs every job queued in the same turn of the event loop inside one
	 * transaction, each in its own savepoint (a job that throws rolls back alone), and settles each
	 * job only once the shared COMMIT is flushed to disk (`syncLog`): one flush for the whole
	 * group, or for several, and nothing acknowledged before it is on disk. A job's queries run
	 * synchronously, so the group holds the event loop only as long as its statements take; the
	 * flush runs beside the next groups.
	 */
	async function flushJobs(): Promise<void> {
		flushScheduled = false;
		flushing = true;
		const jobs = pendingJobs;
		pendingJobs = [];
		const outcomes: Array<
			{ ok: true; value: unknown; facts: Fact[] } | { ok: false; reason: unknown }
		> = [];
		const run = (text: string) => prepared(text).run();
		try {
			run('BEGIN IMMEDIATE');
			for (const job of jobs) {
				run('SAVEPOINT job');
				const facts: Fact[] = [];
				try {
					const value = await job.work({
						all: rows,
						announce: (fact) => facts.push(fact),
						locking: (query) => query
					});
					run('RELEASE job');
					outcomes.push({ ok: true, value, facts });
				} catch (reason) {
					run('ROLLBACK TO job');
					run('RELEASE job');
					outcomes.push({ ok: false, reason });
				}
			}
			run('COMMIT');
		} catch (failure) {
			// The group could not be committed (a read-only or full disk): nothing of it is stored.
			if (connection.inTransaction) run('ROLLBACK');
			for (const job of jobs) job.reject(failure);
			return;
		} finally {
			flushing = false;
			scheduleFlush();
		}
		unflushed.push((failure) =>
			jobs.forEach((job, i) => {
				const outcome = outcomes[i];
				if (failure !== undefined) job.reject(failure);
				else if (outcome?.ok) job.resolve({ value: outcome.value, facts: outcome.facts });
				else job.reject(outcome?.reason);
			})
		);
		syncLog();
	}

	const db = new Kysely<Schema>({
		dialect: new SqliteDialect({
			// Kysely prepares every query it runs: handed the statement cache, a query built the same
			// way is compiled by SQLite once, not per request.
			database: {
				prepare: prepared,
				close: () => {
					connection.close();
					serverLock?.close();
					serverLock = undefined;
					statements.clear();
				}
			}
		})
	});

	return {
		kind: 'sqlite',
		db,
		rows,
		// Reads run synchronously one after the other: nothing can commit between them.
		together: (work) => work(rows),
		write<T>(work: (tx: Tx) => Promise<T>) {
			if (readOnly) return Promise.reject(new Error('This connection only reads.'));
			return new Promise<{ value: T; facts: Fact[] }>((resolve, reject) => {
				pendingJobs.push({
					work,
					resolve: resolve as Job['resolve'],
					reject
				});
				scheduleFlush();
			});
		},
		async checkWritable() {
			// The lock is taken again once the disk allows it.
			takeLock();
			// A row written over in place needs no new page: whether the file may grow is asked.
			const pages = Number(connection.pragma('page_count', { simple: true }));
			if (pages >= Number(connection.pragma('max_page_count', { simple: true })))
				throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
		},
		recover() {
			// A connection SQLite opened read-only stays read-only after the file is fixed.
			try {
				const fresh = connect(path);
				applyInjectedFault(fresh);
				connection.close();
				statements.clear();
				connection = fresh;
			} catch (failure) {
				console.error('Reconnecting to the database failed:', failure);
			}
		},
		injectFault(fault) {
			injected = fault;
			applyInjectedFault(connection);
		},
		scrub() {
			// With secure_delete on, deleted rows are overwritten in the file; emptying the log
			// leaves no copy of them in the -wal file either.
			connection.pragma('wal_checkpoint(TRUNCATE)');
		},
		close: async () => {
			await stopCheckpoints?.();
			// A flush that ends may start the next for the groups that committed meanwhile.
			while (flushingLog) await flushingLog;
			await db.destroy();
			if (logFd !== undefined) closeSync(logFd);
			logFd = undefined;
		},
		takeLock
	};
}
