/** Facts between server processes over a real PostgreSQL: heard, and read again after a loss. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listenForFacts, type FactListener } from './bus';
import type { Fact } from './facts';
import { FACTS_CHANNEL, payloadOf } from './postgres-store';
import { freshPostgresDatabase } from './testing/postgres';

let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let other: pg.Client;

beforeAll(async () => {
	database = await freshPostgresDatabase('bus');
	other = new pg.Client({ connectionString: database.url });
	await other.connect();
});

afterAll(async () => {
	await other.end();
	await database.drop();
});

/** What another server process sends when it commits `fact`. */
const sendFromAnotherProcess = (fact: Fact) =>
	other.query('select pg_notify($1, $2)', [
		FACTS_CHANNEL,
		JSON.stringify({ from: 'another-process', n: Math.random(), fact })
	]);

const state = (version: number): Fact => ({
	kind: 'state',
	code: 'ABCDEF',
	version,
	pacing: {
		status: 'running',
		mode: 'teacher-paced',
		openQuestionId: null,
		currentQuestionId: null,
		revealed: []
	}
});

describe('listening for facts', () => {
	it('hears what another process commits, and not its own', async () => {
		const heard: Fact[] = [];
		const listener = await listenForFacts(
			database.url,
			(f) => heard.push(f),
			() => {}
		);
		try {
			await sendFromAnotherProcess(state(1));
			// This process's own notification (its facts were applied when they committed).
			await other.query('select pg_notify($1, $2)', [FACTS_CHANNEL, payloadOf(state(2))]);
			await sendFromAnotherProcess(state(3));
			await vi.waitUntil(() => heard.length >= 2, { timeout: 3000 });
			expect(heard.map((f) => (f.kind === 'state' ? f.version : 0))).toEqual([1, 3]);
		} finally {
			await listener.stop();
		}
	});

	it('connects again after losing its connection, then reads everything again', async () => {
		const heard: Fact[] = [];
		let resyncs = 0;
		const listener: FactListener = await listenForFacts(
			database.url,
			(f) => heard.push(f),
			() => (resyncs += 1)
		);
		try {
			// The server ends the listening connection, as a restart or a network cut would.
			await other.query(
				`select pg_terminate_backend(pid) from pg_stat_activity
				 where datname = current_database() and query like 'LISTEN%'`
			);
			// Sent while nobody listens: lost, which is why the process must read again.
			await sendFromAnotherProcess(state(4));
			await vi.waitUntil(() => resyncs === 1, { timeout: 5000, interval: 20 });
			await sendFromAnotherProcess(state(5));
			await vi.waitUntil(() => heard.length === 1, { timeout: 3000 });
			expect(heard[0]).toMatchObject({ version: 5 });
		} finally {
			await listener.stop();
		}
	});
});

describe('a fact as a notification', () => {
	it('is unique (PostgreSQL merges identical payloads in one transaction)', () => {
		expect(payloadOf(state(1))).not.toBe(payloadOf(state(1)));
	});

	it('becomes a resync of its session when too big for a notification', () => {
		const big: Fact = {
			kind: 'answered',
			code: 'ABCDEF',
			answer: {
				answerId: 'a',
				participantId: 'p',
				questionId: 'q',
				response: 'x'.repeat(9000),
				correct: true,
				credit: 1,
				points: 10,
				maxPoints: 10,
				answeredAt: '2026-12-01T00:00:00.000Z'
			}
		};
		const payload = payloadOf(big);
		expect(Buffer.byteLength(payload)).toBeLessThan(8000);
		expect(JSON.parse(payload)).toMatchObject({ fact: { kind: 'resync', code: 'ABCDEF' } });
	});
});
