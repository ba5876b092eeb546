/**
 * The classroom HTTP API against the real built server: grading and totals under load, pacing,
 * idempotent answers, forged scores, who may call what, bad bodies, the same-site rule, join-code
 * guessing and the live event stream. No browser page: requests only. Every test makes its own
 * sessions, because the suite's database is shared by both workers. Run on both stores: the
 * `chromium` project against the web server on SQLite, `postgres` against the one on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type APIRequestContext } from '@playwright/test';
import { freshPostgresDatabase } from '../src/lib/server/testing/postgres';
import {
	Classroom,
	MAX_POINTS_PER_QUESTION,
	badShapeResponse,
	fetchSend,
	openEvents,
	playwrightSend,
	questions,
	rightResponse,
	startServer,
	stopServer,
	test,
	uniqueNickname,
	unknownOptionResponse,
	wrongResponse,
	type Graded,
	type OwnServer,
	type Reply,
	type StoreOptions
} from './lib/api-client';
import { testPort } from './lib/ports';

const api = (request: APIRequestContext) => new Classroom(playwrightSend(request));
const q = (index: number) => questions[index]!;
const SECRET_KEYS = ['answer', 'explanation', 'evidence', 'hint', 'supports', 'against'];
const TOTAL_QUESTIONS = questions.length;
/** The most a participant can score: every question of the pack, right on a first try. */
const PACK_POINTS = TOTAL_QUESTIONS * MAX_POINTS_PER_QUESTION;

/** A refusal: the status, a JSON body with a non-empty `message`. */
function expectRefused(reply: Reply, status: number | number[], what = ''): void {
	const allowed = Array.isArray(status) ? status : [status];
	expect(allowed, `${what}: status ${reply.status}, body ${reply.text.slice(0, 200)}`).toContain(
		reply.status
	);
	expect(reply.contentType, `${what}: content-type`).toContain('application/json');
	const message = (reply.json as { message?: unknown } | undefined)?.message;
	expect(typeof message, `${what}: message in ${reply.text.slice(0, 200)}`).toBe('string');
	expect((message as string).length, `${what}: message`).toBeGreaterThan(0);
}

/** Every key (at any depth) of a JSON value whose name is in `names`, with its path. */
function keysNamed(value: unknown, names: readonly string[], path = '$'): string[] {
	if (Array.isArray(value)) return value.flatMap((v, i) => keysNamed(v, names, `${path}[${i}]`));
	if (value === null || typeof value !== 'object') return [];
	return Object.entries(value).flatMap(([key, v]) => [
		...(names.includes(key) ? [`${path}.${key}`] : []),
		...keysNamed(v, names, `${path}.${key}`)
	]);
}

/** What /answers must acknowledge for a graded response. */
function expectedAck(answerId: string, questionId: string, graded: Graded) {
	return {
		answerId,
		questionId,
		correct: graded.correct,
		points: graded.points,
		maxPoints: MAX_POINTS_PER_QUESTION
	};
}

/** Starts a session in a mode and returns it with its host token. */
async function startedSession(request: APIRequestContext, mode: 'self-paced' | 'teacher-paced') {
	return startedSessionOn(api(request), mode);
}

/** Starts a session in a mode through `c` and returns it with its host token. */
async function startedSessionOn(c: Classroom, mode: 'self-paced' | 'teacher-paced') {
	const session = await c.create(mode);
	const pacing = await c.pace(session.code, session.hostToken, 'start');
	expect(pacing).toEqual({
		status: 'running',
		mode,
		openQuestionId: null,
		currentQuestionId: null,
		revealed: []
	});
	return session;
}

/* ================================================================== grading and totals */

test('40 participants join and answer a self-paced session at once; /results totals are exact', async ({
	request
}) => {
	test.setTimeout(120_000);
	const c = api(request);
	const session = await startedSession(request, 'self-paced');

	// Who answers what: participant 0 answers nothing, 1 everything right, 2 everything wrong,
	// the others a different mix each (about three questions in four, right or wrong by pattern).
	const plan = Array.from({ length: 40 }, (_, i) =>
		questions.flatMap((question, j) => {
			if (i === 0) return [];
			if (i > 2 && (i + j) % 4 === 0) return [];
			const kind = i === 1 ? 0 : i === 2 ? 1 + (j % 2) : (i * 3 + j) % 5;
			const graded =
				kind < 3 ? rightResponse(question) : wrongResponse(question, kind === 3 ? 0 : 1);
			return [{ question, graded }];
		})
	);
	const expected = plan.map((answers) => ({
		answered: answers.length,
		correct: answers.filter((a) => a.graded.correct).length,
		points: answers.reduce((n, a) => n + a.graded.points, 0)
	}));
	// The pattern must exercise partial credit (rounded down and up) as well as right and wrong;
	// which other partial scores occur depends on the pack's questions.
	const partial = new Set(plan.flat().map((a) => a.graded.points));
	expect([...partial]).toEqual(expect.arrayContaining([0, 2, 5, 6, 7, 8, 10]));

	const nicknames = plan.map((_, i) => `s40-${i}-${uniqueNickname('')}`.slice(0, 32));
	const acks = await Promise.all(
		plan.map(async (answers, i) => {
			const me = await c.join(session.code, nicknames[i]);
			// Each phone sends its answers one after another, as its outbox does; the 40 phones all
			// at once. (Every answer of every phone at once, ~1,200 connections, overflowed the
			// listen queue of a loaded machine: resets from the kernel, not answers from the server.)
			const sent = [];
			for (const { question, graded } of answers) {
				const answerId = crypto.randomUUID();
				const reply = await c.answer(
					session.code,
					me.participantToken,
					question.id,
					graded.response,
					answerId
				);
				sent.push({ reply, answerId, question, graded });
			}
			return sent;
		})
	);
	for (const { reply, answerId, question, graded } of acks.flat()) {
		expect(reply.status, `${question.id}: ${reply.text}`).toBe(200);
		expect(reply.json, question.id).toMatchObject({
			...expectedAck(answerId, question.id, graded),
			explanation: question.explanation,
			evidence: question.evidence
		});
	}

	const results = await c.results(session.code, session.hostToken);
	expect(results.code).toBe(session.code);
	expect(results.status).toBe('running');
	expect(results.maxPoints).toBe(PACK_POINTS);
	expect(results.participants).toHaveLength(40);
	const byNickname = new Map(results.participants.map((p) => [p.nickname, p]));
	const actual = nicknames.map((n) => {
		const p = byNickname.get(n);
		return p && { answered: p.totals.answered, correct: p.totals.correct, points: p.totals.points };
	});
	expect(actual).toEqual(expected);
	const sum = (xs: number[]) => xs.reduce((n, x) => n + x, 0);
	expect(sum(results.participants.map((p) => p.totals.points))).toBe(
		sum(expected.map((e) => e.points))
	);
	expect(sum(expected.map((e) => e.points))).toBe(sum(plan.flat().map((a) => a.graded.points)));
	// Each stored answer is the one sent, with its own points.
	for (const [i, answers] of plan.entries()) {
		const stored = byNickname.get(nicknames[i]!)!.answers;
		expect(
			stored.map((a) => [a.questionId, a.correct, a.points, JSON.stringify(a.response)]).sort()
		).toEqual(
			answers
				.map((a) => [
					a.question.id,
					a.graded.correct,
					a.graded.points,
					JSON.stringify(a.graded.response)
				])
				.sort()
		);
		expect(byNickname.get(nicknames[i]!)!.totals.maxPoints).toBe(PACK_POINTS);
	}
	// The host's live dashboard agrees with /results.
	const view = await c.view(session.code, session.hostToken);
	const dashboard = (
		view.json as {
			dashboard: { participants: Array<{ nickname: string; answered: number; points: number }> };
		}
	).dashboard;
	expect(
		nicknames.map((n) => {
			const p = dashboard.participants.find((d) => d.nickname === n);
			return p && [p.answered, p.points];
		})
	).toEqual(expected.map((e) => [e.answered, e.points]));
});

