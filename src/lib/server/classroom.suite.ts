/**
 * The classroom service against a real database, without a SvelteKit runtime: the packs come
 * from the content Vite plugin (`virtual:causeway/packs`), the database from `openDatabase`. One
 * suite, run on each store: `classroom.test.ts` (SQLite) and `classroom.postgres.test.ts`.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { sql } from 'kysely';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { env } from '$env/dynamic/private';
import { AnswerBody } from '$lib/classroom/api';
import type { Dashboard } from '$lib/classroom/dashboard';
import { statusOf } from '$lib/classroom/session.machine';
import { uuidV4 } from '$lib/classroom/uuid';
import { questionsOf, type Pack, type Question } from '$lib/content/pack';
import { describeAnswer } from '$lib/journey/describe';
import { hashToken } from './auth';
import { identify } from './caller';
import {
	controlSession,
	createSession,
	deleteSession,
	joinSession,
	removeParticipant,
	setJoiningLocked,
	submitAnswer
} from './classroom';
import { allPacks } from './content';
import type { DatabaseConfig } from './config';
import { closeDatabase, database, openDatabase, type ParticipantRow } from './db';
import type { FactListener } from './bus';
import { subscribe, type SseMessage } from './hub';
import { dashboardOf } from './live-dashboard';
import { startLiveEvents } from './live-events';
import { sessionResults } from './results';
import { loadSession, type LoadedSession } from './session-store';
import { pacingOf, sessionView } from './session-views';

/** The store a run of the suite is on: how to make a fresh database of it, and remove it. */
export interface SuiteStore {
	kind: DatabaseConfig['kind'];
	open(): Promise<DatabaseConfig>;
	close(): Promise<void>;
}

