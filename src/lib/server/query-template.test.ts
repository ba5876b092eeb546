/** A template compiles as its query does, binds each call's values, and refuses a reshaped argument. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, database, openDatabase, rows } from './db';
import { queryTemplate } from './query-template';

let dir: string;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'causeway-template-'));
	await openDatabase({ kind: 'sqlite', path: join(dir, 'causeway.sqlite') });
});

afterAll(async () => {
	await closeDatabase();
	rmSync(dir, { recursive: true, force: true });
});

describe('queryTemplate', () => {
	const built = (code: string, limit: number) =>
		database()
			.selectFrom('deleted_sessions')
			.select('code')
			.where('code', '=', code)
			.where('code', '!=', 'a constant of the query')
			.limit(limit);

	it('gives the SQL and parameters the query builder gives, for each call', () => {
		const template = queryTemplate(built);
		for (const [code, limit] of [
			['ABC123', 1],
			['ZZZ999', 7]
		] as const) {
			const { sql, parameters } = template(code, limit).compile();
			const direct = built(code, limit).compile();
			expect(sql).toBe(direct.sql);
			expect(parameters).toEqual(direct.parameters);
		}
	});

	it('binds every field of a row given whole, and the row is stored as given', async () => {
		const insert = queryTemplate((row: { code: string; deleted_at: string }) =>
			database().insertInto('deleted_sessions').values(row).returning('code')
		);
		expect(await rows(insert({ code: 'TPL001', deleted_at: '2026-12-01T00:00:00.000Z' }))).toEqual([
			{ code: 'TPL001' }
		]);
		expect(await rows(insert({ code: 'TPL002', deleted_at: '2026-12-01T00:00:01.000Z' }))).toEqual([
			{ code: 'TPL002' }
		]);
		const stored = await rows(
			database().selectFrom('deleted_sessions').selectAll().where('code', 'like', 'TPL%')
		);
		expect(stored).toEqual([
			{ code: 'TPL001', deleted_at: '2026-12-01T00:00:00.000Z' },
			{ code: 'TPL002', deleted_at: '2026-12-01T00:00:01.000Z' }
		]);
	});

	it('throws rather than compile an argument reshaped before it reaches the query', () => {
		const reshaped = queryTemplate((code: string) =>
			database()
				.selectFrom('deleted_sessions')
				.select('code')
				.where('code', '=', code.toUpperCase())
		);
		expect(() => reshaped('ABC123')).toThrow(/argument 1 does not reach the query/);
	});
});