test('each question type: the right answer earns 10, two derived wrong ones their partial points', async ({
	request
}) => {
	const c = api(request);
	const session = await startedSession(request, 'self-paced');
	const right = await c.join(session.code);
	const wrong = await c.join(session.code);
	const other = await c.join(session.code);
	for (const question of questions) {
		for (const [who, graded] of [
			[right, rightResponse(question)],
			[wrong, wrongResponse(question)],
			[other, wrongResponse(question, 1)]
		] as const) {
			const reply = await c.answer(
				session.code,
				who.participantToken,
				question.id,
				graded.response
			);
			expect(reply.status, `${question.id}: ${reply.text}`).toBe(200);
			expect(
				reply.json,
				`${question.id} (${question.type}) ${JSON.stringify(graded.response)}`
			).toMatchObject({ correct: graded.correct, points: graded.points, maxPoints: 10 });
		}
	}
	// Numeric answers count within their tolerance, edges included.
	const edge = await c.join(session.code);
	const numeric = questions.filter((x) => x.type === 'numeric' && x.tolerance > 0);
	expect(numeric.length).toBeGreaterThan(0);
	for (const question of numeric) {
		if (question.type !== 'numeric') continue;
		const reply = await c.answer(
			session.code,
			edge.participantToken,
			question.id,
			question.answer + question.tolerance
		);
		expect(reply.json, question.id).toMatchObject({ correct: true, points: 10 });
	}
	const results = await c.results(session.code, session.hostToken);
	const totals = Object.fromEntries(results.participants.map((p) => [p.nickname, p.totals]));
	expect(totals[right.nickname]).toEqual({
		answered: TOTAL_QUESTIONS,
		correct: TOTAL_QUESTIONS,
		points: PACK_POINTS,
		maxPoints: PACK_POINTS
	});
	expect(totals[wrong.nickname]).toEqual({
		answered: TOTAL_QUESTIONS,
		correct: 0,
		points: questions.reduce((n, question) => n + wrongResponse(question).points, 0),
		maxPoints: PACK_POINTS
	});
	expect(totals[other.nickname]).toEqual({
		answered: TOTAL_QUESTIONS,
		correct: 0,
		points: questions.reduce((n, question) => n + wrongResponse(question, 1).points, 0),
		maxPoints: PACK_POINTS
	});
});

/* ================================================================== teacher pacing */

test('teacher-paced: only the open question takes answers; next, reveal, open and end pace it', async ({
	request
}) => {
	const c = api(request);
	const session = await c.create('teacher-paced');
	const { code, hostToken } = session;
	const people = await Promise.all([0, 1, 2, 3].map(() => c.join(code)));
	const tokens = people.map((p) => p.participantToken);

	// Lobby: nothing is open.
	expectRefused(await c.answer(code, tokens[0]!, q(0).id, rightResponse(q(0)).response), 409);
	expectRefused(await c.control(code, hostToken, 'next'), 409, 'next in the lobby');
	expectRefused(await c.control(code, hostToken, 'reveal'), 409, 'reveal in the lobby');
	expectRefused(await c.control(code, hostToken, 'open', q(0).id), 409, 'open in the lobby');

	expect(await c.pace(code, hostToken, 'start')).toEqual({
		status: 'running',
		mode: 'teacher-paced',
		openQuestionId: null,
		currentQuestionId: null,
		revealed: []
	});
	// Running, waiting: still nothing open, and reveal has nothing to reveal.
	expectRefused(await c.answer(code, tokens[0]!, q(0).id, rightResponse(q(0)).response), 409);
	expectRefused(await c.control(code, hostToken, 'reveal'), 409, 'reveal while waiting');

	const expected = new Map<string, { answered: number; correct: number; points: number }>(
		people.map((p) => [p.nickname, { answered: 0, correct: 0, points: 0 }])
	);
	/** Everyone answers the open question (person i right when i is even), concurrently. */
	const answerAll = async (index: number) => {
		const question = q(index);
		const replies = await Promise.all(
			people.map((p, i) => {
				const graded = i % 2 === 0 ? rightResponse(question) : wrongResponse(question);
				const e = expected.get(p.nickname)!;
				e.answered += 1;
				e.correct += graded.correct ? 1 : 0;
				e.points += graded.points;
				return c
					.answer(code, p.participantToken, question.id, graded.response)
					.then((reply) => ({ reply, graded }));
			})
		);
		// Before the reveal a teacher-paced acknowledgement holds no result; /results checks the
		// grading at the end.
		for (const { reply } of replies) {
			expect(reply.status, reply.text).toBe(200);
			expect(reply.json).toEqual({
				revealed: false,
				answerId: expect.any(String),
				questionId: question.id
			});
		}
	};

	// next opens the first question.
	expect(await c.pace(code, hostToken, 'next')).toEqual({
		status: 'running',
		mode: 'teacher-paced',
		openQuestionId: q(0).id,
		currentQuestionId: q(0).id,
		revealed: []
	});
	// Another question than the open one: 409.
	expectRefused(await c.answer(code, tokens[0]!, q(1).id, rightResponse(q(1)).response), 409);
	// While open, next is refused: the host reveals first.
	expectRefused(await c.control(code, hostToken, 'next'), 409, 'next while open');
	await answerAll(0);
	expect(await c.pace(code, hostToken, 'reveal')).toEqual({
		status: 'running',
		mode: 'teacher-paced',
		openQuestionId: null,
		currentQuestionId: q(0).id,
		revealed: [q(0).id]
	});
	expectRefused(await c.control(code, hostToken, 'reveal'), 409, 'reveal twice');
	// Revealed: closed to answers, even to someone who had not answered yet.
	const late = await c.join(code);
	expectRefused(await c.answer(code, late.participantToken, q(0).id, q(0).answer), 409);

	expect(await c.pace(code, hostToken, 'next')).toMatchObject({
		openQuestionId: q(1).id,
		currentQuestionId: q(1).id,
		revealed: [q(0).id]
	});
	await answerAll(1);
	expectRefused(await c.answer(code, tokens[0]!, q(0).id, q(0).answer), 409, 'q0 again');

	// open jumps to any question, even while another is open; the first closes.
	const scenarioIndex = questions.findIndex((x) => x.type === 'scenario');
	expect(await c.pace(code, hostToken, 'open', q(scenarioIndex).id)).toEqual({
		status: 'running',
		mode: 'teacher-paced',
		openQuestionId: q(scenarioIndex).id,
		currentQuestionId: q(scenarioIndex).id,
		revealed: [q(0).id]
	});
	expectRefused(await c.answer(code, late.participantToken, q(1).id, q(1).answer), 409, 'q1');
	await answerAll(scenarioIndex);
	await c.pace(code, hostToken, 'reveal');
	// next continues after the question opened last.
	expect(await c.pace(code, hostToken, 'next')).toMatchObject({
		openQuestionId: q(scenarioIndex + 1).id,
		currentQuestionId: q(scenarioIndex + 1).id
	});
	await answerAll(scenarioIndex + 1);
	// The last question: reveal, then next has nowhere to go.
	await c.pace(code, hostToken, 'open', q(TOTAL_QUESTIONS - 1).id);
	await answerAll(TOTAL_QUESTIONS - 1);
	expect(await c.pace(code, hostToken, 'reveal')).toEqual({
		status: 'running',
		mode: 'teacher-paced',
		openQuestionId: null,
		currentQuestionId: q(TOTAL_QUESTIONS - 1).id,
		revealed: [q(0).id, q(scenarioIndex).id, q(TOTAL_QUESTIONS - 1).id]
	});
	expectRefused(await c.control(code, hostToken, 'next'), 409, 'next after the last');
	// A question can be opened again after its reveal; those who answered it still cannot twice.
	await c.pace(code, hostToken, 'open', q(0).id);
	expectRefused(await c.answer(code, tokens[0]!, q(0).id, q(0).answer), 409, 'twice');
	const lateReply = await c.answer(code, late.participantToken, q(0).id, q(0).answer);
	expect(lateReply.status, lateReply.text).toBe(200);
	expected.set(late.nickname, { answered: 1, correct: 1, points: 10 });

	// The session's view follows the pace.
	const guest = await c.view(code);
	expect(guest.json).toMatchObject({
		status: 'running',
		openQuestionId: q(0).id,
		currentQuestionId: q(0).id
	});

	expect(await c.pace(code, hostToken, 'end')).toMatchObject({
		status: 'ended',
		openQuestionId: null,
		currentQuestionId: null
	});
	expectRefused(await c.answer(code, tokens[1]!, q(2).id, q(2).answer), 410, 'after end');
	expectRefused(await c.control(code, hostToken, 'start'), 409, 'start after end');
	expectRefused(await c.control(code, hostToken, 'end'), 409, 'end twice');
	expectRefused(await c.control(code, hostToken, 'open', q(3).id), 409, 'open after end');
	expectRefused(
		await c.send('POST', `/api/sessions/${code}/join`, { data: { nickname: 'too-late' } }),
		410,
		'join after end'
	);

	const results = await c.results(code, hostToken);
	expect(results.status).toBe('ended');
	expect(
		Object.fromEntries(
			results.participants.map((p) => [
				p.nickname,
				{ answered: p.totals.answered, correct: p.totals.correct, points: p.totals.points }
			])
		)
	).toEqual(Object.fromEntries(expected));
});

test('teacher-paced: a participant sees their own answer without its result until the host reveals it', async ({
	request
}) => {
	const c = api(request);
	const { code, hostToken } = await startedSession(request, 'teacher-paced');
	const me = await c.join(code);
	await c.pace(code, hostToken, 'next');
	const graded = wrongResponse(q(0));
	const answerId = crypto.randomUUID();
	expect(
		(await c.answer(code, me.participantToken, q(0).id, graded.response, answerId)).status
	).toBe(200);
	const before = (await c.view(code, me.participantToken)).json as {
		me: { answers: unknown[] };
	};
	expect(before.me.answers).toEqual([
		{ answerId, questionId: q(0).id, response: graded.response, revealed: false }
	]);
	await c.pace(code, hostToken, 'reveal');
	const after = (await c.view(code, me.participantToken)).json as {
		me: { answers: Array<Record<string, unknown>> };
	};
	expect(after.me.answers).toHaveLength(1);
	expect(after.me.answers[0]).toMatchObject({
		answerId,
		questionId: q(0).id,
		response: graded.response,
		revealed: true,
		correct: false,
		points: 0,
		explanation: q(0).explanation,
		evidence: q(0).evidence
	});
});

