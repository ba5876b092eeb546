/** Downloads: how many are built at once, and how a worker's failure reaches the client. */
import { isHttpError } from '@sveltejs/kit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, deleteSession } from './classroom';
import { allPacks } from './content';
import { closeDatabase, openDatabase } from './db';
import {
	download,
	EXPORTS_AT_ONCE,
	EXPORTS_WAITING,
	failureFrom,
	givenUpWhenStalled,
	StalledDownload,
	workerFailure,
	type ExportJob
} from './exports';
import { DELETED, loadSession } from './session-store';

let dir: string;
let job: ExportJob;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'causeway-exports-'));
	await openDatabase({ kind: 'sqlite', path: join(dir, 'causeway.sqlite') });
	const { code } = await createSession({ scenario: allPacks()[0]!.id, mode: 'self-paced' });
	job = { kind: 'answers', session: await loadSession(code) };
});

afterAll(async () => {
	await closeDatabase();
	rmSync(dir, { recursive: true, force: true });
});

const ask = () => download(job, 'text/csv; charset=utf-8', 'answers.csv');

describe('download', () => {
	it(
		'builds EXPORTS_AT_ONCE files at a time, lines up EXPORTS_WAITING more and refuses the next with 503',
		{ timeout: 30_000 },
		async () => {
			const building = await Promise.all(Array.from({ length: EXPORTS_AT_ONCE }, ask));
			expect(building.map((r) => r.status)).toEqual(building.map(() => 200));

			let started = 0;
			const waiting = Array.from({ length: EXPORTS_WAITING }, () =>
				ask().then((response) => ((started += 1), response))
			);
			const refused = await ask();
			expect(refused.status).toBe(503);
			expect(refused.headers.get('retry-after')).toBe('60');
			expect(((await refused.json()) as { message: string }).message).toMatch(/Too many downloads/);
			expect(started).toBe(0);

			// A file read to its end frees its place: the first in line starts.
			expect(await building[0]!.text()).toMatch(/^session,participant,question/);
			const first = await waiting[0]!;
			expect(started).toBe(1);
			// A download given up (the client went away) frees its place as well.
			for (const response of building.slice(1)) await response.body!.cancel();
			await first.body!.cancel();
			for (const next of waiting.slice(1)) await (await next).body!.cancel();
			expect(started).toBe(EXPORTS_WAITING);

			// Every place is free again: as many start at once as at first.
			const again = await Promise.all(Array.from({ length: EXPORTS_AT_ONCE }, ask));
			expect(again.map((r) => r.status)).toEqual(again.map(() => 200));
			for (const response of again) await response.body!.cancel();
		}
	);
});

describe('a download whose reader stops reading', () => {
	const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

	it('gives its slot to the next in line once nothing of it was read for the stall limit', async () => {
		const stalled = await Promise.all(
			Array.from({ length: EXPORTS_AT_ONCE }, () =>
				download(job, 'text/csv; charset=utf-8', 'answers.csv', { stallMs: 100 })
			)
		);
		let started = false;
		const next = ask().then((response) => ((started = true), response));
		await pause(20);
		expect(started).toBe(false);
		// Nobody reads the first ones: their slots go to the one waiting.
		const response = await next;
		expect(response.status).toBe(200);
		expect(await response.text()).toMatch(/^session,participant,question/);
		for (const given of stalled)
			await expect(given.text()).rejects.toThrow(/given up: nothing of it was read for 0.1 s/);
	});

	/** A body of `count` slices, each made `makeMs` after it is asked for; tells when it is cancelled. */
	function slowBody(count: number, makeMs: number) {
		const made = { slices: 0, cancelled: false };
		const body = new ReadableStream<Uint8Array>(
			{
				async pull(controller) {
					await pause(makeMs);
					if (made.slices === count) return controller.close();
					made.slices += 1;
					controller.enqueue(new TextEncoder().encode(`slice ${made.slices}\n`));
				},
				cancel() {
					made.cancelled = true;
				}
			},
			{ highWaterMark: 0 }
		);
		return { body, made };
	}

	it('is never given up while its reader keeps reading, however slowly the file is made', async () => {
		const { body, made } = slowBody(5, 80);
		const reader = givenUpWhenStalled(body, 50).getReader();
		const read: string[] = [];
		for (;;) {
			await pause(30);
			const { done, value } = await reader.read();
			if (done) break;
			read.push(new TextDecoder().decode(value));
		}
		expect(read).toEqual(['slice 1\n', 'slice 2\n', 'slice 3\n', 'slice 4\n', 'slice 5\n']);
		expect(made.cancelled).toBe(false);
	});

	it('cancels the file being made, and says why to a reader that comes back', async () => {
		const { body, made } = slowBody(5, 0);
		const reader = givenUpWhenStalled(body, 50).getReader();
		expect((await reader.read()).done).toBe(false);
		await pause(120);
		expect(made.cancelled).toBe(true);
		expect(made.slices).toBe(1);
		const late = reader.read();
		await expect(late).rejects.toBeInstanceOf(StalledDownload);
	});
});

describe('a worker failure, sent across threads and thrown again', () => {
	const across = (failure: unknown) => failureFrom(workerFailure(failure));

	it('keeps a refusal a refusal: a session deleted under the export is a 410, not a 500', async () => {
		let thrown: unknown;
		try {
			const { code } = await createSession({ scenario: allPacks()[0]!.id, mode: 'self-paced' });
			await deleteSession(await loadSession(code));
			await loadSession(code);
		} catch (failure) {
			thrown = failure;
		}
		const again = across(thrown);
		expect(isHttpError(again, 410)).toBe(true);
		expect((again as { body: { message: string } }).body.message).toBe(DELETED);
	});

	it("keeps a storage error's code, which tells a full or read-only disk (503)", () => {
		const again = across(
			Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
		);
		expect(isHttpError(again)).toBe(false);
		expect(again).toMatchObject({ message: 'database or disk is full', code: 'SQLITE_FULL' });
	});
});
