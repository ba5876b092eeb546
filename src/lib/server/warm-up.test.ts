/**
 * The start-up warm-up: every answer it sends is served by the front door, on a scratch
 * database that is gone afterwards, and the server's own database is left as it was.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { questionsOf } from '$lib/content/pack';
import { allPacks } from './content';
import { createSession, joinSession } from './classroom';
import { closeDatabase, database, openDatabase, writeHealth } from './db';
import { frontDoorServed } from './front-door';
import { loadSession } from './session-store';
import { warmUp, warmUpDone } from './warm-up';

const scratchFolders = () => readdirSync(tmpdir()).filter((f) => f.startsWith('causeway-warm-up-'));

afterEach(async () => {
	vi.unstubAllEnvs();
	vi.restoreAllMocks();
	await closeDatabase();
});

describe('warmUp', () => {
	it('answers every question of every pack through the front door, then leaves nothing open or on disk', async () => {
		const before = { served: frontDoorServed().answers, folders: scratchFolders() };
		await warmUp(300);
		const perClass = allPacks().map((pack) => questionsOf(pack).length);
		// A class big enough for 300 answers, each answering every question: all 200s.
		const expected = perClass.reduce(
			(sum, questions) => sum + Math.ceil(300 / perClass.length / questions) * questions,
			0
		);
		expect(warmUpDone().answers).toBe(expected);
		expect(frontDoorServed().answers - before.served).toBe(expected);
		expect(warmUpDone().ms).toBeGreaterThan(0);
		expect(() => database()).toThrow(/not open/);
		expect(scratchFolders()).toEqual(before.folders);
	});

	it('does nothing when told 0', async () => {
		const before = warmUpDone();
		await warmUp(0);
		expect(warmUpDone()).toEqual(before);
		expect(() => database()).toThrow(/not open/);
	});

	it('sets the server’s open database aside and gives it back as it was, still taking writes', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'causeway-warm-up-test-'));
		try {
			await openDatabase({ kind: 'sqlite', path: join(dir, 'db.sqlite') });
			const { code } = await createSession({ scenario: allPacks()[0]!.id, mode: 'self-paced' });
			await warmUp(100);
			expect(warmUpDone().answers).toBeGreaterThan(0);
			const sessions = await database().selectFrom('sessions').select('code').execute();
			expect(sessions).toEqual([{ code }]);
			expect(await database().selectFrom('answers').selectAll().execute()).toEqual([]);
			expect(await writeHealth()).toBeUndefined();
			await joinSession(await loadSession(code), 'Ana');
		} finally {
			await closeDatabase();
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('says so and goes on when it cannot warm (no temporary folder)', async () => {
		vi.stubEnv('TMPDIR', '/nonexistent/causeway-warm-up');
		const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
		await expect(warmUp(100)).resolves.toBeUndefined();
		expect(warned).toHaveBeenCalledWith(
			expect.stringMatching(/Warming the answer path failed/),
			expect.anything()
		);
		expect(() => database()).toThrow(/not open/);
	});
});
