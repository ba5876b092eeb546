/**
 * A classroom server killed with SIGKILL in the middle of a burst of answers, then restarted on
 * the same SQLite file: every answer acknowledged with a 200 before the kill must be there exactly
 * once, nothing unsent may appear, and a teacher-paced session must be at the same point. This
 * test starts and kills its own `node build` (its port from tests/lib/ports.ts);
 * the suite's server is left alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
	Classroom,
	fetchSend,
	questions,
	rightResponse,
	startServer,
	stopServer,
	wrongResponse,
	type Graded,
	type OwnServer,
	type Results
} from './lib/api-client';
import { testPort } from './lib/ports';

const PORT = testPort('crash');
const PARTICIPANTS = 20;
/** The kill comes once this many answers have been acknowledged (of 20 × the pack's questions). */
const KILL_AFTER = 180;

let dir = '';
const servers: OwnServer[] = [];

test.afterAll(async () => {
	for (const server of servers) await stopServer(server);
	if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Planned {
	participant: number;
	questionId: string;
	answerId: string;
	graded: Graded;
}

function pacingOf(view: unknown) {
	const { status, mode, openQuestionId, currentQuestionId, revealed } = view as Record<
		string,
		unknown
	>;
	return { status, mode, openQuestionId, currentQuestionId, revealed };
}

function totalsOf(results: Results) {
	return Object.fromEntries(
		results.participants.map((p) => [
			p.participantId,
			{ answered: p.totals.answered, correct: p.totals.correct, points: p.totals.points }
		])
	);
}

function expectedTotals(answers: Planned[], ids: string[]) {
	return Object.fromEntries(
		ids.map((id, i) => {
			const own = answers.filter((a) => a.participant === i);
			return [
				id,
				{
					answered: own.length,
					correct: own.filter((a) => a.graded.correct).length,
					points: own.reduce((n, a) => n + a.graded.points, 0)
				}
			];
		})
	);
}

test('kill -9 during a burst of answers: acknowledged answers survive exactly once; pacing resumes', async () => {
	test.setTimeout(120_000);
	dir = mkdtempSync(join(tmpdir(), 'causeway-crash-'));
	const database = join(dir, 'crash.sqlite');
	const first = await startServer(PORT, database);
	servers.push(first);
	const c = new Classroom(fetchSend(first.baseURL));

	// A teacher-paced session, paced to its sixth question after two revealed ones.
	const paced = await c.create('teacher-paced');
	const pacedPeople = await Promise.all([0, 1, 2].map(() => c.join(paced.code)));
	await c.pace(paced.code, paced.hostToken, 'start');
	const pacedAnswers: Planned[] = [];
	const answerPaced = async (person: number, index: number) => {
		const question = questions[index]!;
		const graded = person === 1 ? wrongResponse(question) : rightResponse(question);
		const answerId = crypto.randomUUID();
		const reply = await c.answer(
			paced.code,
			pacedPeople[person]!.participantToken,
			question.id,
			graded.response,
			answerId
		);
		expect(reply.status, reply.text).toBe(200);
		pacedAnswers.push({ participant: person, questionId: question.id, answerId, graded });
	};
	for (const index of [0, 1]) {
		await c.pace(paced.code, paced.hostToken, 'next');
		for (const person of [0, 1, 2]) await answerPaced(person, index);
		await c.pace(paced.code, paced.hostToken, 'reveal');
	}
	await c.pace(paced.code, paced.hostToken, 'open', questions[5]!.id);
	await answerPaced(0, 5);
	await answerPaced(1, 5);
	const pacedBefore = pacingOf((await c.view(paced.code)).json);
	expect(pacedBefore).toEqual({
		status: 'running',
		mode: 'teacher-paced',
		openQuestionId: questions[5]!.id,
		currentQuestionId: questions[5]!.id,
		revealed: [questions[0]!.id, questions[1]!.id]
	});

	// A self-paced session: 20 participants, each sending an answer to every question one after the other, all
	// 20 at once, in an order of their own; right or wrong by a pattern.
	const burst = await c.create('self-paced');
	await c.pace(burst.code, burst.hostToken, 'start');
	const people = await Promise.all(
		Array.from({ length: PARTICIPANTS }, (_, i) => c.join(burst.code, `crash-${i}`))
	);
	const plans: Planned[][] = people.map((_, i) =>
		questions.map((_, j) => {
			const question = questions[(j + i * 5) % questions.length]!;
			const kind = (i + j) % 4;
			return {
				participant: i,
				questionId: question.id,
				answerId: crypto.randomUUID(),
				graded: kind < 2 ? rightResponse(question) : wrongResponse(question, kind === 2 ? 0 : 1)
			};
		})
	);

	const acked = new Map<string, { planned: Planned; body: unknown }>();
	/** Sent but never answered: the kill came first. They may or may not have been stored. */
	const unknown = new Map<string, Planned>();
	const refusals: string[] = [];
	let killed = false;
	await Promise.all(
		plans.map(async (plan, i) => {
			for (const planned of plan) {
				if (killed) return;
				try {
					const reply = await c.answer(
						burst.code,
						people[i]!.participantToken,
						planned.questionId,
						planned.graded.response,
						planned.answerId
					);
					if (reply.status !== 200) {
						refusals.push(`${planned.questionId}: ${reply.status} ${reply.text}`);
						return;
					}
					acked.set(planned.answerId, { planned, body: reply.json });
					if (acked.size >= KILL_AFTER && !killed) {
						killed = true;
						first.child.kill('SIGKILL');
					}
				} catch {
					unknown.set(planned.answerId, planned);
					return;
				}
			}
		})
	);
	console.log(
		`crash: ${acked.size} answers acknowledged before the kill, ${unknown.size} cut off in flight`
	);
	expect(refusals).toEqual([]);
	expect(killed, 'the kill came before every answer was in').toBe(true);
	expect(await first.exited).toBeNull();
	expect(first.child.signalCode).toBe('SIGKILL');
	expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER);
	expect(acked.size).toBeLessThan(PARTICIPANTS * questions.length);

	// Restart on the same file.
	const second = await startServer(PORT, database);
	servers.push(second);
	const after = new Classroom(fetchSend(second.baseURL));

	const results = await after.results(burst.code, burst.hostToken);
	expect(results.participants.map((p) => p.participantId).sort()).toEqual(
		people.map((p) => p.participantId).sort()
	);
	const stored = results.participants.flatMap((p) =>
		p.answers.map((a) => ({ ...a, participantId: p.participantId }))
	);
	const storedById = new Map<string, (typeof stored)[number][]>();
	for (const a of stored) storedById.set(a.answerId, [...(storedById.get(a.answerId) ?? []), a]);
	// Every acknowledged answer, exactly once, exactly as acknowledged.
	const missing: string[] = [];
	for (const [answerId, { planned, body }] of acked) {
		const rows = storedById.get(answerId) ?? [];
		if (rows.length !== 1) {
			missing.push(`${answerId} (${planned.questionId}) stored ${rows.length} times`);
			continue;
		}
		const row = rows[0]!;
		expect(row).toMatchObject({
			participantId: people[planned.participant]!.participantId,
			questionId: planned.questionId,
			correct: planned.graded.correct,
			points: planned.graded.points,
			response: planned.graded.response
		});
		expect(body).toMatchObject({ points: row.points, correct: row.correct });
	}
	expect(missing, `${missing.length} acknowledged answers lost or doubled`).toEqual([]);
	// Nothing else, except answers whose acknowledgement the kill cut off.
	const strays = stored.filter((a) => !acked.has(a.answerId) && !unknown.has(a.answerId));
	expect(strays).toEqual([]);
	expect(stored.length).toBeGreaterThanOrEqual(acked.size);
	expect(stored.length).toBeLessThanOrEqual(acked.size + unknown.size);
	// One answer per participant and question, whatever happened.
	for (const p of results.participants) {
		const ids = p.answers.map((a) => a.questionId);
		expect(new Set(ids).size).toBe(ids.length);
	}
	const storedPlans = [...acked.values()]
		.map((a) => a.planned)
		.concat([...unknown.values()].filter((u) => storedById.has(u.answerId)));
	expect(totalsOf(results)).toEqual(
		expectedTotals(
			storedPlans,
			people.map((p) => p.participantId)
		)
	);

	// The teacher-paced session is where it was, with its answers.
	expect(pacingOf((await after.view(paced.code)).json)).toEqual(pacedBefore);
	const pacedResults = await after.results(paced.code, paced.hostToken);
	expect(pacedResults.status).toBe('running');
	expect(totalsOf(pacedResults)).toEqual(
		expectedTotals(
			pacedAnswers,
			pacedPeople.map((p) => p.participantId)
		)
	);
	// The open question still takes answers; a revealed one still does not.
	const late = await after.answer(
		paced.code,
		pacedPeople[2]!.participantToken,
		questions[5]!.id,
		questions[5]!.answer
	);
	expect(late.status, late.text).toBe(200);
	expect(
		(
			await after.answer(
				paced.code,
				pacedPeople[2]!.participantToken,
				questions[4]!.id,
				questions[4]!.answer
			)
		).status
	).toBe(409);
	expect(await after.pace(paced.code, paced.hostToken, 'reveal')).toMatchObject({
		openQuestionId: null,
		currentQuestionId: questions[5]!.id,
		revealed: [questions[0]!.id, questions[1]!.id, questions[5]!.id]
	});

	// Clients resume: the cut-off answers are retried with their answerId, then the rest is sent.
	const resumed = await Promise.all(
		plans.map(async (plan, i) => {
			const replies: Array<{ planned: Planned; status: number; body: unknown }> = [];
			for (const planned of plan) {
				if (acked.has(planned.answerId)) continue;
				const reply = await after.answer(
					burst.code,
					people[i]!.participantToken,
					planned.questionId,
					planned.graded.response,
					planned.answerId
				);
				replies.push({ planned, status: reply.status, body: reply.json });
			}
			return replies;
		})
	);
	for (const { planned, status, body } of resumed.flat()) {
		expect(status, `${planned.questionId}: ${JSON.stringify(body)}`).toBe(200);
		expect(body).toMatchObject({
			answerId: planned.answerId,
			points: planned.graded.points,
			correct: planned.graded.correct
		});
	}
	const final = await after.results(burst.code, burst.hostToken);
	expect(totalsOf(final)).toEqual(
		expectedTotals(
			plans.flat(),
			people.map((p) => p.participantId)
		)
	);
	expect(final.participants.every((p) => p.answers.length === questions.length)).toBe(true);
	await stopServer(second);
});
