/**
 * Two `node build` processes on one PostgreSQL database, as behind a load balancer without sticky
 * sessions: the host's page and stream on process A, the students on process B. What B commits
 * must reach A live (by NOTIFY), a kill -9 of B in a burst must lose and double nothing, and the
 * join-code guessing limit must count both processes' guesses. Its two ports are
 * tests/lib/ports.ts's; the database is a fresh one in the test run's PostgreSQL cluster.
 */
import { expect, test } from '@playwright/test';
import { freshPostgresDatabase } from '../src/lib/server/testing/postgres';
import {
	Classroom,
	fetchSend,
	openEvents,
	questions,
	rightResponse,
	startServer,
	stopServer,
	wrongResponse,
	type EventReader,
	type OwnServer
} from './lib/api-client';
import { testPort } from './lib/ports';

const PORT_A = testPort('multiProcess', 0);
const PORT_B = testPort('multiProcess', 1);
/** Wrong join codes one address may try per minute (the server's JOIN_GUESSES_PER_MINUTE). */
const GUESSES = 6;

test.describe.configure({ mode: 'serial' });

let database: Awaited<ReturnType<typeof freshPostgresDatabase>> | undefined;
let a: OwnServer | undefined;
let b: OwnServer | undefined;
const streams: EventReader[] = [];

const settings = { JOIN_GUESSES_PER_MINUTE: String(GUESSES) };

test.beforeAll(async () => {
	test.setTimeout(60_000);
	database = await freshPostgresDatabase('multi_process');
	// Started together, as a deployment's processes are: both migrate the same empty database.
	[a, b] = await Promise.all([
		startServer(PORT_A, database.url, undefined, settings),
		startServer(PORT_B, database.url, undefined, settings)
	]);
});

test.afterAll(async () => {
	for (const stream of streams) stream.close();
	await stopServer(a);
	await stopServer(b);
	await database?.drop();
});

/** Waits until `reader` has an event `name` whose data passes `wanted`; returns that data. */
async function eventuallyOn<T>(
	reader: EventReader,
	name: string,
	wanted: (data: T) => boolean,
	timeoutMs = 5_000
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const left = deadline - Date.now();
		if (left <= 0) throw new Error(`no "${name}" event as wanted within ${timeoutMs} ms`);
		const { data } = await reader.next(name, left);
		if (wanted(data as T)) return data as T;
	}
}

interface DashboardData {
	participants: Array<{ nickname: string; answered: number }>;
	questions: Array<{ questionId: string; answered: number; correct: number }>;
}
interface StateData {
	status: string;
	openQuestionId: string | null;
}

test('host on one process, students on the other: joins, answers, pacing and removal reach both live', async () => {
	const onA = new Classroom(fetchSend(a!.baseURL));
	const onB = new Classroom(fetchSend(b!.baseURL));
	const session = await onA.create('teacher-paced');
	const host = await openEvents(
		`${a!.baseURL}/api/sessions/${session.code}/events`,
		session.hostToken
	);
	streams.push(host);
	expect(host.status).toBe(200);
	await host.next('state');

	const people = await Promise.all(['Ana', 'Ben', 'Cy'].map((n) => onB.join(session.code, n)));
	const phones = await Promise.all(
		people.map((p) =>
			openEvents(`${b!.baseURL}/api/sessions/${session.code}/events`, p.participantToken)
		)
	);
	streams.push(...phones);
	for (const phone of phones) await phone.next('state');
	// Joined on B, counted on A's dashboard.
	await eventuallyOn<DashboardData>(host, 'dashboard', (d) => d.participants.length === 3);

	// Paced on A, seen on B's streams, in order, newest last.
	await onA.pace(session.code, session.hostToken, 'start');
	await onA.pace(session.code, session.hostToken, 'next');
	const first = questions[0]!;
	for (const phone of phones)
		await eventuallyOn<StateData>(phone, 'state', (s) => s.openQuestionId === first.id);

	// Answered on B, counted on A.
	for (const [i, person] of people.entries()) {
		const graded = i === 1 ? wrongResponse(first) : rightResponse(first);
		const reply = await onB.answer(
			session.code,
			person.participantToken,
			first.id,
			graded.response
		);
		expect(reply.status, reply.text).toBe(200);
	}
	const counted = await eventuallyOn<DashboardData>(
		host,
		'dashboard',
		(d) => d.questions.find((q) => q.questionId === first.id)?.answered === 3
	);
	expect(counted.questions.find((q) => q.questionId === first.id)?.correct).toBe(2);

	// Paced on B (a host's second device behind the balancer), seen on A's host stream.
	await onB.pace(session.code, session.hostToken, 'reveal');
	await eventuallyOn<StateData & { revealed: string[] }>(host, 'state', (s) =>
		s.revealed.includes(first.id)
	);

	// Removed on A: the student's stream on B ends, and A's figures forget them.
	const removed = await fetch(
		`${a!.baseURL}/api/sessions/${session.code}/participants/${people[2]!.participantId}`,
		{ method: 'DELETE', headers: { authorization: `Bearer ${session.hostToken}` } }
	);
	expect(removed.status).toBe(204);
	await expect(phones[2]!.next('never', 5_000)).rejects.toThrow(/stream ended/);
	await eventuallyOn<DashboardData>(host, 'dashboard', (d) => d.participants.length === 2);
});

