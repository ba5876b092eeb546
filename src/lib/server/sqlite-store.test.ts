/**
 * The SQLite store's log flush: SQLite commits without waiting for the disk (synchronous =
 * NORMAL), and the store acknowledges a write only once a flush of the log that started after its
 * COMMIT has ended. The flush is held, failed or watched here through `syncFile`.
 */
import { fstatSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storageFault } from './db';
import { migrationsFor } from './db-schema';
import { openSqliteStore, type SyncFile } from './sqlite-store';

/** A flush the test ends by hand: each call waits until `release` or `fail`. */
function heldFlushes() {
	const calls: Array<{ fd: number; release: () => void; fail: (e: Error) => void }> = [];
	const syncFile: SyncFile = (fd) =>
		new Promise((release, fail) => calls.push({ fd, release: () => release(), fail }));
	return { calls, syncFile };
}

/** Resolves after the event loop has turned `times` times (a group commit runs on setImmediate). */
const turns = async (times = 3) => {
	for (let i = 0; i < times; i++) await new Promise((r) => setImmediate(r));
};

/** Whether `promise` has settled by now. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
	let done = false;
	void promise.then(
		() => (done = true),
		() => (done = true)
	);
	await turns(1);
	return done;
}

let dir: string;
let store: ReturnType<typeof openSqliteStore>;
let flushes: ReturnType<typeof heldFlushes>;

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'causeway-sqlite-store-'));
	flushes = heldFlushes();
	store = openSqliteStore(join(dir, 'store.sqlite'), {
		isStorageFault: () => false,
		syncFile: flushes.syncFile
	});
	// The schema through Kysely's own path, which does not go through the group commit.
	const { error } = await new Migrator({
		db: store.db,
		provider: { getMigrations: async () => migrationsFor('sqlite') }
	}).migrateToLatest();
	if (error) throw error;
});

afterEach(async () => {
	for (const call of flushes.calls) call.release();
	await store.close();
	rmSync(dir, { recursive: true, force: true });
});

/** A write that stores one deleted session's code. */
const remember = (code: string) =>
	store.write(async (tx) => {
		await tx.all(
			store.db.insertInto('deleted_sessions').values({ code, deleted_at: '2026-12-02T00:00:00Z' })
		);
		return code;
	});

const stored = async () =>
	(await store.rows(store.db.selectFrom('deleted_sessions').select('code').orderBy('code'))).map(
		(row) => row.code
	);

describe('the SQLite store flushes its log before it acknowledges', () => {
	it('settles a write only once the flush after its COMMIT has ended, a flush of the log file', async () => {
		const write = remember('AAAAAA');
		await turns();
		// Committed (a read sees it), not yet acknowledged: the flush is under way.
		expect(await stored()).toEqual(['AAAAAA']);
		expect(flushes.calls).toHaveLength(1);
		expect(await settled(write)).toBe(false);
		// The flush is of the database's log, the file SQLite has just written the commit to.
		expect(fstatSync(flushes.calls[0]!.fd).ino).toBe(statSync(join(dir, 'store.sqlite-wal')).ino);
		flushes.calls[0]!.release();
		await expect(write).resolves.toEqual({ value: 'AAAAAA', facts: [] });
	});

	it('runs one flush at a time: a group that commits during a flush waits for the next one', async () => {
		const first = remember('AAAAAA');
		await turns();
		expect(flushes.calls).toHaveLength(1);
		const second = remember('BBBBBB');
		const third = remember('CCCCCC');
		await turns();
		// Both committed while the first flush ran, which cannot cover them; no second flush yet.
		expect(await stored()).toEqual(['AAAAAA', 'BBBBBB', 'CCCCCC']);
		expect(flushes.calls).toHaveLength(1);
		flushes.calls[0]!.release();
		await expect(first).resolves.toMatchObject({ value: 'AAAAAA' });
		await turns();
		expect(await settled(second)).toBe(false);
		// One flush for both groups that waited.
		expect(flushes.calls).toHaveLength(2);
		flushes.calls[1]!.release();
		await expect(second).resolves.toMatchObject({ value: 'BBBBBB' });
		await expect(third).resolves.toMatchObject({ value: 'CCCCCC' });
	});

	it('refuses the writes of a failed flush as a storage fault, and takes the next ones', async () => {
		const write = remember('AAAAAA');
		await turns();
		flushes.calls[0]!.fail(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
		const refusal = await write.then(
			() => undefined,
			(failure: unknown) => failure
		);
		expect(refusal).toMatchObject({ code: 'SQLITE_IOERR_FSYNC' });
		expect(storageFault(refusal)).toMatch(/unavailable/);
		const next = remember('BBBBBB');
		await turns();
		flushes.calls[1]!.release();
		await expect(next).resolves.toMatchObject({ value: 'BBBBBB' });
	});

	it('goes on flushing after a flush that failed at once (throwing, not rejecting)', async () => {
		await store.close();
		let throwNext = true;
		store = openSqliteStore(join(dir, 'store.sqlite'), {
			isStorageFault: () => false,
			syncFile: (fd) => {
				if (!throwNext) return flushes.syncFile(fd);
				throwNext = false;
				throw Object.assign(new Error('EBADF: bad file descriptor'), { code: 'EBADF' });
			}
		});
		await expect(remember('AAAAAA')).rejects.toMatchObject({ code: 'SQLITE_IOERR_FSYNC' });
		const next = remember('BBBBBB');
		await turns();
		expect(flushes.calls).toHaveLength(1);
		flushes.calls[0]!.release();
		await expect(next).resolves.toMatchObject({ value: 'BBBBBB' });
	});

	it('refuses a job whose work failed only after the flush too, as it did not fail alone', async () => {
		const good = remember('AAAAAA');
		const bad = store.write(async () => {
			throw new Error('the request was wrong');
		});
		await turns();
		expect(await settled(bad)).toBe(false);
		flushes.calls[0]!.release();
		await expect(good).resolves.toMatchObject({ value: 'AAAAAA' });
		await expect(bad).rejects.toThrow('the request was wrong');
	});

	it('closes only once the flush under way has ended', async () => {
		const write = remember('AAAAAA');
		await turns();
		const closing = store.close();
		expect(await settled(closing)).toBe(false);
		flushes.calls[0]!.release();
		await closing;
		await expect(write).resolves.toMatchObject({ value: 'AAAAAA' });
		// afterEach closes the store: it gets an open one.
		store = openSqliteStore(join(dir, 'store.sqlite'), {
			isStorageFault: () => false,
			syncFile: flushes.syncFile
		});
	});
});