test('BUG teacher-paced: the answer acknowledgement gives away the result and answer key before the reveal', async ({
	request
}) => {
	// The session view holds a question's result, explanation and evidence back until the host
	// reveals it (classroom.ts sessionView), but POST /answers returns them at once, so in a
	// teacher-paced class the first to answer can read out the key while the question is open.
	const c = api(request);
	const { code, hostToken } = await startedSession(request, 'teacher-paced');
	const me = await c.join(code);
	await c.pace(code, hostToken, 'next');
	const reply = await c.answer(code, me.participantToken, q(0).id, rightResponse(q(0)).response);
	expect(reply.status).toBe(200);
	const leaked = Object.keys(reply.json as object).filter((k) =>
		['explanation', 'evidence', 'answerText'].includes(k)
	);
	expect(leaked, `keys of ${reply.text.slice(0, 300)}`).toEqual([]);
});

/* ================================================================== idempotency, forged scores */

test('idempotent answers: a retry with the same answerId returns the same body and stores one answer', async ({
	request
}) => {
	const c = api(request);
	const { code, hostToken } = await startedSession(request, 'self-paced');
	const ana = await c.join(code);
	const ben = await c.join(code);
	const question = questions.find((x) => x.type === 'order')!;
	const graded = wrongResponse(question);
	const answerId = crypto.randomUUID();

	const first = await c.answer(code, ana.participantToken, question.id, graded.response, answerId);
	expect(first.status, first.text).toBe(200);
	expect(first.json).toMatchObject(expectedAck(answerId, question.id, graded));
	const second = await c.answer(code, ana.participantToken, question.id, graded.response, answerId);
	expect(second.status).toBe(200);
	expect(second.text).toBe(first.text);
	// A retry cannot change the answer: the stored one comes back, even with another response.
	const upgraded = await c.answer(
		code,
		ana.participantToken,
		question.id,
		question.answer,
		answerId
	);
	expect(upgraded.status).toBe(200);
	expect(upgraded.text).toBe(first.text);
	// Five retries at once: all the same.
	const burst = await Promise.all(
		[1, 2, 3, 4, 5].map(() =>
			c.answer(code, ana.participantToken, question.id, graded.response, answerId)
		)
	);
	expect(burst.map((r) => [r.status, r.text])).toEqual(burst.map(() => [200, first.text]));

	// Another answerId for a question already answered: 409.
	expectRefused(
		await c.answer(code, ana.participantToken, question.id, question.answer),
		409,
		'second answer'
	);
	// The same answerId for another question: 409.
	expectRefused(
		await c.answer(code, ana.participantToken, q(0).id, q(0).answer, answerId),
		409,
		'answerId reused for another question'
	);
	// Someone else's answerId, same question or not: 409, and nothing is stored for them.
	expectRefused(
		await c.answer(code, ben.participantToken, question.id, question.answer, answerId),
		409,
		"another's answerId, same question"
	);
	expectRefused(
		await c.answer(code, ben.participantToken, q(0).id, q(0).answer, answerId),
		409,
		"another's answerId, another question"
	);
	// Two different answers to one question sent at once: exactly one is stored.
	const race = await Promise.all(
		[1, 2, 3, 4].map(() => c.answer(code, ben.participantToken, q(1).id, q(1).answer))
	);
	expect(race.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);

	const results = await c.results(code, hostToken);
	const anaRow = results.participants.find((p) => p.participantId === ana.participantId)!;
	expect(anaRow.answers).toHaveLength(1);
	expect(anaRow.answers[0]).toMatchObject({
		answerId,
		questionId: question.id,
		correct: false,
		points: graded.points,
		response: graded.response
	});
	expect(anaRow.totals).toEqual({
		answered: 1,
		correct: 0,
		points: graded.points,
		maxPoints: PACK_POINTS
	});
	const benRow = results.participants.find((p) => p.participantId === ben.participantId)!;
	expect(benRow.answers.map((a) => a.questionId)).toEqual([q(1).id]);
	expect(benRow.totals).toEqual({ answered: 1, correct: 1, points: 10, maxPoints: PACK_POINTS });

	// A retry after the session has ended still returns the stored result.
	await c.pace(code, hostToken, 'end');
	const afterEnd = await c.answer(
		code,
		ana.participantToken,
		question.id,
		graded.response,
		answerId
	);
	expect(afterEnd.status).toBe(200);
	expect(afterEnd.text).toBe(first.text);
});

test('a forged score is ignored: the server grades the response itself', async ({ request }) => {
	const c = api(request);
	const { code, hostToken } = await startedSession(request, 'self-paced');
	const me = await c.join(code);
	const choice = questions.find((x) => x.type === 'choice')!;
	const forged = {
		correct: true,
		points: 999,
		score: 1e9,
		credit: 1,
		maxPoints: 1000,
		revealed: true,
		participantId: 'someone-else'
	};
	const reply = await c.answer(
		code,
		me.participantToken,
		choice.id,
		wrongResponse(choice).response,
		crypto.randomUUID(),
		forged
	);
	expect(reply.status, reply.text).toBe(200);
	expect(reply.json).toMatchObject({ correct: false, points: 0, maxPoints: 10 });
	// A partly right order with forged full marks: its partial points, no more.
	const order = questions.find((x) => x.type === 'order')!;
	const partial = wrongResponse(order);
	expect(partial.points).toBeGreaterThan(0);
	const reply2 = await c.answer(
		code,
		me.participantToken,
		order.id,
		partial.response,
		crypto.randomUUID(),
		forged
	);
	expect(reply2.json).toMatchObject({ correct: false, points: partial.points, maxPoints: 10 });

	const results = await c.results(code, hostToken);
	const row = results.participants.find((p) => p.participantId === me.participantId)!;
	expect(row.totals).toEqual({
		answered: 2,
		correct: 0,
		points: partial.points,
		maxPoints: PACK_POINTS
	});
	expect(row.answers.find((a) => a.questionId === choice.id)).toMatchObject({
		correct: false,
		points: 0,
		maxPoints: 10
	});
});

/* ================================================================== who may call what */

type CallerName = 'host' | 'participant' | 'otherHost' | 'otherParticipant' | 'nobody';
const CALLERS: CallerName[] = ['host', 'participant', 'otherHost', 'otherParticipant', 'nobody'];

/** Two running self-paced sessions, A and B, each with its host and one participant. */
async function twoSessions(request: APIRequestContext) {
	const c = api(request);
	const a = await startedSession(request, 'self-paced');
	const b = await startedSession(request, 'self-paced');
	const pa = await c.join(a.code, uniqueNickname('pa'));
	const pb = await c.join(b.code, uniqueNickname('pb'));
	const tokens: Record<CallerName, string | undefined> = {
		host: a.hostToken,
		participant: pa.participantToken,
		otherHost: b.hostToken,
		otherParticipant: pb.participantToken,
		nobody: undefined
	};
	return { c, a, b, pa, pb, tokens };
}

