/** The log is copied back into the database file by a thread of its own. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startCheckpoints } from './checkpoints';
import { openSqliteStore } from './sqlite-store';

let dir: string;
let path: string;
let writer: Database.Database;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'causeway-checkpoints-'));
	path = join(dir, 'causeway.sqlite');
	writer = new Database(path);
	writer.pragma('journal_mode = WAL');
	writer.exec('CREATE TABLE facts (id INTEGER PRIMARY KEY, text TEXT)');
});

afterEach(() => {
	writer.close();
	rmSync(dir, { recursive: true, force: true });
});

/** Pages in the log, and how many of them are copied back into the database file. */
function log(): { log: number; checkpointed: number } {
	const [state] = writer.pragma('wal_checkpoint(NOOP)') as Array<{
		log: number;
		checkpointed: number;
	}>;
	return state!;
}

/** A few commits: far fewer pages than SQLite's own checkpoint waits for (1,000). */
function commitSome(count: number) {
	const insert = writer.prepare('INSERT INTO facts (text) VALUES (?)');
	for (let i = 0; i < count; i++) insert.run(`fact ${i}`.repeat(50));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, timeoutMs = 5_000) {
	const deadline = Date.now() + timeoutMs;
	while (!done() && Date.now() < deadline) await pause(10);
	return done();
}

describe('startCheckpoints', () => {
	it('copies every committed page back, as the writer goes on writing', async () => {
		commitSome(20);
		expect(log().checkpointed).toBe(0);
		const stop = startCheckpoints(path, { intervalMs: 20 });
		try {
			expect(await until(() => log().log > 0 && log().checkpointed === log().log)).toBe(true);
			// Later commits too, and the rows are all there to a fresh reader of the file.
			commitSome(20);
			expect(await until(() => log().checkpointed === log().log)).toBe(true);
			const reader = new Database(path, { readonly: true });
			expect(reader.prepare('SELECT count(*) AS n FROM facts').get()).toEqual({ n: 40 });
			reader.close();
		} finally {
			await stop();
		}
	});

	it('stops when asked: what is committed after stays in the log only', async () => {
		const stop = startCheckpoints(path, { intervalMs: 20 });
		commitSome(5);
		expect(await until(() => log().log > 0 && log().checkpointed === log().log)).toBe(true);
		await stop();
		commitSome(5);
		await pause(100);
		expect(log().checkpointed).toBeLessThan(log().log);
	});

	it("is started by the server's store, and stopped when the store closes", async () => {
		const served = join(dir, 'served.sqlite');
		const store = openSqliteStore(served, { isStorageFault: () => false });
		const other = new Database(served);
		const servedLog = () =>
			(other.pragma('wal_checkpoint(NOOP)') as Array<{ log: number; checkpointed: number }>)[0]!;
		try {
			await sql`CREATE TABLE facts (id INTEGER PRIMARY KEY, text TEXT)`.execute(store.db);
			await sql`INSERT INTO facts (text) VALUES ('one')`.execute(store.db);
			expect(
				await until(() => servedLog().log > 0 && servedLog().checkpointed === servedLog().log)
			).toBe(true);
		} finally {
			other.close();
			await store.close();
		}
	});
});
