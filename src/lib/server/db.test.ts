/** Writes, storage faults and write health, against a real SQLite file and a real PostgreSQL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseConfig } from './config';
import {
	closeDatabase,
	database,
	injectFault,
	openDatabase,
	probeWrites,
	rows,
	storageFault,
	write,
	writeHealth
} from './db';
import { freshPostgresDatabase } from './testing/postgres';

const teacher = (id: string) =>
	database()
		.insertInto('teachers')
		.values({ id, key_hash: `hash-${id}`, created_at: '2026-11-25' });
const teacherIds = async () =>
	(await rows(database().selectFrom('teachers').select('id').orderBy('id'))).map((t) => t.id);

let dir: string;
let dropPostgres = async () => {};

/** Each store, with how to make a fresh database of it and remove it. */
const stores: Array<{ kind: DatabaseConfig['kind']; open(): Promise<DatabaseConfig> }> = [
	{
		kind: 'sqlite',
		async open() {
			dir = mkdtempSync(join(tmpdir(), 'causeway-db-'));
			return { kind: 'sqlite', path: join(dir, 'causeway.sqlite') };
		}
	},
	{
		kind: 'postgres',
		async open() {
			const fresh = await freshPostgresDatabase('db');
			dropPostgres = fresh.drop;
			return { kind: 'postgres', url: fresh.url };
		}
	}
];

describe.each(stores)('on $kind', (store) => {
	let config: DatabaseConfig;
	beforeAll(async () => {
		config = await store.open();
		await openDatabase(config);
	});
	afterAll(async () => {
		await closeDatabase();
		if (store.kind === 'sqlite') rmSync(dir, { recursive: true, force: true });
		else await dropPostgres();
	});

	describe('write', () => {
		it('stores every write, and rolls back only the one that throws', async () => {
			const results = await Promise.allSettled([
				write((tx) => tx.all(teacher('t-1'))),
				write(async (tx) => {
					await tx.all(teacher('t-2'));
					throw new Error('changed my mind');
				}),
				write(async (tx) => (await tx.all(teacher('t-3')), 'done'))
			]);
			expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
			expect(results[2]).toMatchObject({ value: 'done' });
			expect(await teacherIds()).toEqual(['t-1', 't-3']);
		});

		it.runIf(store.kind === 'sqlite')(
			'runs the writes of one turn in one transaction, in the order they were queued',
			async () => {
				const seen: string[][] = [];
				await Promise.all([
					write((tx) => tx.all(teacher('t-4'))),
					// Same transaction: the second sees the first's row before anything is committed.
					write(async () => seen.push(await teacherIds()))
				]);
				expect(seen[0]).toContain('t-4');
			}
		);

		it('rejects every write while the database refuses writes, stores none, and carries on after', async () => {
			injectFault('readonly');
			try {
				const results = await Promise.allSettled([
					write((tx) => tx.all(teacher('t-5'))),
					write((tx) => tx.all(teacher('t-6')))
				]);
				for (const r of results) {
					expect(r.status).toBe('rejected');
					expect(storageFault((r as PromiseRejectedResult).reason)).toMatch(/read-only/);
				}
			} finally {
				injectFault('none');
			}
			expect(await teacherIds()).not.toContain('t-5');
			await write((tx) => tx.all(teacher('t-7')));
			expect(await teacherIds()).toContain('t-7');
		});
	});

	describe('write health', () => {
		it('reports a read-only or full database with the reason, and clears once writes work again', async () => {
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
				await expect(write((tx) => tx.all(teacher('t-8')))).rejects.toThrow();
				expect(await writeHealth()).toMatch(/read-only/);
			} finally {
				injectFault('none');
			}
			expect(await probeWrites()).toBeUndefined();
		});
	});

	describe.runIf(store.kind === 'sqlite')('one server per database file', () => {
		it('refuses to open a file another server holds, saying why', async () => {
			vi.resetModules();
			const second = (await import('./db')) as typeof import('./db');
			await expect(second.openDatabase(config)).rejects.toThrow(
				/another Causeway server is already using the database/
			);
			// The first server is unaffected.
			await write((tx) => tx.all(teacher('t-9')));
			expect(await teacherIds()).toContain('t-9');
		});
	});

	describe.runIf(store.kind === 'postgres')('durability on PostgreSQL', () => {
		it('commits wait for their WAL flush even where the database says otherwise', async () => {
			const url = (config as { url: string }).url;
			const name = new URL(url).pathname.slice(1);
			await sql.raw(`alter database "${name}" set synchronous_commit = off`).execute(database());
			await closeDatabase();
			await openDatabase(config);
			const shown = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(
				database()
			);
			expect(shown.rows[0]?.synchronous_commit).toBe('on');
		});
	});

	describe.runIf(store.kind === 'postgres')('several server processes on one database', () => {
		it('let a second process open the database as it is, and count with numbers', async () => {
			vi.resetModules();
			const second = (await import('./db')) as typeof import('./db');
			await second.openDatabase(config);
			const counted = await second
				.database()
				.selectFrom('teachers')
				.select((eb) => eb.fn.countAll().as('n'))
				.executeTakeFirstOrThrow();
			expect(counted.n).toBe((await teacherIds()).length);
			await second.closeDatabase();
		});
	});
});

describe('storage faults of PostgreSQL, by SQLSTATE', () => {
	it.each([
		['53100', /disk is full/],
		['25006', /read-only/],
		['08006', /unavailable/],
		['57P01', /unavailable/],
		['ECONNREFUSED', /unavailable/]
	])('%s → a 503 that says why', (code, reason) => {
		expect(storageFault(Object.assign(new Error('x'), { code }))).toMatch(reason);
	});

	it.each(['23505', '22P02', '42601', '25P02'])(
		'%s is the request’s error, not a fault',
		(code) => {
			expect(storageFault(Object.assign(new Error('x'), { code }))).toBeUndefined();
		}
	);
});