test.describe('who may call what (caller × endpoint)', () => {
	test('GET /api/sessions/:code: host view, participant view, a guest view for everyone else', async ({
		request
	}) => {
		const { c, a, pa, pb, tokens } = await twoSessions(request);
		const roles: Record<string, unknown> = {};
		for (const caller of CALLERS) {
			const reply = await c.view(a.code, tokens[caller]);
			roles[caller] = [reply.status, (reply.json as { role?: string }).role];
			const body = reply.json as Record<string, unknown>;
			if (caller === 'host') {
				expect(body.dashboard).toBeTruthy();
				expect(body.questions).toBeUndefined();
			} else if (caller === 'participant') {
				expect(body.me).toMatchObject({ participantId: pa.participantId, nickname: pa.nickname });
				expect(body.questions).toHaveLength(TOTAL_QUESTIONS);
				expect(body.dashboard).toBeUndefined();
			} else {
				expect(Object.keys(body).sort(), caller).toEqual(
					[
						'code',
						'title',
						'scenario',
						'status',
						'mode',
						'openQuestionId',
						'currentQuestionId',
						'revealed',
						'joinUrl',
						'links',
						'role'
					].sort()
				);
				expect(reply.text).not.toContain(pa.nickname);
				expect(reply.text).not.toContain(pb.nickname);
			}
			expect(reply.headers['cache-control']).toBe('no-store');
		}
		expect(roles).toEqual({
			host: [200, 'host'],
			participant: [200, 'participant'],
			otherHost: [200, 'guest'],
			otherParticipant: [200, 'guest'],
			nobody: [200, 'guest']
		});
	});

	test('POST /join needs no token: anyone with the code joins', async ({ request }) => {
		const { c, a, tokens } = await twoSessions(request);
		const statuses: Record<string, number> = {};
		for (const caller of CALLERS) {
			const reply = await c.send('POST', `/api/sessions/${a.code}/join`, {
				token: tokens[caller],
				data: { nickname: uniqueNickname(caller.slice(0, 6)) }
			});
			statuses[caller] = reply.status;
			if (reply.status === 201) {
				const body = reply.json as Record<string, unknown>;
				expect(Object.keys(body).sort()).toEqual(['participantId', 'participantToken']);
			}
		}
		expect(statuses).toEqual({
			host: 201,
			participant: 201,
			otherHost: 201,
			otherParticipant: 201,
			nobody: 201
		});
		expect((await c.results(a.code, a.hostToken)).participants).toHaveLength(1 + 5);
	});

	test('POST /answers: only a participant of this session', async ({ request }) => {
		const { c, a, b, pa, tokens } = await twoSessions(request);
		const statuses: Record<string, number> = {};
		for (const [i, caller] of CALLERS.entries()) {
			const question = q(i);
			const reply = await c.answer(a.code, tokens[caller]!, question.id, question.answer);
			statuses[caller] = reply.status;
			if (reply.status >= 400) expectRefused(reply, reply.status, caller);
		}
		expect(statuses).toEqual({
			host: 403,
			participant: 200,
			otherHost: 401,
			otherParticipant: 401,
			nobody: 401
		});
		const resultsA = await c.results(a.code, a.hostToken);
		expect(resultsA.participants.flatMap((p) => p.answers.map((x) => x.questionId))).toEqual([
			q(1).id
		]);
		expect(resultsA.participants[0]!.participantId).toBe(pa.participantId);
		const resultsB = await c.results(b.code, b.hostToken);
		expect(resultsB.participants.flatMap((p) => p.answers)).toEqual([]);
	});

	test('POST /control: only the host of this session', async ({ request }) => {
		const { c, a, tokens } = await twoSessions(request);
		const statuses: Record<string, number> = {};
		// Everyone else first: none of them may end the session.
		for (const caller of [...CALLERS.filter((x) => x !== 'host'), 'host' as const]) {
			const reply = await c.control(a.code, tokens[caller]!, 'end');
			statuses[caller] = reply.status;
			if (reply.status >= 400) {
				expectRefused(reply, reply.status, caller);
				expect((await c.view(a.code)).json).toMatchObject({ status: 'running' });
			}
		}
		expect(statuses).toEqual({
			host: 200,
			participant: 403,
			otherHost: 401,
			otherParticipant: 401,
			nobody: 401
		});
		expect((await c.view(a.code)).json).toMatchObject({ status: 'ended' });
	});

	test('GET /events: the host and participants of this session', async ({ request, baseURL }) => {
		const { a, tokens } = await twoSessions(request);
		const statuses: Record<string, number> = {};
		for (const caller of CALLERS) {
			const stream = await openEvents(`${baseURL}/api/sessions/${a.code}/events`, tokens[caller]);
			statuses[caller] = stream.status;
			if (stream.status === 200) {
				expect(stream.contentType).toContain('text/event-stream');
				expect((await stream.next('state')).data).toMatchObject({ status: 'running' });
			}
			stream.close();
		}
		expect(statuses).toEqual({
			host: 200,
			participant: 200,
			otherHost: 401,
			otherParticipant: 401,
			nobody: 401
		});
	});

	test('GET /results: only the host of this session', async ({ request }) => {
		const { c, a, tokens } = await twoSessions(request);
		const statuses: Record<string, number> = {};
		for (const caller of CALLERS) {
			const reply = await c.send('GET', `/api/sessions/${a.code}/results`, {
				token: tokens[caller]
			});
			statuses[caller] = reply.status;
			if (reply.status >= 400) expectRefused(reply, reply.status, caller);
		}
		expect(statuses).toEqual({
			host: 200,
			participant: 403,
			otherHost: 401,
			otherParticipant: 401,
			nobody: 401
		});
	});
});

test('a participant view carries no answer key, and nobody else’s answers', async ({ request }) => {
	const c = api(request);
	const { code, hostToken } = await startedSession(request, 'self-paced');
	const ana = await c.join(code, uniqueNickname('ana'));
	const ben = await c.join(code, uniqueNickname('ben'));
	const anaAnswerId = crypto.randomUUID();
	expect(
		(await c.answer(code, ana.participantToken, q(0).id, q(0).answer, anaAnswerId)).status
	).toBe(200);

	const reply = await c.view(code, ben.participantToken);
	expect(reply.status).toBe(200);
	const view = reply.json as {
		role: string;
		me: { participantId: string; nickname: string; answers: unknown[] };
		questions: Array<Record<string, unknown>>;
		sources: unknown[];
	};
	expect(view.role).toBe('participant');
	expect(view.me).toEqual({
		participantId: ben.participantId,
		nickname: ben.nickname,
		answers: []
	});
	// Nothing of anyone else: not Ana's nickname, id, answer or its id; no dashboard.
	expect(reply.text).not.toContain(ana.nickname);
	expect(reply.text).not.toContain(ana.participantId);
	expect(reply.text).not.toContain(anaAnswerId);
	expect(keysNamed(view, ['dashboard', 'participants'])).toEqual([]);
	// No secret at any depth: the whole view, since Ben has no answer of his own yet.
	expect(keysNamed(view, SECRET_KEYS)).toEqual([]);
	// Every question is there, in order, with everything else it has.
	expect(view.questions.map((x) => x.id)).toEqual(questions.map((x) => x.id));
	for (const [i, shown] of view.questions.entries()) {
		const original = q(i) as unknown as Record<string, unknown>;
		const expectedKeys = Object.keys(original).filter((k) => !SECRET_KEYS.includes(k));
		expect(Object.keys(shown).sort(), q(i).id).toEqual(expectedKeys.sort());
		if (q(i).type === 'order') {
			const items = shown.items as Array<{ id: string }>;
			expect(items.map((x) => x.id).sort()).toEqual([...(q(i).answer as string[])].sort());
			expect(
				items.map((x) => x.id),
				`${q(i).id} listed in the answer's order`
			).not.toEqual(q(i).answer);
		}
		if (q(i).type === 'scenario') {
			for (const s of shown.scenarios as Array<Record<string, unknown>>) {
				expect(Object.keys(s).sort()).toEqual(['description', 'id', 'title']);
			}
		}
	}
	// Ana's own view shows her answer (self-paced: with its result), and only hers.
	const anaView = (await c.view(code, ana.participantToken)).json as {
		me: { answers: Array<Record<string, unknown>> };
		questions: unknown[];
	};
	expect(anaView.me.answers.map((x) => x.answerId)).toEqual([anaAnswerId]);
	expect(anaView.me.answers[0]).toMatchObject({ revealed: true, correct: true, points: 10 });
	expect(keysNamed(anaView.questions, SECRET_KEYS)).toEqual([]);
	// Nor may a participant read the results.
	expect(
		(await c.send('GET', `/api/sessions/${code}/results`, { token: ana.participantToken })).status
	).toBe(403);
	expect((await c.results(code, hostToken)).participants).toHaveLength(2);
});

test('browsers: cw_host_<CODE> and cw_part_<CODE> cookies identify the caller for that session only', async ({
	request,
	baseURL
}) => {
	const { c, a, b, pa } = await twoSessions(request);
	const origin = new URL(baseURL!).origin;
	const hostCookie = `cw_host_${a.code}=${a.hostToken}`;
	const partCookie = `cw_part_${a.code}=${pa.participantToken}`;
	const view = (cookie: string) =>
		c.send('GET', `/api/sessions/${a.code}`, { headers: { cookie } });

	expect((await view(hostCookie)).json).toMatchObject({ role: 'host' });
	expect((await view(partCookie)).json).toMatchObject({ role: 'participant' });
	// A cookie named for another session's code is not read for this one.
	expect((await view(`cw_host_${b.code}=${a.hostToken}`)).json).toMatchObject({ role: 'guest' });
	expect((await view(`cw_part_${b.code}=${pa.participantToken}`)).json).toMatchObject({
		role: 'guest'
	});
	// The host token in the participant cookie (or the reverse) is not enough.
	expect((await view(`cw_part_${a.code}=${a.hostToken}`)).json).toMatchObject({ role: 'guest' });
	expect((await view(`cw_host_${a.code}=${pa.participantToken}`)).json).toMatchObject({
		role: 'guest'
	});
	// A bearer token, when sent, is used instead of the cookies.
	const both = await c.send('GET', `/api/sessions/${a.code}`, {
		token: 'not-a-token',
		headers: { cookie: hostCookie }
	});
	expect(both.json).toMatchObject({ role: 'guest' });

	// A same-site POST from the browser, with its Origin, answers with the participant cookie.
	const same = await c.send('POST', `/api/sessions/${a.code}/answers`, {
		headers: { cookie: partCookie, origin },
		data: { answerId: crypto.randomUUID(), questionId: q(0).id, response: q(0).answer }
	});
	expect(same.status, same.text).toBe(200);
	// The same POST from another site is refused before anything is read.
	const cross = await c.send('POST', `/api/sessions/${a.code}/answers`, {
		headers: { cookie: partCookie, origin: 'http://evil.example' },
		data: { answerId: crypto.randomUUID(), questionId: q(1).id, response: q(1).answer }
	});
	expectRefused(cross, 403, 'cross-site with cookie');
	const control = await c.send('POST', `/api/sessions/${a.code}/control`, {
		headers: { cookie: hostCookie, origin },
		data: { action: 'end' }
	});
	expect(control.status, control.text).toBe(200);
	const results = await c.results(a.code, a.hostToken);
	expect(results.participants[0]!.answers.map((x) => x.questionId)).toEqual([q(0).id]);
});