/** Every test of the classroom service, on `store`. */
export function classroomSuite(store: SuiteStore): void {
	let config: DatabaseConfig;
	let listening: FactListener | undefined;

	beforeAll(async () => {
		config = await store.open();
		await openDatabase(config);
		listening = await startLiveEvents(config);
	});

	afterAll(async () => {
		await listening?.stop();
		await closeDatabase();
		await store.close();
	});

	/** What SvelteKit's `error()` throws. */
	interface HttpError {
		status: number;
		body: { message: string };
	}

	/** Awaits `promise`, expecting it to fail with `error(status, …)`; returns the message. */
	async function refusal(promise: Promise<unknown>, status: number): Promise<string> {
		try {
			await promise;
		} catch (failure) {
			const e = failure as HttpError;
			expect(e.status, e.body?.message ?? String(failure)).toBe(status);
			expect(typeof e.body.message).toBe('string');
			return e.body.message;
		}
		throw new Error(`expected a ${status}, but the call succeeded`);
	}

	const pack = (): Pack => {
		const first = allPacks()[0];
		if (!first) throw new Error('no pack is served');
		return first;
	};

	function firstOfType<T extends Question['type']>(type: T): Extract<Question, { type: T }> {
		const found = questionsOf(pack()).find((q) => q.type === type);
		if (!found) throw new Error(`the served pack has no ${type} question`);
		return found as Extract<Question, { type: T }>;
	}

	const choice = () => firstOfType('choice');
	/** A new, right answer to the first choice question. */
	const rightChoice = () => ({
		answerId: uuidV4(),
		questionId: choice().id,
		response: choice().answer
	});
	const order = () => firstOfType('order');
	/** A new answer to the first order question: the right order unless told otherwise. */
	const orderAnswer = (response: unknown = order().answer) => ({
		answerId: uuidV4(),
		questionId: order().id,
		response
	});
	const wrongChoice = () => choice().options.find((o) => o.id !== choice().answer)!.id;
	/** The right order with its first two items swapped: (n − 2) of n items in place. */
	const swappedOrder = () => {
		const [a, b, ...rest] = order().answer;
		return [b, a, ...rest];
	};

	async function newSession(mode: 'teacher-paced' | 'self-paced', title?: string) {
		const { code, hostToken } = await createSession({ scenario: pack().id, mode, title });
		return { code, hostToken, session: await loadSession(code) };
	}

	async function participantRow(id: string): Promise<ParticipantRow> {
		return database()
			.selectFrom('participants')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
	}

	async function enrol(session: LoadedSession, nickname: string) {
		const joined = await joinSession(session, nickname);
		return { ...joined, row: await participantRow(joined.participantId) };
	}

	const answerCount = async (code: string) =>
		Number(
			(
				await database()
					.selectFrom('answers')
					.select((eb) => eb.fn.countAll().as('n'))
					.where('session_code', '=', code)
					.executeTakeFirstOrThrow()
			).n
		);

	/** Moves a session and returns it reloaded, as the next request would see it. */
	async function control(
		code: string,
		action: 'start' | 'open' | 'reveal' | 'next' | 'end',
		q?: string
	) {
		await controlSession(await loadSession(code), action, q);
		return loadSession(code);
	}

	/**
	 * Runs `read` in what a new server process would be, started on the same file with nothing in
	 * memory: fresh modules, the database reopened. The first server stops (and lets go of the file)
	 * before the second opens it; afterwards this one reopens it.
	 */
	async function afterRestart(
		read: (fresh: {
			store: typeof import('./session-store');
			views: typeof import('./session-views');
			dashboard: typeof import('./live-dashboard');
		}) => Promise<void>
	): Promise<void> {
		await listening?.stop();
		await closeDatabase();
		vi.resetModules();
		const freshDb = (await import('./db')) as typeof import('./db');
		await freshDb.openDatabase(config);
		const freshListening = await (
			(await import('./live-events')) as typeof import('./live-events')
		).startLiveEvents(config);
		try {
			await read({
				store: (await import('./session-store')) as typeof import('./session-store'),
				views: (await import('./session-views')) as typeof import('./session-views'),
				dashboard: (await import('./live-dashboard')) as typeof import('./live-dashboard')
			});
		} finally {
			await freshListening?.stop();
			await freshDb.closeDatabase();
			await openDatabase(config);
			listening = await startLiveEvents(config);
		}
	}

	describe('the database', () => {
		it.runIf(store.kind === 'sqlite')(
			// NORMAL: the store flushes the log itself before it acknowledges (sqlite-store.test.ts).
			'is in WAL mode with synchronous = NORMAL and foreign keys on',
			async () => {
				const db = database();
				const pragma = async (name: string) =>
					Object.values((await sql.raw(`PRAGMA ${name}`).execute(db)).rows[0] as object)[0];
				expect(await pragma('journal_mode')).toBe('wal');
				expect(await pragma('synchronous')).toBe(1);
				expect(await pragma('foreign_keys')).toBe(1);
			}
		);
	});

	describe('creating and joining a session', () => {
		it('refuses a scenario that is not served', async () => {
			expect(
				await refusal(createSession({ scenario: 'no-such-pack', mode: 'self-paced' }), 400)
			).toContain('no-such-pack');
		});

		it('stores the host token only as its hash, and starts in the lobby', async () => {
			const { code, hostToken, session } = await newSession('teacher-paced');
			expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}$/);
			expect(hostToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
			expect(session.row.host_token_hash).toBe(hashToken(hostToken));
			expect(JSON.stringify(session.row)).not.toContain(hostToken);
			expect(session.row.title).toBe(pack().title);
			expect(session.row.mode).toBe('teacher-paced');
			expect(statusOf(session.snapshot)).toBe('lobby');
			expect(session.snapshot.context.questionIds).toEqual(questionsOf(pack()).map((q) => q.id));
		});

		it('keeps a title when one is given', async () => {
			const { session } = await newSession('self-paced', 'Period 3');
			expect(session.row.title).toBe('Period 3');
		});

		it('is a 404 for an unknown code', async () => {
			expect(await refusal(loadSession('ZZZZZZ'), 404)).toContain('ZZZZZZ');
		});

		it('joins under a nickname unique in the session whatever its case, width or look-alike letters', async () => {
			const { session } = await newSession('self-paced');
			const ana = await joinSession(session, 'Ana');
			expect(ana.nickname).toBe('Ana');
			expect(ana.participantToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
			expect((await participantRow(ana.participantId)).token_hash).toBe(
				hashToken(ana.participantToken)
			);
			// The last two with a Cyrillic а: they look like Ana on the teacher's screen.
			for (const same of ['ana', 'ANA', 'Ａｎａ', 'Anа', 'АNА'])
				expect(await refusal(joinSession(session, same), 409)).toContain('taken');
			expect((await joinSession(session, 'Ann')).nickname).toBe('Ann');
			// Another session may have its own Ana.
			const other = await newSession('self-paced');
			expect((await joinSession(other.session, 'Ana')).nickname).toBe('Ana');
		});

		it('refuses to join a session that has ended: 410', async () => {
			const { code } = await newSession('self-paced');
			const ended = await control(code, 'end');
			expect(await refusal(joinSession(ended, 'Late'), 410)).toMatch(/ended/);
		});

		it('takes at most MAX_PARTICIPANTS: the next is a 409 "This session is full"', async () => {
			env.MAX_PARTICIPANTS = '3';
			try {
				const { session } = await newSession('self-paced');
				// Joined at once, as a class does. On SQLite the limit holds exactly inside the shared
				// transaction; on PostgreSQL joins run side by side (serialising them would cost a disk
				// flush per join), so joins committing at the same instant may pass it by as many as
				// are in flight (HARDENING.md says so). Once they are in, the next is refused.
				const joins = await Promise.allSettled(
					['A', 'B', 'C', 'D', 'E'].map((n) => joinSession(session, n))
				);
				const joined = joins.filter((j) => j.status === 'fulfilled').length;
				if (store.kind === 'sqlite') expect(joined).toBe(3);
				else expect(joined).toBeGreaterThanOrEqual(3);
				expect(await refusal(joinSession(session, 'F'), 409)).toMatch(/^This session is full/);
			} finally {
				delete env.MAX_PARTICIPANTS;
			}
		});

		it('refuses new participants while the host has locked joining, and takes them once unlocked', async () => {
			const { code, session } = await newSession('self-paced');
			await joinSession(session, 'Before');
			await setJoiningLocked(session, true);
			expect(await refusal(joinSession(session, 'Locked out'), 409)).toMatch(/locked/);
			expect(
				await sessionView(await loadSession(code), { host: true, participant: null }, '')
			).toMatchObject({ joiningLocked: true });
			await setJoiningLocked(session, false);
			expect((await joinSession(session, 'After')).nickname).toBe('After');
		});
	});

	describe('removing a participant', () => {
		it('deletes them with their answers: their token stops working and the totals forget them', async () => {
			const { code, session } = await newSession('self-paced');
			await control(code, 'start');
			const ana = await enrol(session, 'Ana');
			const ben = await enrol(session, 'Ben');
			const closed: string[] = [];
			const off = subscribe(code, {
				role: 'participant',
				participantId: ana.participantId,
				send: () => {},
				close: () => closed.push(ana.participantId),
				stateVersion: -1
			});
			try {
				for (const person of [ana, ben])
					await submitAnswer(await loadSession(code), person.row, rightChoice());
				expect((await dashboardOf(await loadSession(code))).participants).toHaveLength(2);
				await removeParticipant(await loadSession(code), ana.participantId);
				expect(closed).toEqual([ana.participantId]);
				const caller = await identify(
					{
						request: new Request('http://localhost/api', {
							headers: { authorization: `Bearer ${ana.participantToken}` }
						}),
						cookies: { get: () => undefined }
					} as unknown as RequestEvent,
					await loadSession(code)
				);
				expect(caller.participant).toBeNull();
				const results = await sessionResults(await loadSession(code));
				expect(results.participants.map((p) => p.nickname)).toEqual(['Ben']);
				expect(await answerCount(code)).toBe(1);
				const dashboard = await dashboardOf(await loadSession(code));
				expect(dashboard.participants.map((p) => p.nickname)).toEqual(['Ben']);
				expect(dashboard.questions.find((q) => q.questionId === choice().id)?.answered).toBe(1);
				// Someone not in this session: 404, and nothing else changes.
				await refusal(removeParticipant(await loadSession(code), ana.participantId), 404);
			} finally {
				off();
			}
		});
	});

	describe('deleting a session', () => {
		it('answers 410 for its code from then on, closes its streams, and never gives the code out again', async () => {
			const { code, session } = await newSession('self-paced');
			const ana = await enrol(session, 'Ana');
			let closed = 0;
			const off = subscribe(code, {
				role: 'host',
				send: () => {},
				close: () => (closed += 1),
				stateVersion: -1
			});
			try {
				await deleteSession(session);
			} finally {
				off();
			}
			expect(closed).toBe(1);
			expect(await refusal(loadSession(code), 410)).toMatch(/deleted/);
			// A request still holding the old session (it was loaded before the delete) is refused too.
			await refusal(joinSession(session, 'Late'), 410);
			await refusal(submitAnswer(session, ana.row, rightChoice()), 410);
			const tombstones = await database()
				.selectFrom('deleted_sessions')
				.select('code')
				.where('code', '=', code)
				.execute();
			expect(tombstones).toHaveLength(1);
		});
	});

	describe('a short session', () => {
		/** Five questions from across the pack, given in reverse: the session keeps the pack order. */
		const five = () => {
			const all = questionsOf(pack()).map((q) => q.id);
			const step = Math.floor(all.length / 5);
			return [0, 1, 2, 3, 4].map((i) => all[i * step]!);
		};

		it('asks only the questions picked, in the pack order', async () => {
			const { code } = await createSession({
				scenario: pack().id,
				mode: 'teacher-paced',
				questionIds: [...five()].reverse()
			});
			const session = await loadSession(code);
			expect(session.snapshot.context.questionIds).toEqual(five());
			expect(questionsOf(session.pack).map((q) => q.id)).toEqual(five());
			// Every link keeps its place, so that a report can say "not asked".
			expect(session.pack.steps.map((s) => s.id)).toEqual(pack().steps.map((s) => s.id));
			// Points possible count the questions asked: none before the start.
			expect((await sessionResults(session)).maxPoints).toBe(0);
		});

		it('counts the points possible over the questions asked: all five once self-paced starts', async () => {
			const { code } = await createSession({
				scenario: pack().id,
				mode: 'self-paced',
				questionIds: five()
			});
			expect((await sessionResults(await control(code, 'start'))).maxPoints).toBe(5 * 10);
		});

		it('refuses a question the scenario does not have, naming it', async () => {
			expect(
				await refusal(
					createSession({
						scenario: pack().id,
						mode: 'self-paced',
						questionIds: [five()[0]!, 'no-such-question']
					}),
					400
				)
			).toContain('"no-such-question"');
		});

		it('refuses an answer to a question of the pack the session does not ask', async () => {
			const picked = five();
			const { code } = await createSession({
				scenario: pack().id,
				mode: 'self-paced',
				questionIds: picked
			});
			const session = await control(code, 'start');
			const ana = await enrol(session, 'Ana');
			const other = questionsOf(pack()).find((q) => !picked.includes(q.id))!;
			const body = { answerId: uuidV4(), questionId: other.id, response: null };
			expect(await refusal(submitAnswer(session, ana.row, body), 400)).toContain(other.id);
		});

		it('lists to participants only the links it asks', async () => {
			const picked = five().slice(0, 1);
			const { code } = await createSession({
				scenario: pack().id,
				mode: 'self-paced',
				questionIds: picked
			});
			const session = await loadSession(code);
			const ana = await enrol(session, 'Ana');
			const view = await sessionView(session, { host: false, participant: ana.row }, 'http://x');
			expect(view.links.map((l) => l.questionIds)).toEqual([picked]);
		});
	});

	describe('identifying the caller', () => {
		const event = (authorization?: string, cookies: Record<string, string> = {}) =>
			({
				request: new Request('http://localhost/api', {
					headers: authorization ? { authorization } : {}
				}),
				cookies: { get: (name: string) => cookies[name] }
			}) as unknown as RequestEvent;

		it('knows the host and participants by bearer token or cookie, and nobody else', async () => {
			const { code, hostToken, session } = await newSession('self-paced');
			const ana = await joinSession(session, 'Ana');
			expect(await identify(event(`Bearer ${hostToken}`), session)).toEqual({
				host: true,
				participant: null
			});
			expect(
				(await identify(event(undefined, { [`cw_host_${code}`]: hostToken }), session)).host
			).toBe(true);
			const asAna = await identify(event(`Bearer ${ana.participantToken}`), session);
			expect(asAna.host).toBe(false);
			expect(asAna.participant?.id).toBe(ana.participantId);
			const byCookie = await identify(
				event(undefined, { [`cw_part_${code}`]: ana.participantToken }),
				session
			);
			expect(byCookie.participant?.nickname).toBe('Ana');
			expect(await identify(event('Bearer nonsense'), session)).toEqual({
				host: false,
				participant: null
			});
			expect(await identify(event(), session)).toEqual({ host: false, participant: null });
			// A participant of one session is nobody in another.
			const other = await newSession('self-paced');
			expect(
				(await identify(event(`Bearer ${ana.participantToken}`), other.session)).participant
			).toBeNull();
		});
	});

	describe('a teacher-paced session, answer by answer', () => {
		it('grades on the server, answers once per question, and only while the question is open', async () => {
			const { code } = await newSession('teacher-paced');
			let session = await loadSession(code);
			const ana = await enrol(session, 'Ana');
			const q = choice();
			const body = { answerId: uuidV4(), questionId: q.id, response: q.answer };

			// Lobby: nothing is open.
			expect(await refusal(submitAnswer(session, ana.row, body), 409)).toMatch(/not open/);
			session = await control(code, 'start');
			expect(await refusal(submitAnswer(session, ana.row, body), 409)).toMatch(/not open/);
			session = await control(code, 'open', q.id);
			expect(pacingOf(session)).toMatchObject({
				status: 'running',
				mode: 'teacher-paced',
				openQuestionId: q.id,
				revealed: []
			});

			// Teacher-paced, before the reveal: acknowledged, without the result.
			const ack = await submitAnswer(session, ana.row, body);
			expect(ack).toEqual({ revealed: false, answerId: body.answerId, questionId: q.id });

			// The same answerId again: the same acknowledgement, nothing stored twice — even with
			// another response.
			expect(await submitAnswer(session, ana.row, body)).toEqual(ack);
			expect(await submitAnswer(session, ana.row, { ...body, response: wrongChoice() })).toEqual(
				ack
			);
			expect(await answerCount(code)).toBe(1);

			// Another answer to the same question.
			expect(
				await refusal(submitAnswer(session, ana.row, { ...body, answerId: uuidV4() }), 409)
			).toMatch(/already answered/);
			// The same answerId for another question.
			expect(
				await refusal(submitAnswer(session, ana.row, { ...body, questionId: order().id }), 409)
			).toMatch(/already used/);
			// A question that is not open.
			expect(await refusal(submitAnswer(session, ana.row, orderAnswer()), 409)).toMatch(/not open/);
			// A question the pack does not have, and a response of the wrong shape.
			expect(
				await refusal(
					submitAnswer(session, ana.row, { answerId: uuidV4(), questionId: 'nope', response: 'a' }),
					400
				)
			).toContain('nope');
			const ben = await enrol(session, 'Ben');
			await refusal(
				submitAnswer(session, ben.row, { answerId: uuidV4(), questionId: q.id, response: 42 }),
				400
			);
			await refusal(
				submitAnswer(session, ben.row, {
					answerId: uuidV4(),
					questionId: q.id,
					response: 'no-such-option'
				}),
				400
			);
			expect(await answerCount(code)).toBe(1);

			// Once revealed, the question is closed.
			session = await control(code, 'reveal');
			expect(
				await refusal(
					submitAnswer(session, ben.row, {
						answerId: uuidV4(),
						questionId: q.id,
						response: q.answer
					}),
					409
				)
			).toMatch(/not open/);
			// … but a retry of an answer stored before still succeeds, now with its result, graded
			// on the server.
			expect(await submitAnswer(session, ana.row, body)).toMatchObject({
				revealed: true,
				answerId: body.answerId,
				questionId: q.id,
				correct: true,
				credit: 1,
				points: 10,
				maxPoints: 10,
				explanation: q.explanation
			});
			expect(await answerCount(code)).toBe(1);
		});

		it('takes the same answer sent twice at once exactly once', async () => {
			const { code } = await newSession('self-paced');
			const session = await control(code, 'start');
			const ana = await enrol(session, 'Ana');
			const body = { answerId: uuidV4(), questionId: choice().id, response: choice().answer };
			const results = await Promise.all(
				Array.from({ length: 5 }, () => submitAnswer(session, ana.row, body))
			);
			for (const r of results) expect(r).toEqual(results[0]);
			expect(await answerCount(code)).toBe(1);
		});

		it('refuses each pacing action the session cannot take now with a 409, and open without an id with a 400', async () => {
			const { code } = await newSession('teacher-paced');
			const lobby = await loadSession(code);
			await refusal(controlSession(lobby, 'next'), 409);
			await refusal(controlSession(lobby, 'reveal'), 409);
			expect(await refusal(controlSession(lobby, 'open'), 400)).toMatch(/questionId/);
			await control(code, 'start');
			await refusal(controlSession(await loadSession(code), 'start'), 409);
			await refusal(controlSession(await loadSession(code), 'open', 'no-such-question'), 409);
			const [first, second] = questionsOf(pack());
			const opened = await control(code, 'next');
			expect(pacingOf(opened).openQuestionId).toBe(first?.id);
			expect(await refusal(controlSession(opened, 'next'), 409)).toMatch(/running/);
			const revealed = await control(code, 'reveal');
			expect(pacingOf(revealed)).toMatchObject({ openQuestionId: null, revealed: [first?.id] });
			expect(pacingOf(await control(code, 'next')).openQuestionId).toBe(second?.id);
			const ended = await control(code, 'end');
			expect(pacingOf(ended).status).toBe('ended');
			for (const action of ['start', 'reveal', 'next', 'end'] as const)
				expect(await refusal(controlSession(ended, action), 409)).toMatch(/ended/);
		});

		it('moves on the stored state, not a stale copy: two hosts clicking next open one question each', async () => {
			const { code } = await newSession('teacher-paced');
			await control(code, 'start');
			const stale = await loadSession(code);
			await controlSession(stale, 'next');
			// The second click, made from the same stale page, finds the first question open: refused.
			await refusal(controlSession(stale, 'next'), 409);
			expect(pacingOf(await loadSession(code)).openQuestionId).toBe(questionsOf(pack())[0]?.id);
		});

		it('resumes every session from the database after a restart', async () => {
			const { code } = await newSession('teacher-paced');
			await control(code, 'start');
			await control(code, 'open', order().id);
			const before = await loadSession(code);
			await afterRestart(async ({ store, views }) => {
				const after = await store.loadSession(code);
				expect(after.snapshot.value).toEqual(before.snapshot.value);
				expect(after.snapshot.context).toEqual(before.snapshot.context);
				expect(views.pacingOf(after)).toEqual(pacingOf(before));
			});
		});
	});

	describe('what a participant sees', () => {
		// Regression: the reply to an answer once carried the answer in words, the explanation and
		// the evidence before the host revealed the question, for anyone to read out to the class.
		it('gets no answer key in the reply to a teacher-paced answer before the reveal', async () => {
			const { code } = await newSession('teacher-paced');
			await control(code, 'start');
			const session = await control(code, 'open', choice().id);
			const ana = await enrol(session, 'Ana');
			const result = await submitAnswer(session, ana.row, {
				answerId: uuidV4(),
				questionId: choice().id,
				response: wrongChoice()
			});
			const reply = JSON.stringify(result);
			expect(result).toMatchObject({ revealed: false });
			expect(reply).not.toContain(choice().explanation);
			expect(reply).not.toContain(describeAnswer(choice(), pack().article.sources));
		});

		it('sees its own answer without result or key until the host reveals it, then with both', async () => {
			const { code } = await newSession('teacher-paced');
			await control(code, 'start');
			let session = await control(code, 'open', choice().id);
			const ana = await enrol(session, 'Ana');
			const answerId = uuidV4();
			await submitAnswer(session, ana.row, {
				answerId,
				questionId: choice().id,
				response: wrongChoice()
			});

			const caller = { host: false, participant: ana.row };
			const before = await sessionView(session, caller, 'http://class.local');
			expect(before.role).toBe('participant');
			if (before.role !== 'participant') throw new Error('not a participant view');
			expect(before.me.answers).toEqual([
				{ answerId, questionId: choice().id, response: wrongChoice(), revealed: false }
			]);
			expect(before.joinUrl).toBe(`http://class.local/join/${code}`);
			const publicJson = JSON.stringify(before.questions);
			for (const q of questionsOf(pack())) expect(publicJson).not.toContain(q.explanation);

			session = await control(code, 'reveal');
			const after = await sessionView(session, caller, 'http://class.local');
			if (after.role !== 'participant') throw new Error('not a participant view');
			expect(after.me.answers).toEqual([
				expect.objectContaining({
					answerId,
					revealed: true,
					correct: false,
					points: 0,
					explanation: choice().explanation,
					answerText: describeAnswer(choice(), pack().article.sources)
				})
			]);
		});

		it('gets the answer of each revealed question, answered or not, and of no other', async () => {
			const { code } = await newSession('teacher-paced');
			await control(code, 'start');
			let session = await control(code, 'open', choice().id);
			const ben = await enrol(session, 'Ben');
			const caller = { host: false, participant: ben.row };
			const before = await sessionView(session, caller, 'http://x');
			if (before.role !== 'participant') throw new Error('not a participant view');
			expect(before.keys).toEqual([]);
			session = await control(code, 'reveal');
			const after = await sessionView(session, caller, 'http://x');
			if (after.role !== 'participant') throw new Error('not a participant view');
			expect(after.me.answers).toEqual([]);
			expect(after.keys).toEqual([
				{
					questionId: choice().id,
					answerText: describeAnswer(choice(), pack().article.sources),
					explanation: choice().explanation,
					evidence: choice().evidence,
					highlights: choice().evidence.flatMap((p) => pack().anchors[p] ?? [])
				}
			]);
			expect(after.keys[0]?.highlights.length).toBeGreaterThan(0);
		});

		it('gets the article unless the session is closed-book, and no keys when self-paced', async () => {
			for (const closedBook of [false, true]) {
				const { code } = await createSession({
					scenario: pack().id,
					mode: 'self-paced',
					closedBook
				});
				const session = await loadSession(code);
				const ana = await enrol(session, 'Ana');
				const view = await sessionView(session, { host: false, participant: ana.row }, 'http://x');
				if (view.role !== 'participant') throw new Error('not a participant view');
				expect(view.article).toEqual(closedBook ? null : pack().article);
				expect(view.keys).toEqual([]);
			}
		});

		it('is a guest without a token, and the host gets the dashboard', async () => {
			const { session } = await newSession('self-paced');
			expect(
				(await sessionView(session, { host: false, participant: null }, 'http://x')).role
			).toBe('guest');
			const host = await sessionView(session, { host: true, participant: null }, 'http://x');
			expect(host.role).toBe('host');
			expect('dashboard' in host).toBe(true);
		});
	});

	describe('results of a self-paced session', () => {
		it('totals each participant exactly, ignoring whatever score a client sends', async () => {
			const { code } = await newSession('self-paced');
			const session = await control(code, 'start');
			const ana = await enrol(session, 'Ana');
			const ben = await enrol(session, 'Ben');
			await enrol(session, 'Cy');

			// A forged body, parsed as the endpoint parses it, then passed as is to the service.
			const forged = {
				answerId: uuidV4(),
				questionId: choice().id,
				response: wrongChoice(),
				points: 10,
				correct: true,
				credit: 1
			};
			expect(v.parse(AnswerBody, forged)).not.toHaveProperty('points');
			const benChoice = await submitAnswer(session, ben.row, forged);
			expect(benChoice).toMatchObject({ correct: false, credit: 0, points: 0 });

			await submitAnswer(session, ana.row, {
				answerId: uuidV4(),
				questionId: choice().id,
				response: choice().answer
			});
			await submitAnswer(session, ana.row, orderAnswer());
			const n = order().items.length;
			const benOrder = await submitAnswer(session, ben.row, {
				answerId: uuidV4(),
				questionId: order().id,
				response: swappedOrder()
			});
			const partial = Math.round((10 * (n - 2)) / n);
			expect(benOrder).toMatchObject({ correct: false, credit: (n - 2) / n, points: partial });

			const results = await sessionResults(await loadSession(code));
			const maxPoints = questionsOf(pack()).length * 10;
			expect(results.code).toBe(code);
			expect(results.status).toBe('running');
			expect(results.maxPoints).toBe(maxPoints);
			// Answers are listed by time, then by answerId: two in the same millisecond in either order.
			const asked = [choice().id, order().id].sort();
			// Participants who joined in the same millisecond may list in either order: sort by name.
			expect(
				results.participants
					.map((p) => [p.nickname, p.totals, p.answers.map((a) => a.questionId).sort()] as const)
					.sort(([a], [b]) => a.localeCompare(b))
			).toEqual([
				['Ana', { answered: 2, correct: 2, points: 20, maxPoints }, asked],
				['Ben', { answered: 2, correct: 0, points: partial, maxPoints }, asked],
				['Cy', { answered: 0, correct: 0, points: 0, maxPoints }, []]
			]);
			const benRows = results.participants.find((p) => p.nickname === 'Ben')?.answers ?? [];
			expect(benRows.find((a) => a.questionId === choice().id)).toMatchObject({
				response: wrongChoice(),
				correct: false,
				points: 0,
				maxPoints: 10
			});

			const dashboard = await dashboardOf(await loadSession(code));
			expect(
				dashboard.participants
					.map((p) => [p.nickname, p.answered, p.points] as const)
					.sort(([a], [b]) => a.localeCompare(b))
			).toEqual([
				['Ana', 2, 20],
				['Ben', 2, partial],
				['Cy', 0, 0]
			]);
			expect(dashboard.open).toBeNull();
			const choiceFigures = dashboard.questions.find((q) => q.questionId === choice().id);
			expect(choiceFigures).toMatchObject({ answered: 2, correct: 1, correctShare: 0.5 });
		});
	});

	describe('the live dashboard kept in memory', () => {
		/**
		 * The figures the dashboard must show, worked out by SQL straight from the stored rows, never
		 * through DashboardTally: per participant, per question, and each question's response counts.
		 */
		async function storedFigures(code: string) {
			const db = database();
			const participants = await db
				.selectFrom('participants as p')
				.leftJoin('answers as a', 'a.participant_id', 'p.id')
				.select((eb) => [
					'p.nickname',
					eb.fn.count<number>('a.answer_id').as('answered'),
					eb.fn.coalesce(eb.fn.sum<number>('a.correct'), sql<number>`0`).as('correct'),
					eb.fn.coalesce(eb.fn.sum<number>('a.points'), sql<number>`0`).as('points')
				])
				.where('p.session_code', '=', code)
				.groupBy('p.id')
				.orderBy('p.nickname')
				.execute();
			const questions = await db
				.selectFrom('answers')
				.select((eb) => [
					'question_id',
					eb.fn.countAll<number>().as('answered'),
					eb.fn.sum<number>('correct').as('correct')
				])
				.where('session_code', '=', code)
				.groupBy('question_id')
				.execute();
			const responses = await db
				.selectFrom('answers')
				.select((eb) => ['question_id', 'response', eb.fn.countAll<number>().as('count')])
				.where('session_code', '=', code)
				.groupBy(['question_id', 'response'])
				.execute();
			return {
				participants: participants.map((p) => ({
					nickname: p.nickname,
					answered: Number(p.answered),
					correct: Number(p.correct),
					points: Number(p.points)
				})),
				questions: questionsOf(pack()).map((q) => {
					const row = questions.find((r) => r.question_id === q.id);
					return {
						questionId: q.id,
						answered: Number(row?.answered ?? 0),
						correct: Number(row?.correct ?? 0),
						counts: responses
							.filter((r) => r.question_id === q.id)
							.map((r) => Number(r.count))
							.sort((x, y) => y - x)
					};
				})
			};
		}

		/** The same figures as the live dashboard shows them. */
		const shownFigures = (dashboard: Dashboard) => ({
			participants: dashboard.participants
				.map(({ nickname, answered, correct, points }) => ({ nickname, answered, correct, points }))
				.sort((x, y) => x.nickname.localeCompare(y.nickname)),
			questions: dashboard.questions.map((q) => ({
				questionId: q.questionId,
				answered: q.answered,
				correct: q.correct,
				counts: q.distribution.map((d) => d.count).sort((x, y) => y - x)
			}))
		});

		const asCaller = (token: string) =>
			({
				request: new Request('http://localhost/api', {
					headers: { authorization: `Bearer ${token}` }
				}),
				cookies: { get: () => undefined }
			}) as unknown as RequestEvent;

		it('agrees with the database after joins, answers, retries, refusals, a removal and a restart', async () => {
			const { code } = await newSession('teacher-paced');
			let session = await control(code, 'start');
			// Asked for first, so everything below reaches it as running totals, not by a re-read.
			expect((await dashboardOf(session)).participants).toEqual([]);
			const ana = await enrol(session, 'Ana');
			const [ben, cy, dee] = await Promise.all(['Ben', 'Cy', 'Dee'].map((n) => enrol(session, n)));
			await refusal(joinSession(session, 'ana'), 409);
			// Not open yet: refused, and counted nowhere.
			await refusal(submitAnswer(session, ana.row, rightChoice()), 409);
			session = await control(code, 'open', choice().id);

			const retried = { answerId: uuidV4(), questionId: choice().id, response: wrongChoice() };
			await Promise.all([
				submitAnswer(session, ana.row, rightChoice()),
				submitAnswer(session, ben!.row, retried),
				submitAnswer(session, ben!.row, retried),
				submitAnswer(session, dee!.row, rightChoice())
			]);
			// The same answer once more, later, as a phone that never got its acknowledgement would.
			await submitAnswer(session, ben!.row, retried);
			// A second answer to the same question, and an answer to a question not open: refused.
			await refusal(submitAnswer(session, ben!.row, rightChoice()), 409);
			await refusal(submitAnswer(session, cy!.row, orderAnswer()), 409);
			// A wrong token is nobody: it cannot answer at all.
			expect((await identify(asCaller('not-a-token'), session)).participant).toBeNull();

			expect(shownFigures(await dashboardOf(await loadSession(code)))).toEqual(
				await storedFigures(code)
			);

			// Removed: their answers go and their token stops working. The totals, which cannot
			// subtract, are read again; from then on they run again, with whoever joins next.
			await removeParticipant(await loadSession(code), dee!.participantId);
			expect((await identify(asCaller(dee!.participantToken), session)).participant).toBeNull();
			expect((await dashboardOf(await loadSession(code))).participants).toHaveLength(3);
			const eve = await enrol(session, 'Eve');

			session = await control(code, 'reveal');
			session = await control(code, 'next');
			session = await control(code, 'open', order().id);
			const eveOrder = orderAnswer();
			await Promise.all([
				submitAnswer(session, cy!.row, orderAnswer(swappedOrder())),
				submitAnswer(session, ana.row, orderAnswer(swappedOrder())),
				submitAnswer(session, eve.row, eveOrder)
			]);
			await submitAnswer(session, eve.row, eveOrder);
			await refusal(submitAnswer(session, eve.row, rightChoice()), 409);
			expect(await answerCount(code)).toBe(5);
			const live = await dashboardOf(await loadSession(code));
			expect(shownFigures(live)).toEqual(await storedFigures(code));

			// A restart: a new server process reads the same file with no tally in memory.
			await afterRestart(async ({ store, dashboard }) => {
				expect(await dashboard.dashboardOf(await store.loadSession(code))).toEqual(live);
			});
		});
	});

	describe('live events', () => {
		it('push pacing to everyone at once, and fold a burst of answers into one dashboard', async () => {
			vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
			const { code } = await newSession('self-paced');
			const hostEvents: string[] = [];
			const participantEvents: Array<[string, unknown]> = [];
			// Listeners receive encoded SSE messages: read the event name and data back out.
			const decode = (message: SseMessage): [string, unknown] => {
				const [, event = '', data = ''] =
					/^event: (.*)\ndata: (.*)\n\n$/.exec(new TextDecoder().decode(message.bytes)) ?? [];
				return [event, JSON.parse(data) as unknown];
			};
			const offHost = subscribe(code, {
				role: 'host',
				send: (m) => hostEvents.push(decode(m)[0]),
				close: () => {},
				stateVersion: -1
			});
			const offParticipant = subscribe(code, {
				role: 'participant',
				send: (m) => participantEvents.push(decode(m)),
				close: () => {},
				stateVersion: -1
			});
			try {
				const session = await control(code, 'start');
				expect(participantEvents).toEqual([
					[
						'state',
						expect.objectContaining({
							status: 'running',
							mode: 'self-paced',
							openQuestionId: null,
							revealed: []
						})
					]
				]);
				const people = await Promise.all(['A', 'B', 'C', 'D'].map((n) => enrol(session, n)));
				for (const p of people)
					await submitAnswer(session, p.row, {
						answerId: uuidV4(),
						questionId: choice().id,
						response: choice().answer
					});
				expect(hostEvents).toEqual(['state']);
				await vi.advanceTimersByTimeAsync(150);
				await vi.waitUntil(() => hostEvents.includes('dashboard'), { interval: 5, timeout: 2000 });
				expect(hostEvents).toEqual(['state', 'dashboard']);
				expect(participantEvents.map(([e]) => e)).toEqual(['state']);
			} finally {
				offHost();
				offParticipant();
				vi.useRealTimers();
			}
		});
	});
}
