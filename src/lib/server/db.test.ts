/** Group commit (`writeBatched`) against a real SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { database, injectFault, openDatabase, runNow, storageFault, writeBatched } from './db';

let dir: string;
beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'causeway-db-'));
	await openDatabase({ kind: 'sqlite', path: join(dir, 'causeway.sqlite') });
});
afterAll(async () => {
	await database().destroy();
	rmSync(dir, { recursive: true, force: true });
});

const teacher = (id: string) =>
	database()
		.insertInto('teachers')
		.values({ id, key_hash: `hash-${id}`, created_at: '2026-11-25' });
const teacherIds = () =>
	runNow(database().selectFrom('teachers').select('id').orderBy('id')).map((t) => t.id);

describe('writeBatched', () => {
	it('stores every write queued in one turn, and rolls back only the one that throws', async () => {
		const results = await Promise.allSettled([
			writeBatched(() => runNow(teacher('t-1'))),
			writeBatched(() => {
				runNow(teacher('t-2'));
				throw new Error('changed my mind');
			}),
			writeBatched(() => (runNow(teacher('t-3')), 'done'))
		]);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		expect(results[2]).toMatchObject({ value: 'done' });
		expect(teacherIds()).toEqual(['t-1', 't-3']);
	});

	it('runs the writes of one turn in one transaction, in the order they were queued', async () => {
		const seen: string[][] = [];
		await Promise.all([
			writeBatched(() => runNow(teacher('t-4'))),
			// Same transaction: the second sees the first's row before anything is committed.
			writeBatched(() => seen.push(teacherIds()))
		]);
		expect(seen[0]).toContain('t-4');
	});

	it('rejects every write while the file refuses writes, stores none, and carries on after', async () => {
		injectFault('readonly');
		try {
			const results = await Promise.allSettled([
				writeBatched(() => runNow(teacher('t-5'))),
				writeBatched(() => runNow(teacher('t-6')))
			]);
			for (const r of results) {
				expect(r.status).toBe('rejected');
				expect(storageFault((r as PromiseRejectedResult).reason)).toMatch(/read-only/);
			}
		} finally {
			injectFault('none');
		}
		expect(teacherIds()).not.toContain('t-5');
		await writeBatched(() => runNow(teacher('t-7')));
		expect(teacherIds()).toContain('t-7');
	});
});