/* ================================================================== bad requests */

const MB = 'x'.repeat(1 << 20);

test.describe('bad requests: 4xx with a JSON message, never 5xx', () => {
	test('POST /api/sessions', async ({ request }) => {
		const c = api(request);
		const raw = (body: string) =>
			c.send('POST', '/api/sessions', {
				raw: body,
				headers: { 'content-type': 'application/json' }
			});
		const data = (body: unknown) => c.send('POST', '/api/sessions', { data: body });
		const cases: Array<[string, Promise<Reply>, number | number[]]> = [
			['not JSON', raw('scenario=mali-russia'), 400],
			['empty body', raw(''), 400],
			['truncated JSON', raw('{"scenario":'), 400],
			['JSON array', raw('[]'), 400],
			['JSON null', raw('null'), 400],
			['JSON string', raw('"mali-russia"'), 400],
			['JSON number', raw('42'), 400],
			['1e999', raw('1e999'), 400],
			['deeply nested', raw('['.repeat(100_000) + ']'.repeat(100_000)), 400],
			['empty object', data({}), 400],
			['mode missing', data({ scenario: 'mali-russia' }), 400],
			['scenario missing', data({ mode: 'self-paced' }), 400],
			['scenario a number', data({ scenario: 7, mode: 'self-paced' }), 400],
			['scenario null', data({ scenario: null, mode: 'self-paced' }), 400],
			['unknown scenario', data({ scenario: 'no-such-pack', mode: 'self-paced' }), 400],
			['scenario __proto__', data({ scenario: '__proto__', mode: 'self-paced' }), 400],
			['scenario constructor', data({ scenario: 'constructor', mode: 'self-paced' }), 400],
			['scenario too long', data({ scenario: 'm'.repeat(65), mode: 'self-paced' }), 400],
			['bad mode', data({ scenario: 'mali-russia', mode: 'fast' }), 400],
			['mode in capitals', data({ scenario: 'mali-russia', mode: 'SELF-PACED' }), 400],
			['mode a list', data({ scenario: 'mali-russia', mode: ['self-paced'] }), 400],
			['title a number', data({ scenario: 'mali-russia', mode: 'self-paced', title: 5 }), 400],
			[
				'title 81 characters',
				data({ scenario: 'mali-russia', mode: 'self-paced', title: 't'.repeat(81) }),
				400
			],
			['1 MB title', data({ scenario: 'mali-russia', mode: 'self-paced', title: MB }), [400, 413]],
			// JSON's "__proto__" is an own key, never the prototype: mode is still missing.
			[
				'mode only under __proto__',
				raw('{"scenario":"mali-russia","__proto__":{"mode":"self-paced"}}'),
				400
			]
		];
		for (const [what, pending, status] of cases) expectRefused(await pending, status, what);
	});

	test('POST /join: nicknames', async ({ request }) => {
		const c = api(request);
		const { code, hostToken } = await c.create('self-paced');
		const path = `/api/sessions/${code}/join`;
		const raw = (body: string) =>
			c.send('POST', path, { raw: body, headers: { 'content-type': 'application/json' } });
		const nick = (nickname: unknown) => c.send('POST', path, { data: { nickname } });
		const cases: Array<[string, Promise<Reply>, number | number[]]> = [
			['not JSON', raw('nickname=Ana'), 400],
			['JSON array', raw('["Ana"]'), 400],
			['JSON null', raw('null'), 400],
			['missing nickname', c.send('POST', path, { data: { name: 'Ana' } }), 400],
			['nickname a number', nick(42), 400],
			['nickname null', nick(null), 400],
			['nickname a list', nick(['Ana']), 400],
			['nickname an object', nick({ toString: 'Ana' }), 400],
			['empty', nick(''), 400],
			['whitespace', nick(' \t\n '), 400],
			['33 characters', nick('n'.repeat(33)), 400],
			['33 after trimming', nick(`  ${'n'.repeat(33)}  `), 400],
			['NUL', nick('An\u0000a'), 400],
			['newline inside', nick('An\na'), 400],
			['escape', nick('An\u001b[31ma'), 400],
			['unit separator', nick('An\u001fa'), 400],
			['DEL', nick('An\u007fa'), 400],
			['1 MB nickname', nick(MB), [400, 413]],
			['nickname only under __proto__', raw('{"__proto__":{"nickname":"Evil"}}'), 400]
		];
		for (const [what, pending, status] of cases) expectRefused(await pending, status, what);

		// Accepted: 32 characters, and a nickname trimmed before it is stored.
		expect((await nick('n'.repeat(32))).status).toBe(201);
		const ana = await nick(' Ana ');
		expect(ana.status, ana.text).toBe(201);
		const anaToken = (ana.json as { participantToken: string }).participantToken;
		expect(((await c.view(code, anaToken)).json as { me: { nickname: string } }).me.nickname).toBe(
			'Ana'
		);
		// The same nickname in another case, spacing or width: 409.
		for (const again of ['Ana', 'ANA', 'ana', '\tAna\n', 'Ａｎａ']) {
			expectRefused(await nick(again), 409, JSON.stringify(again));
		}
		// Five joins under one nickname at once: one gets it.
		const race = await Promise.all([1, 2, 3, 4, 5].map(() => nick('Zed')));
		expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
		const results = await c.results(code, hostToken);
		expect(results.participants.map((p) => p.nickname).sort()).toEqual([
			'Ana',
			'Zed',
			'n'.repeat(32)
		]);
	});

	test('BUG POST /join: a nickname with a C1 control character is refused like C0 ones', async ({
		request
	}) => {
		// api.ts Nickname refuses /[\u0000-\u001f\u007f]/ only. U+0080–U+009F are control characters
		// too (Unicode Cc): U+0085 is a line break and U+009B a terminal escape (CSI).
		const c = api(request);
		const { code } = await c.create('self-paced');
		for (const nickname of ['An\u0085a', 'An\u009b31ma']) {
			const reply = await c.send('POST', `/api/sessions/${code}/join`, { data: { nickname } });
			const shown = nickname.replace(
				/[\u0080-\u009f]/g,
				(ch) => `\\u00${ch.charCodeAt(0).toString(16)}`
			);
			expect(reply.status, `${shown}: ${reply.text}`).toBe(400);
		}
	});

	test('POST /answers', async ({ request }) => {
		const c = api(request);
		const { code, hostToken } = await startedSession(request, 'self-paced');
		const me = await c.join(code);
		const path = `/api/sessions/${code}/answers`;
		const token = me.participantToken;
		const raw = (body: string) =>
			c.send('POST', path, {
				token,
				raw: body,
				headers: { 'content-type': 'application/json' }
			});
		const body = (data: unknown) => c.send('POST', path, { token, data });
		const id = () => crypto.randomUUID();
		const valid = { questionId: q(0).id, response: q(0).answer };
		const cases: Array<[string, Promise<Reply>, number | number[]]> = [
			['not JSON', raw('answer'), 400],
			['JSON array', raw('[]'), 400],
			['JSON null', raw('null'), 400],
			['empty object', body({}), 400],
			['answerId missing', body({ ...valid }), 400],
			['answerId not a UUID', body({ ...valid, answerId: 'answer-1' }), 400],
			['answerId a UUID without dashes', body({ ...valid, answerId: id().replace(/-/g, '') }), 400],
			['answerId a number', body({ ...valid, answerId: 12345 }), 400],
			['questionId missing', body({ answerId: id(), response: q(0).answer }), 400],
			['questionId a number', body({ answerId: id(), questionId: 3, response: 'x' }), 400],
			['questionId empty', body({ answerId: id(), questionId: '', response: 'x' }), 400],
			[
				'questionId too long',
				body({ answerId: id(), questionId: 'q'.repeat(65), response: 'x' }),
				400
			],
			[
				'unknown questionId',
				body({ answerId: id(), questionId: 'no-such-question', response: 'x' }),
				400
			],
			[
				'questionId __proto__',
				body({ answerId: id(), questionId: '__proto__', response: 'x' }),
				400
			],
			['response missing', body({ answerId: id(), questionId: q(0).id }), 400],
			['response null', body({ answerId: id(), questionId: q(0).id, response: null }), 400],
			['1 MB response', body({ answerId: id(), questionId: q(0).id, response: MB }), [400, 413]],
			[
				'everything only under __proto__',
				raw(`{"__proto__":${JSON.stringify({ answerId: id(), ...valid })}}`),
				400
			]
		];
		for (const question of questions) {
			cases.push([
				`${question.id} (${question.type}): wrong shape`,
				body({ answerId: id(), questionId: question.id, response: badShapeResponse(question) }),
				400
			]);
			const unknownOption = unknownOptionResponse(question);
			if (unknownOption !== undefined) {
				cases.push([
					`${question.id} (${question.type}): unknown option`,
					body({ answerId: id(), questionId: question.id, response: unknownOption }),
					400
				]);
			}
		}
		const match = questions.find((x) => x.type === 'match')!;
		// A full, right matching with a "__proto__" pair beside it (JSON text: an own key).
		const matchBody = JSON.stringify({
			answerId: id(),
			questionId: match.id,
			response: match.answer
		});
		cases.push([
			'match with a __proto__ key',
			raw(matchBody.replace('"response":{', '"response":{"__proto__":"x",')),
			400
		]);
		cases.push([
			'match with a constructor key',
			body({
				answerId: id(),
				questionId: match.id,
				response: { ...match.answer, constructor: 'x' }
			}),
			400
		]);
		const scenario = questions.find((x) => x.type === 'scenario')!;
		cases.push([
			'scenario with an extra key',
			body({
				answerId: id(),
				questionId: scenario.id,
				response: { ...(scenario.answer as object), score: 1 }
			}),
			400
		]);
		const multi = questions.find((x) => x.type === 'multi')!;
		cases.push([
			'multi repeating an option',
			body({
				answerId: id(),
				questionId: multi.id,
				response: [...(multi.answer as string[]), (multi.answer as string[])[0]]
			}),
			400
		]);
		for (const [what, pending, status] of cases) expectRefused(await pending, status, what);
		// None of them stored anything.
		const results = await c.results(code, hostToken);
		expect(results.participants[0]!.answers).toEqual([]);
		// A session in the lobby takes no answers yet: 409.
		const lobby = await c.create('self-paced');
		const early = await c.join(lobby.code);
		expectRefused(
			await c.answer(lobby.code, early.participantToken, q(0).id, q(0).answer),
			409,
			'lobby'
		);
	});

	test('POST /control', async ({ request }) => {
		const c = api(request);
		const { code, hostToken } = await c.create('teacher-paced');
		const path = `/api/sessions/${code}/control`;
		const raw = (text: string) =>
			c.send('POST', path, {
				token: hostToken,
				raw: text,
				headers: { 'content-type': 'application/json' }
			});
		const body = (data: unknown) => c.send('POST', path, { token: hostToken, data });
		const cases: Array<[string, Promise<Reply>, number]> = [
			['not JSON', raw('start'), 400],
			['JSON array', raw('["start"]'), 400],
			['JSON null', raw('null'), 400],
			['empty object', body({}), 400],
			['unknown action', body({ action: 'launch' }), 400],
			['action toString', body({ action: 'toString' }), 400],
			['action __proto__', body({ action: '__proto__' }), 400],
			['action in capitals', body({ action: 'START' }), 400],
			['action a number', body({ action: 1 }), 400],
			['open without questionId', body({ action: 'open' }), 400],
			['open with an empty questionId', body({ action: 'open', questionId: '' }), 400],
			['open with a numeric questionId', body({ action: 'open', questionId: 3 }), 400],
			['open with a long questionId', body({ action: 'open', questionId: 'q'.repeat(65) }), 400]
		];
		for (const [what, pending, status] of cases) expectRefused(await pending, status, what);
		// Nothing moved.
		expect((await c.view(code)).json).toMatchObject({ status: 'lobby' });
		// Actions the session cannot take now: 409.
		expectRefused(await body({ action: 'reveal' }), 409, 'reveal in the lobby');
		expectRefused(await body({ action: 'next' }), 409, 'next in the lobby');
		expect((await body({ action: 'start' })).status).toBe(200);
		expectRefused(await body({ action: 'start' }), 409, 'start twice');
		// A question the pack does not have: the machine refuses it, which the API reports as 409.
		expectRefused(
			await body({ action: 'open', questionId: 'no-such-question' }),
			409,
			'open unknown'
		);
		expect((await body({ action: 'end' })).status).toBe(200);
		for (const action of ['start', 'next', 'reveal', 'end']) {
			expectRefused(await body({ action }), 409, `${action} after end`);
		}
		// Self-paced sessions have nothing to open, reveal or advance.
		const self = await startedSession(request, 'self-paced');
		for (const [action, questionId] of [['open', q(0).id], ['reveal'], ['next']] as const) {
			expectRefused(await c.control(self.code, self.hostToken, action, questionId), 409, action);
		}
	});

	test('join codes: unknown and malformed codes are 404; any case and dashes are accepted', async ({
		request
	}) => {
		// Few look-ups on purpose: every wrong code counts against 127.0.0.1, which all tests share.
		const c = api(request);
		expectRefused(await c.send('GET', '/api/sessions/ZZ9ZZ9'), 404, 'unknown code');
		expectRefused(await c.send('GET', '/api/sessions/I0O1L!'), 404, 'malformed code');
		expectRefused(
			await c.send('POST', '/api/sessions/ab/join', { data: { nickname: 'x' } }),
			404,
			'malformed code, join'
		);
		const { code } = await c.create('self-paced');
		const lower = await c.view(code.toLowerCase());
		expect(lower.status).toBe(200);
		expect(lower.json).toMatchObject({ code });
		const dashed = await c.view(`${code.slice(0, 3)}-${code.slice(3)}`);
		expect(dashed.json).toMatchObject({ code });
	});

	test('the same-site rule: a POST from another site is 403; scripts without Origin send JSON', async ({
		request,
		baseURL
	}) => {
		const c = api(request);
		const { code, hostToken } = await startedSession(request, 'self-paced');
		const me = await c.join(code);
		const origin = new URL(baseURL!).origin;
		const port = new URL(baseURL!).port;
		const evil = { origin: 'http://evil.example' };
		const create = { scenario: 'mali-russia', mode: 'self-paced' };

		expectRefused(
			await c.send('POST', '/api/sessions', { data: create, headers: evil }),
			403,
			'create'
		);
		expectRefused(
			await c.send('POST', `/api/sessions/${code}/join`, {
				data: { nickname: 'evil' },
				headers: evil
			}),
			403,
			'join'
		);
		expectRefused(
			await c.send('POST', `/api/sessions/${code}/answers`, {
				token: me.participantToken,
				data: { answerId: crypto.randomUUID(), questionId: q(0).id, response: q(0).answer },
				headers: evil
			}),
			403,
			'answers'
		);
		expectRefused(
			await c.send('POST', `/api/sessions/${code}/control`, {
				token: hostToken,
				data: { action: 'end' },
				headers: evil
			}),
			403,
			'control'
		);
		for (const [what, headers] of [
			['Origin null', { origin: 'null' }],
			['another port', { origin: `http://127.0.0.1:${Number(port) + 1}` }],
			['another name for this host', { origin: `http://localhost:${port}` }],
			['not a URL', { origin: 'evil' }]
		] as const) {
			expectRefused(
				await c.send('POST', `/api/sessions/${code}/join`, {
					data: { nickname: uniqueNickname() },
					headers
				}),
				403,
				what
			);
		}
		// No Origin: a form-like content type is what a cross-site form sends, so it is refused.
		for (const type of [
			'text/plain',
			'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=x'
		]) {
			expectRefused(
				await c.send('POST', `/api/sessions/${code}/join`, {
					raw: JSON.stringify({ nickname: uniqueNickname() }),
					headers: { 'content-type': type }
				}),
				403,
				type
			);
		}
		// Nothing of that landed.
		const results = await c.results(code, hostToken);
		expect(results.participants.map((p) => p.nickname)).toEqual([me.nickname]);
		expect(results.participants[0]!.answers).toEqual([]);
		expect(results.status).toBe('running');
		// Allowed: no Origin with JSON (a script), and an Origin naming this host.
		expect(
			(await c.send('POST', `/api/sessions/${code}/join`, { data: { nickname: uniqueNickname() } }))
				.status
		).toBe(201);
		expect(
			(
				await c.send('POST', `/api/sessions/${code}/join`, {
					data: { nickname: uniqueNickname() },
					headers: { origin }
				})
			).status
		).toBe(201);
		// GETs are not state-changing: any Origin may read.
		expect((await c.send('GET', `/api/sessions/${code}`, { headers: evil })).status).toBe(200);
	});

	test('odd bodies on every POST endpoint never cause a 5xx', async ({ request }) => {
		const c = api(request);
		const { code, hostToken } = await startedSession(request, 'teacher-paced');
		const me = await c.join(code);
		const bodies = [
			'',
			' ',
			'{',
			'}',
			'{"a":',
			'true',
			'"\\ud800"',
			'{"nickname":"\\ud800"}',
			'{"nickname":"a","nickname":"b"}',
			'{"answerId":"00000000-0000-0000-0000-000000000000","questionId":"x","response":{}}',
			'{"action":"open","questionId":"\\u0000"}',
			`{"nickname":"${'é'.repeat(300_000)}"}`,
			'\ufeff{"nickname":"bom"}',
			JSON.stringify({ answerId: crypto.randomUUID(), questionId: q(0).id, response: { a: [{}] } })
		];
		const targets: Array<[string, string | undefined]> = [
			['/api/sessions', undefined],
			[`/api/sessions/${code}/join`, undefined],
			[`/api/sessions/${code}/answers`, me.participantToken],
			[`/api/sessions/${code}/control`, hostToken]
		];
		for (const [path, token] of targets) {
			for (const text of bodies) {
				const reply = await c.send('POST', path, {
					token,
					raw: text,
					headers: { 'content-type': 'application/json' }
				});
				expect(
					reply.status,
					`${path} ${text.slice(0, 60)}: ${reply.text.slice(0, 200)}`
				).toBeLessThan(500);
				if (reply.status >= 400) expectRefused(reply, reply.status, `${path} ${text.slice(0, 40)}`);
			}
		}
		// The server still answers, and the results still build.
		expect((await c.results(code, hostToken)).code).toBe(code);
	});
});