test('kill -9 of the students’ process in a burst: every acknowledged answer stored once, and counted on the host’s', async () => {
	test.setTimeout(120_000);
	const onA = new Classroom(fetchSend(a!.baseURL));
	const onB = new Classroom(fetchSend(b!.baseURL));
	const session = await onA.create('self-paced');
	await onA.pace(session.code, session.hostToken, 'start');
	const host = await openEvents(
		`${a!.baseURL}/api/sessions/${session.code}/events`,
		session.hostToken
	);
	streams.push(host);
	const people = await Promise.all(
		Array.from({ length: 12 }, (_, i) => onB.join(session.code, `burst-${i}`))
	);
	const acked = new Set<string>();
	const cutOff = new Set<string>();
	let killed = false;
	const killAfter = Math.floor((people.length * questions.length) / 2);
	await Promise.all(
		people.map(async (person, i) => {
			for (const [j, question] of questions.entries()) {
				if (killed) return;
				const answerId = crypto.randomUUID();
				const graded = (i + j) % 3 === 0 ? wrongResponse(question) : rightResponse(question);
				try {
					const reply = await onB.answer(
						session.code,
						person.participantToken,
						question.id,
						graded.response,
						answerId
					);
					expect(reply.status, reply.text).toBe(200);
					acked.add(answerId);
					if (acked.size >= killAfter && !killed) {
						killed = true;
						b!.child.kill('SIGKILL');
					}
				} catch {
					cutOff.add(answerId);
					return;
				}
			}
		})
	);
	expect(killed).toBe(true);
	await b!.exited;

	const results = await onA.results(session.code, session.hostToken);
	const stored = results.participants.flatMap((p) => p.answers.map((x) => x.answerId));
	expect(new Set(stored).size, 'no answer stored twice').toBe(stored.length);
	const lost = [...acked].filter((id) => !stored.includes(id));
	expect(lost, 'acknowledged answers missing after the kill').toEqual([]);
	expect(stored.filter((id) => !acked.has(id) && !cutOff.has(id))).toEqual([]);
	// A's running totals heard every commit of B before it died: they match the stored rows.
	const expected = results.participants.reduce((n, p) => n + p.answers.length, 0);
	await eventuallyOn<DashboardData>(
		host,
		'dashboard',
		(d) => d.participants.reduce((n, p) => n + p.answered, 0) === expected
	);

	// B comes back on the same database and serves the same class.
	b = await startServer(PORT_B, database!.url, undefined, settings);
	const view = await new Classroom(fetchSend(b.baseURL)).view(session.code);
	expect(view.status).toBe(200);
});

test('the join-code guessing limit counts the guesses made through both processes', async () => {
	const guess = (server: OwnServer, n: number) =>
		fetch(`${server.baseURL}/api/sessions/ZZZZ${String(n).padStart(2, '0')}`).then((r) => r.status);
	const statuses: number[] = [];
	// Half the allowance through each process: neither alone reaches the limit.
	for (let n = 0; n < GUESSES; n += 1) statuses.push(await guess(n % 2 === 0 ? a! : b!, n));
	expect(statuses).toEqual(Array.from({ length: GUESSES }, () => 404));
	// Together they have: the next guess is refused, wherever it lands.
	expect(await guess(a!, 90)).toBe(429);
	expect(await guess(b!, 91)).toBe(429);
});
