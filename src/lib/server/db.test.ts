/** Group commit (`writeBatched`) against a real SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
	database,
	injectFault,
	openDatabase,
	probeWrites,
	runNow,
	storageFault,
	writeBatched,
	writeHealth
} from './db';

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

describe('write health', () => {
	it('reports a read-only or full file with the reason, and clears once writes work again', async () => {
		expect(await probeWrites()).toBeUndefined();
		for (const [fault, reason] of [
			['readonly', /read-only/],
			['full', /full/]
		] as const) {
			injectFault(fault);
			try {
				expect(await probeWrites()).toMatch(reason);
				expect(await writeHealth()).toMatch(reason);
			} finally {
				injectFault('none');
			}
			expect(await probeWrites()).toBeUndefined();
			expect(await writeHealth()).toBeUndefined();
		}
	});

	it('knows writes fail as soon as one fails on the storage, before any probe', async () => {
		injectFault('readonly');
		try {
			await expect(writeBatched(() => runNow(teacher('t-8')))).rejects.toThrow();
			expect(await writeHealth()).toMatch(/read-only/);
		} finally {
			injectFault('none');
		}
		expect(await probeWrites()).toBeUndefined();
	});
});

describe('one server per database file', () => {
	it('refuses to open a file another server holds, saying why', async () => {
		vi.resetModules();
		const second = (await import('./db')) as typeof import('./db');
		await expect(
			second.openDatabase({ kind: 'sqlite', path: join(dir, 'causeway.sqlite') })
		).rejects.toThrow(/another Causeway server is already using the database/);
		// The first server is unaffected.
		await writeBatched(() => runNow(teacher('t-9')));
		expect(teacherIds()).toContain('t-9');
	});
});