/* ================================================================== live events */

test('SSE: the host gets state and dashboard at once, and a new dashboard after an answer', async ({
	request,
	baseURL
}) => {
	const c = api(request);
	const { code, hostToken } = await startedSession(request, 'teacher-paced');
	const me = await c.join(code, uniqueNickname('sse'));
	const host = await openEvents(`${baseURL}/api/sessions/${code}/events`, hostToken);
	const part = await openEvents(`${baseURL}/api/sessions/${code}/events`, me.participantToken);
	try {
		expect(host.status).toBe(200);
		expect(host.contentType).toContain('text/event-stream');
		// First, at once: the retry hint, state, then dashboard.
		const first = [await host.next(), await host.next(), await host.next()];
		expect(first.map((e) => e.event)).toEqual(['retry', 'state', 'dashboard']);
		expect(first[0]!.data).toBe('2000');
		expect(first[1]!.data).toEqual({
			status: 'running',
			mode: 'teacher-paced',
			openQuestionId: null,
			currentQuestionId: null,
			revealed: []
		});
		const dashboard = first[2]!.data as {
			participants: Array<{ id: string; nickname: string; answered: number; points: number }>;
			questions: unknown[];
			links: unknown[];
			open: unknown;
		};
		expect(dashboard.participants).toEqual([
			expect.objectContaining({
				id: me.participantId,
				nickname: me.nickname,
				answered: 0,
				correct: 0,
				points: 0
			})
		]);
		expect(dashboard.questions).toHaveLength(TOTAL_QUESTIONS);
		expect(dashboard.open).toBeNull();

		expect(part.status).toBe(200);
		expect((await part.next('state')).data).toMatchObject({ openQuestionId: null });

		// The host opens the first question: everyone gets the new state.
		await c.pace(code, hostToken, 'next');
		const opened = {
			status: 'running',
			mode: 'teacher-paced',
			openQuestionId: q(0).id,
			currentQuestionId: q(0).id,
			revealed: []
		};
		expect((await host.next('state')).data).toEqual(opened);
		expect((await part.next('state')).data).toEqual(opened);
		const afterOpen = (await host.next('dashboard')).data as { open: unknown };
		expect(afterOpen.open).toEqual({ questionId: q(0).id, answered: [], waiting: [me.nickname] });

		// An answer: a new dashboard for the host, with the answer counted.
		const graded = rightResponse(q(0));
		expect((await c.answer(code, me.participantToken, q(0).id, graded.response)).status).toBe(200);
		const next = (await host.next('dashboard', 3_000)).data as {
			participants: Array<{ answered: number; points: number }>;
			questions: Array<{ questionId: string; answered: number; correct: number }>;
			open: unknown;
		};
		expect(next.participants).toEqual([
			expect.objectContaining({
				id: me.participantId,
				nickname: me.nickname,
				answered: 1,
				correct: 1,
				points: 10
			})
		]);
		expect(next.questions.find((x) => x.questionId === q(0).id)).toMatchObject({
			answered: 1,
			correct: 1
		});
		expect(next.open).toEqual({ questionId: q(0).id, answered: [me.nickname], waiting: [] });

		// A join is a new dashboard too.
		const other = await c.join(code, uniqueNickname('sse2'));
		const joined = (await host.next('dashboard', 3_000)).data as {
			participants: Array<{ nickname: string }>;
		};
		expect(joined.participants.map((p) => p.nickname)).toEqual([me.nickname, other.nickname]);

		// Participants never get the dashboard.
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(part.seen.map((e) => e.event)).toEqual(['retry', 'state', 'state']);
	} finally {
		host.close();
		part.close();
	}
});

test('SSE: nobody, and another session’s host, get 401 and no stream', async ({
	request,
	baseURL
}) => {
	const { a, tokens } = await twoSessions(request);
	for (const token of [undefined, tokens.otherHost, 'made-up-token']) {
		const reply = await fetch(`${baseURL}/api/sessions/${a.code}/events`, {
			headers: token ? { authorization: `Bearer ${token}` } : {}
		});
		expect(reply.status).toBe(401);
		expect(reply.headers.get('content-type')).toContain('application/json');
		expect(((await reply.json()) as { message: string }).message.length).toBeGreaterThan(0);
	}
});

/* ================================================================== join-code guessing */

test.describe('join-code guessing (each test on its own server: its own window for 127.0.0.1)', () => {
	const servers: OwnServer[] = [];
	const cleanups: Array<() => unknown> = [];
	/**
	 * A server on the project's store, on a new database: a SQLite file, or a database in the test
	 * cluster (ports 2 higher, as both projects run these tests at once).
	 */
	async function ownServer(store: StoreOptions['store'], offset: number): Promise<OwnServer> {
		let server: OwnServer;
		if (store === 'postgres') {
			const database = await freshPostgresDatabase('rate');
			cleanups.push(database.drop);
			server = await startServer(testPort('rateLimit', 2 + offset), database.url);
		} else {
			const dir = mkdtempSync(join(tmpdir(), 'causeway-rate-'));
			cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
			server = await startServer(testPort('rateLimit', offset), join(dir, 'rate.sqlite'));
		}
		servers.push(server);
		return server;
	}
	test.afterEach(async () => {
		for (const server of servers.splice(0)) await stopServer(server);
		for (const cleanup of cleanups.splice(0)) await cleanup();
	});

	test('more than 20 unknown codes from one address in a minute: 429, even for a real code, unless the caller holds a token', async ({
		store
	}) => {
		const server = await ownServer(store, 0);
		const c = new Classroom(fetchSend(server.baseURL));
		const { code, hostToken } = await c.create('self-paced');
		// Look-ups of a real code do not count.
		for (let i = 0; i < 25; i++) expect((await c.view(code)).status).toBe(200);
		// 20 wrong ones (unknown or malformed, on any endpoint): each 404.
		const wrong = [
			...Array.from({ length: 16 }, (_, i) => `/api/sessions/ZZZZ${'23456789ABCDEFGH'[i]}Z`),
			'/api/sessions/nope',
			'/api/sessions/ZZZZZZ/results',
			'/api/sessions/ZZZZZZ/events'
		];
		for (const path of wrong) expectRefused(await c.send('GET', path), 404, path);
		expectRefused(
			await c.send('POST', '/api/sessions/ZZZZZY/join', { data: { nickname: 'x' } }),
			404,
			'join'
		);
		// The 21st look-up, wrong or right, and a forged X-Forwarded-For changes nothing.
		expectRefused(await c.send('GET', '/api/sessions/ZZZZZX'), 429, '21st');
		expectRefused(await c.view(code), 429, 'a real code while blocked');
		expectRefused(
			await c.send('GET', `/api/sessions/${code}`, {
				headers: { 'x-forwarded-for': '203.0.113.9' }
			}),
			429,
			'X-Forwarded-For'
		);
		// A caller holding a token for the session (a pupil behind the same school address) carries
		// on: here the host, who may not answer, gets the endpoint's own 403, not 429.
		expectRefused(
			await c.send('POST', `/api/sessions/${code}/answers`, { token: hostToken, data: {} }),
			403,
			'a token holder while blocked'
		);
		// Creating a session names no code, so it still works.
		const created = await c.send('POST', '/api/sessions', {
			data: { scenario: 'mali-russia', mode: 'self-paced' }
		});
		expect(created.status).toBe(201);
	});

	test('BUG the host page looks codes up outside the limit: no 429, and 403 vs 404 tells which exist', async ({
		store
	}) => {
		// src/routes/host/[code]/+page.server.ts calls loadSession() directly instead of
		// sessionFromUrl(), so wrong codes there are neither counted nor refused with 429; and its
		// 403 ("not the host") for a real code against 404 for an unknown one is an oracle.
		const server = await ownServer(store, 1);
		const c = new Classroom(fetchSend(server.baseURL));
		const { code } = await c.create('self-paced');
		const statuses: number[] = [];
		for (let i = 0; i < 25; i++) {
			const unknown = `ZZZ${'23456789ABCDEFGHJKMNPQRSTUVWXYZ'[i]}ZZ`;
			statuses.push((await fetch(`${server.baseURL}/host/${unknown}`)).status);
		}
		statuses.push((await fetch(`${server.baseURL}/host/${code}`)).status);
		expect(statuses).toEqual([...Array(20).fill(404), ...Array(6).fill(429)]);
	});
});

/* ================================================================== the front door */

test.describe('the front door (answers, streams and joins served before SvelteKit, on a server of its own)', () => {
	let server: OwnServer | undefined;
	let cleanup: (() => unknown) | undefined;
	test.afterEach(async () => {
		await stopServer(server);
		await cleanup?.();
	});

	test('it serves a participant`s answers and stream, and joins, and every reply is the one SvelteKit gives', async ({
		store
	}) => {
		if (store === 'postgres') {
			const database = await freshPostgresDatabase('front');
			cleanup = database.drop;
			server = await startServer(testPort('frontDoor', 1), database.url);
		} else {
			const dir = mkdtempSync(join(tmpdir(), 'causeway-front-'));
			cleanup = () => rmSync(dir, { recursive: true, force: true });
			server = await startServer(testPort('frontDoor'), join(dir, 'front.sqlite'));
		}
		const c = new Classroom(fetchSend(server.baseURL));
		const { code, hostToken } = await startedSessionOn(c, 'self-paced');
		/** What /healthz says the front door has served of one kind. */
		const frontDoorCount = async (kind: 'answers' | 'streams' | 'joins') =>
			(
				(await (await fetch(`${server!.baseURL}/healthz`)).json()) as {
					frontDoor: Record<typeof kind, number>;
				}
			).frontDoor[kind];
		const served = () => frontDoorCount('answers');

		/**
		 * One participant's requests, in order, to `suffix` of their answers' path: '' for the front
		 * door, or a query string, which the front door hands to SvelteKit as it is. Each reply's
		 * status and body, with this run's ids in the body made alike.
		 */
		async function script(suffix: string) {
			const me = await c.join(code);
			const path = `/api/sessions/${code}/answers${suffix}`;
			const ids: string[] = [];
			const id = () => ids[ids.push(crypto.randomUUID()) - 1]!;
			const first = id();
			const json = { 'content-type': 'application/json' };
			const send = (raw: string, headers: Record<string, string> = {}, token = true) =>
				c.send('POST', path, {
					raw,
					token: token ? me.participantToken : undefined,
					headers: { ...json, ...headers }
				});
			const answer = (answerId: string, question: number, response: unknown) =>
				JSON.stringify({ answerId, questionId: q(question).id, response });
			const sameSite = { origin: server!.baseURL };
			const asCookie = { ...sameSite, cookie: `cw_part_${code}=${me.participantToken}` };
			const replies = [
				// Served by the front door when sent to its path:
				await send(answer(first, 0, rightResponse(q(0)).response)),
				await send(answer(first, 0, rightResponse(q(0)).response)),
				await send(answer(id(), 0, wrongResponse(q(0)).response)),
				await send(answer(id(), 1, wrongResponse(q(1)).response), asCookie),
				await send('{"answerId": '),
				await send(JSON.stringify({ answerId: 'answer-1', questionId: q(2).id })),
				await send(answer(id(), 2, badShapeResponse(q(2)))),
				await send(JSON.stringify({ answerId: id(), questionId: 'no-such' })),
				await send(`\ufeff${answer(id(), 3, rightResponse(q(3)).response)}`),
				await send(''),
				// Handed to SvelteKit wherever they are sent:
				await send(answer(id(), 4, 'x'), { origin: 'http://elsewhere.example' }),
				await send(answer(id(), 4, 'x'), { 'content-type': 'text/plain' }),
				await send(answer(id(), 4, 'x'), {}, false),
				await send(answer(id(), 4, 'x'), { authorization: `Bearer ${hostToken}` }),
				await send(answer(id(), 4, 'x'), { accept: 'text/html' }),
				await send(answer(id(), 4, 'x'), { authorization: 'Bearer not-a-token' })
			];
			// The headers a client acts on, and those every response carries.
			const kept = ['content-type', 'retry-after', 'x-content-type-options', 'referrer-policy'];
			const headersOf = (r: Reply) => kept.map((name) => r.headers[name] ?? null);
			let text = JSON.stringify(replies.map((r) => [r.status, r.json ?? r.text, headersOf(r)]));
			for (const [i, answerId] of ids.entries()) text = text.replaceAll(answerId, `<id ${i}>`);
			return { replies: JSON.parse(text) as Array<[number, unknown, unknown]> };
		}

		const before = await served();
		const front = await script('');
		const frontServed = (await served()) - before;
		const svelteKit = await script('?through=sveltekit');
		expect(await served(), 'a query string is SvelteKit`s').toBe(before + frontServed);
		// The first ten are the front door's: it is in front of SvelteKit, and takes only those.
		expect(frontServed).toBe(10);
		expect(front.replies).toEqual(svelteKit.replies);
		// An answer, its resend, a second one to a question already right, one by cookie.
		expect(front.replies.slice(0, 4).map(([status]) => status)).toEqual([200, 200, 409, 200]);
		// The refusals of each kind are there, in JSON (a script that asked for a page got one).
		expect(front.replies.slice(4).map(([status]) => status)).toEqual([
			400, 400, 400, 400, 200, 400, 403, 403, 401, 403, 400, 401
		]);

		// A participant's event stream, in a session of its own each way: the same head and the
		// same events (its first state, then the state once the host ends the session).
		const streamsServed = () => frontDoorCount('streams');
		async function streamScript(suffix: string) {
			const session = await startedSessionOn(c, 'teacher-paced');
			const me = await c.join(session.code);
			const reader = await openEvents(
				`${server!.baseURL}/api/sessions/${session.code}/events${suffix}`,
				me.participantToken
			);
			await reader.next('state');
			await c.pace(session.code, session.hostToken, 'end');
			await reader.next('state');
			reader.close();
			return { status: reader.status, type: reader.contentType, seen: reader.seen };
		}
		const streams = await streamsServed();
		const frontStream = await streamScript('');
		expect(await streamsServed()).toBe(streams + 1);
		const svelteKitStream = await streamScript('?through=sveltekit');
		expect(await streamsServed()).toBe(streams + 1);
		expect(frontStream.seen.map((e) => e.event)).toEqual(['retry', 'state', 'state']);
		expect(frontStream).toEqual(svelteKitStream);

		// Joins through the API, into a session of their own each way: the same replies.
		const joinsServed = () => frontDoorCount('joins');
		async function joinScript(suffix: string) {
			const session = await startedSessionOn(c, 'self-paced');
			const path = `/api/sessions/${session.code}/join${suffix}`;
			const send = (raw: string, headers: Record<string, string> = {}) =>
				c.send('POST', path, { raw, headers: { 'content-type': 'application/json', ...headers } });
			const nickname = (name: string) => JSON.stringify({ nickname: name });
			const replies = [
				// Served by the front door when sent to its path:
				await send(nickname('Ada')),
				await send(nickname('ADA ')),
				await send(nickname('')),
				await send('{"nickname": '),
				await send(''),
				await send(`\ufeff${nickname('Bo')}`, { origin: server!.baseURL }),
				// Handed to SvelteKit wherever they are sent (a token that is nobody's still joins):
				await send(nickname('Cy'), { origin: 'http://elsewhere.example' }),
				await send(nickname('Cy'), { 'content-type': 'text/plain' }),
				await send(nickname('Cy'), { accept: 'text/html' }),
				await send(nickname('Di'), { authorization: 'Bearer not-a-token' }),
				await send(nickname('Ed'), { cookie: 'cw_teacher=not-a-key' })
			];
			await c.pace(session.code, session.hostToken, 'end');
			replies.push(await send(nickname('Flo')));
			const kept = ['content-type', 'retry-after', 'x-content-type-options', 'referrer-policy'];
			return replies.map((r) => {
				const body = r.json as { participantId?: string; participantToken?: string } | undefined;
				// This run's ids and tokens made alike; that they are there is what counts.
				const shown =
					body?.participantId && body.participantToken
						? { ...body, participantId: '<id>', participantToken: '<token>' }
						: (r.json ?? r.text);
				return [r.status, shown, kept.map((name) => r.headers[name] ?? null)];
			});
		}
		const joins = await joinsServed();
		const frontJoins = await joinScript('');
		// The six sent to its path, and the join after the session ended.
		expect(await joinsServed()).toBe(joins + 7);
		const svelteKitJoins = await joinScript('?through=sveltekit');
		expect(await joinsServed()).toBe(joins + 7);
		expect(frontJoins).toEqual(svelteKitJoins);
		expect(frontJoins.map(([status]) => status)).toEqual([
			201, 409, 400, 400, 400, 201, 403, 403, 201, 201, 201, 410
		]);
	});
});
