/**
 * Hardening against hostile or broken clients and a failing disk, each on a `node build` this file
 * starts itself (its ports from tests/lib/ports.ts) with its own database:
 *
 * - ~300 random and malformed bodies against the real endpoints: never a 5xx, and the scores of a
 *   participant who took no part in the garbage are unchanged by it;
 * - a read-only and a full database: a clear 503 with a message, reads still work, writes work
 *   again once the fault is gone, and `PRAGMA integrity_check` is ok on the file afterwards;
 * - join-code guessing from one address: 429 after 20 failed look-ups in a minute;
 * - event streams from one address capped (SSE_MAX_PER_ADDRESS=5): the 6th is a 429, closing one
 *   frees its slot;
 * - the LRS send is no way into this machine (no LRS_ALLOWED_HOSTS here): every spelling of a
 *   loopback or unspecified address is a 400 and a listener of the test's own sees no connection;
 *   only the host of a session filed under a teacher key may send, a limited number of times.
 *
 * Crash durability (SIGKILL under load) is tests/classroom-crash.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { expect, test } from '@playwright/test';
import {
	Classroom,
	fetchSend,
	openEvents,
	pool,
	questions,
	rightResponse,
	SCENARIO,
	startServer,
	stopServer,
	wrongResponse,
	type OwnServer,
	type Results
} from './lib/api-client';
import { countingListener, internalSpellings } from './lib/internal-addresses';
import { testPort } from './lib/ports';

const FUZZ_RUNS = 300;

let dir = '';
const servers: OwnServer[] = [];

test.describe.configure({ mode: 'default' });

test.beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'causeway-hardening-'));
});

test.afterAll(async () => {
	for (const server of servers) await stopServer(server);
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `node build` with extra environment on its own port and database file. */
async function ownServer(
	offset: number,
	env: Record<string, string> = {},
	ready?: (status: number) => boolean
): Promise<OwnServer> {
	const saved: Record<string, string | undefined> = {};
	for (const [k, value] of Object.entries(env)) {
		saved[k] = process.env[k];
		process.env[k] = value;
	}
	try {
		const server = await startServer(
			testPort('hardening', offset),
			join(dir, `db-${offset}.sqlite`),
			ready
		);
		servers.push(server);
		return server;
	} finally {
		for (const [k, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[k];
			else process.env[k] = value;
		}
	}
}

/** POST over a connection of its own (`connection: close`), with a 10 s bound. */
function postFresh(
	url: string,
	body: string,
	headers: Record<string, string>
): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method: 'POST',
				agent: false,
				headers: { ...headers, connection: 'close', 'content-length': Buffer.byteLength(body) }
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (text += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
				res.on('error', reject);
			}
		);
		req.setTimeout(10_000, () => req.destroy(new Error(`POST ${url} took over 10 s`)));
		req.on('error', reject);
		req.end(body);
	});
}

function totalsOf(results: Results, participantId: string) {
	const p = results.participants.find((x) => x.participantId === participantId);
	return { totals: p?.totals, answers: p?.answers.map((a) => [a.answerId, a.points, a.correct]) };
}

const garbage = fc.oneof(
	fc.jsonValue(),
	fc.anything({ key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor')) }),
	fc.dictionary(
		fc.constantFrom(
			'__proto__',
			'constructor',
			'prototype',
			'nickname',
			'answerId',
			'questionId',
			'response',
			'action',
			'scenario',
			'mode',
			'score',
			'points',
			'correct'
		),
		fc.oneof(fc.jsonValue(), fc.constant('x'.repeat(100_000)))
	),
	// Under the server's 512 kB body limit; an oversized body has a test of its own.
	fc.constant('x'.repeat(100_000))
);

/** A body as text: JSON of a value (so `__proto__` is an own key), or something that is not JSON. */
const rawBody = fc.oneof(
	{ weight: 4, arbitrary: garbage.map((value) => JSON.stringify(value) ?? 'undefined') },
	{
		weight: 1,
		arbitrary: fc.oneof(
			fc.string(),
			fc.constantFrom('', '{', '{"a":', '[1,2', 'null', '\u0000', '{"__proto__":{"polluted":1}}')
		)
	}
);

test('random and malformed bodies: never a 5xx, and nobody else’s score changes', async () => {
	test.setTimeout(60_000);
	const server = await ownServer(0);
	const c = new Classroom(fetchSend(server.baseURL));
	const session = await c.create('self-paced');
	const observed = await c.join(session.code);
	const fuzzer = await c.join(session.code);
	await c.pace(session.code, session.hostToken, 'start');
	let expectedPoints = 0;
	for (const [i, q] of questions.slice(0, 6).entries()) {
		const graded = i % 2 ? wrongResponse(q) : rightResponse(q);
		const reply = await c.answer(session.code, observed.participantToken, q.id, graded.response);
		expect(reply.status, reply.text).toBe(200);
		expectedPoints += graded.points;
	}
	const before = totalsOf(await c.results(session.code, session.hostToken), observed.participantId);
	// Graded by the rules (points worked out here, not by the server): the baseline is right.
	expect(before.totals?.points).toBe(expectedPoints);

	const endpoints = [
		{ path: '/api/sessions', token: undefined },
		{ path: `/api/sessions/${session.code}/join`, token: undefined },
		{ path: `/api/sessions/${session.code}/answers`, token: fuzzer.participantToken },
		{ path: `/api/sessions/${session.code}/answers`, token: observed.participantToken },
		// Host-only endpoints with the host's token, so that their bodies reach validation rather
		// than stopping at the 403 a participant gets (tested in classroom-api.test.ts).
		{ path: `/api/sessions/${session.code}/control`, token: session.hostToken },
		{ path: `/api/sessions/${session.code}/xapi/send`, token: session.hostToken }
	];
	const fuzzerAnswer = fc.record({
		answerId: fc.uuid({ version: 4 }),
		questionId: fc.constantFrom(...questions.map((q) => q.id)),
		response: garbage
	});
	const statuses = new Map<number, number>();
	const failures: string[] = [];
	let sent = 0;
	const fuzzStarted = Date.now();
	const outcome = await fc.check(
		fc.asyncProperty(
			fc.nat({ max: endpoints.length }),
			rawBody,
			fuzzerAnswer,
			fc.oneof(
				{ weight: 6, arbitrary: fc.constant('application/json') },
				{
					weight: 1,
					arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', '')
				}
			),
			async (which, raw, answer, type) => {
				sent += 1;
				// The last "endpoint" is a well-formed answer with a garbage response, from the fuzzer.
				const target = endpoints[which] ?? endpoints[2]!;
				// Bodies stay under the 512 kB limit (cut if need be: a cut body is just more garbage).
				const body = (which === endpoints.length ? JSON.stringify(answer) : raw).slice(0, 200_000);
				const headers: Record<string, string> = type ? { 'content-type': type } : {};
				// A fresh connection per request (no keep-alive): a body the server refused unread must
				// not stall the next request on the same socket.
				const reply = await postFresh(server.baseURL + target.path, body, {
					...headers,
					...(target.token ? { authorization: `Bearer ${target.token}` } : {})
				});
				statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
				if (reply.status >= 500) {
					failures.push(
						`${reply.status} ${target.path} ${body.slice(0, 120)} → ${reply.text.slice(0, 200)}`
					);
					throw new Error(failures.at(-1));
				}
			}
		),
		{ numRuns: FUZZ_RUNS, endOnFailure: true }
	);
	// fast-check's own report would print the (huge) counterexample in full: keep it short.
	const shown = outcome.failed
		? `${String(outcome.errorInstance).slice(0, 600)} (seed ${outcome.seed}; ${JSON.stringify(outcome.counterexample).slice(0, 300)}; cause ${String((outcome.errorInstance as Error | undefined)?.cause)})`
		: '';
	expect(outcome.failed, `${shown}\nserver stderr: ${server.output.stderr.slice(-1500)}`).toBe(
		false
	);
	expect(failures).toEqual([]);
	expect(sent).toBe(FUZZ_RUNS);
	// A body over the size limit is refused (413) or cut off, never a 5xx, and the server lives on.
	const huge = await fetch(`${server.baseURL}/api/sessions/${session.code}/join`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ nickname: 'x'.repeat(2_000_000) })
	}).then(
		(r) => r.status,
		() => 'reset'
	);
	expect([413, 400, 'reset']).toContain(huge);
	const after = await c.results(session.code, session.hostToken);
	expect(totalsOf(after, observed.participantId)).toEqual(before);
	// Whatever the fuzzer got stored was graded by the server: credit within the rules.
	for (const p of after.participants)
		for (const a of p.answers) {
			expect(a.points).toBeGreaterThanOrEqual(0);
			expect(a.points).toBeLessThanOrEqual(a.maxPoints);
			expect(a.correct).toBe(a.points === a.maxPoints);
		}
	expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	// The server is still up and well.
	expect((await fetch(`${server.baseURL}/healthz`)).status).toBe(200);
	console.log(
		`fuzz: ${Date.now() - fuzzStarted} ms, statuses: ${JSON.stringify(Object.fromEntries(statuses))}`
	);
});

test('a read-only or full database: 503 with a message, then writes again and no corruption', async () => {
	test.setTimeout(60_000);
	const server = await ownServer(1, { CAUSEWAY_TEST_FAULTS: '1' });
	const c = new Classroom(fetchSend(server.baseURL));
	const fault = (name: 'readonly' | 'full' | 'none') =>
		c.send('POST', '/api/test/faults', { data: { fault: name } });
	const session = await c.create('self-paced');
	const person = await c.join(session.code);
	await c.pace(session.code, session.hostToken, 'start');
	const acknowledged: string[] = [];
	const answer = async (index: number) => {
		const q = questions[index]!;
		const answerId = crypto.randomUUID();
		const reply = await c.answer(
			session.code,
			person.participantToken,
			q.id,
			rightResponse(q).response,
			answerId
		);
		if (reply.status === 200) acknowledged.push(answerId);
		return reply;
	};
	expect((await answer(0)).status).toBe(200);

	// Read-only.
	expect((await fault('readonly')).status).toBe(200);
	for (const reply of [
		await answer(1),
		await c.send('POST', `/api/sessions/${session.code}/join`, { data: { nickname: 'late' } }),
		await c.send('POST', '/api/sessions', { data: { scenario: 'mali-russia', mode: 'self-paced' } })
	]) {
		expect(reply.status, reply.text).toBe(503);
		expect(reply.headers['retry-after']).toBeTruthy();
		expect((reply.json as { message: string }).message).toMatch(/read-only/i);
	}
	// Reads still answer.
	expect((await c.results(session.code, session.hostToken)).participants).toHaveLength(1);
	expect((await c.view(session.code, person.participantToken)).status).toBe(200);

	// Full: the database may not grow; writes fail once the free space in its pages is used.
	expect((await fault('none')).status).toBe(200);
	expect((await fault('full')).status).toBe(200);
	let full: Awaited<ReturnType<typeof answer>> | undefined;
	for (let i = 0; i < 400 && !full; i++) {
		const reply = await c.send('POST', `/api/sessions/${session.code}/join`, {
			data: { nickname: `filler-${i}-${'x'.repeat(20)}` }
		});
		if (reply.status !== 201) full = reply;
	}
	expect(full?.status, full?.text).toBe(503);
	expect((full?.json as { message: string }).message).toMatch(/full/i);
	// A small answer may still fit in a page's free space; either way, no 5xx other than 503.
	expect([200, 503]).toContain((await answer(2)).status);

	// Fault gone: writes work again.
	expect((await fault('none')).status).toBe(200);
	expect((await answer(3)).status).toBe(200);
	expect((await c.join(session.code, 'after-the-fault')).participantId).toBeTruthy();
	const results = await c.results(session.code, session.hostToken);
	const stored = results.participants.find(
		(p) => p.participantId === person.participantId
	)!.answers;
	expect(stored.map((a) => a.answerId).sort()).toEqual([...acknowledged].sort());

	// The file itself is sound once the server is gone.
	await stopServer(server);
	const file = new Database(join(dir, 'db-1.sqlite'));
	try {
		expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
		const rows = file.prepare('select answer_id from answers').all() as Array<{
			answer_id: string;
		}>;
		expect(rows.map((r) => r.answer_id).sort()).toEqual([...acknowledged].sort());
	} finally {
		file.close();
	}
});

test('join-code guessing from one address is throttled: 429 after 20 failed look-ups', async () => {
	const server = await ownServer(2);
	const c = new Classroom(fetchSend(server.baseURL));
	const real = await c.create('self-paced');
	expect((await c.view(real.code)).status).toBe(200);
	const wrong = real.code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ';
	for (let i = 0; i < 20; i++) {
		const reply = await c.send('POST', `/api/sessions/${wrong}/join`, {
			data: { nickname: `g${i}` }
		});
		expect(reply.status, `guess ${i + 1}: ${reply.text}`).toBe(404);
	}
	const blocked = await c.send('POST', `/api/sessions/${wrong}/join`, {
		data: { nickname: 'g20' }
	});
	expect(blocked.status).toBe(429);
	expect((blocked.json as { message: string }).message).toMatch(/too many/i);
	// The address is held back for the rest of its minute, even with a right code.
	expect((await c.view(real.code)).status).toBe(429);
});

test('event streams from one address are capped: the 6th is a 429, closing one frees a slot', async () => {
	const server = await ownServer(3, { SSE_MAX_PER_ADDRESS: '5' });
	const c = new Classroom(fetchSend(server.baseURL));
	const session = await c.create('teacher-paced');
	const people = await Promise.all(Array.from({ length: 7 }, () => c.join(session.code)));
	const url = `${server.baseURL}/api/sessions/${session.code}/events`;
	const open = [];
	for (const person of people.slice(0, 5)) {
		const stream = await openEvents(url, person.participantToken);
		expect(stream.status).toBe(200);
		await stream.next('state');
		open.push(stream);
	}
	const sixth = await openEvents(url, people[5]!.participantToken);
	expect(sixth.status).toBe(429);
	sixth.close();
	open.shift()!.close();
	// The server notices the closed stream within moments; retry a bounded number of times.
	let again = 0;
	for (let i = 0; i < 30 && again !== 200; i++) {
		await new Promise((r) => setTimeout(r, 100));
		const stream = await openEvents(url, people[6]!.participantToken);
		again = stream.status;
		if (again === 200) open.push(stream);
		else stream.close();
	}
	expect(again).toBe(200);
	for (const stream of open) stream.close();
});

/* ------------------------------------------------------------------ the LRS send */

interface Reply {
	status: number;
	message: string;
	retryAfter: string | null;
}

async function call(url: string, init: RequestInit): Promise<Reply> {
	const response = await fetch(url, init);
	const body = (await response.json().catch(() => ({}))) as { message?: string };
	return {
		status: response.status,
		message: body.message ?? '',
		retryAfter: response.headers.get('retry-after')
	};
}

/** A new teacher, as the /host form makes one: their key is the cookie it sets. */
async function newTeacherKey(server: OwnServer): Promise<string> {
	const response = await fetch(`${server.baseURL}/host`, {
		method: 'POST',
		headers: { origin: server.baseURL, accept: 'text/html' },
		body: new URLSearchParams({ scenario: SCENARIO, mode: 'self-paced', title: 'T' }),
		redirect: 'manual'
	});
	// A first-time teacher stays on /host, where a dialog shows the key once (no redirect).
	expect(response.status).toBe(200);
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('cw_teacher='));
	expect(cookie).toBeTruthy();
	return decodeURIComponent(cookie!.split(';')[0]!.slice('cw_teacher='.length));
}

/** A session made by POST /api/sessions, filed under `teacherKey` when one is given. */
async function newSession(server: OwnServer, teacherKey?: string) {
	const response = await fetch(`${server.baseURL}/api/sessions`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(teacherKey ? { authorization: `Bearer ${teacherKey}` } : {})
		},
		body: JSON.stringify({ scenario: SCENARIO, mode: 'self-paced' })
	});
	expect(response.status).toBe(201);
	return (await response.json()) as { code: string; hostToken: string };
}

const send = (server: OwnServer, code: string, token: string, endpoint: string) =>
	call(`${server.baseURL}/api/sessions/${code}/xapi/send`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify({ endpoint })
	});

test('xapi/send: every spelling of this machine is a 400, and the listener sees no connection', async () => {
	const listener = await countingListener();
	try {
		const spellings = internalSpellings(listener.port);
		expect(spellings.length).toBeGreaterThanOrEqual(30);
		const server = await ownServer(8, { LRS_SENDS_PER_HOUR: String(spellings.length + 1) });
		const teacher = await newTeacherKey(server);
		const { code } = await newSession(server, teacher);
		// One answer, so that there is a statement to send: a send that got through would connect.
		const c = new Classroom(fetchSend(server.baseURL));
		const student = await c.join(code);
		await c.pace(code, teacher, 'start');
		const first = questions[0]!;
		const answered = await c.answer(
			code,
			student.participantToken,
			first.id,
			rightResponse(first).response
		);
		expect(answered.status).toBe(200);
		const statements = await c.send('GET', `/api/sessions/${code}/xapi`, { token: teacher });
		expect((statements.json as unknown[]).length).toBeGreaterThan(0);
		const outcomes: string[] = [];
		for (const endpoint of spellings) {
			const reply = await send(server, code, teacher, endpoint);
			outcomes.push(`${endpoint} → ${reply.status} ${reply.message}`);
			// A send that got through retries for seconds: one is enough to fail, and say which.
			if (reply.status !== 400) break;
		}
		for (const [i, outcome] of outcomes.entries())
			expect(outcome, spellings[i]).toMatch(
				/ → 400 The LRS host \S+ is on a private or local network/
			);
		expect(outcomes).toHaveLength(spellings.length);
		expect(listener.connections()).toBe(0);
	} finally {
		await listener.close();
	}
});

test('xapi/send: only the host of a session filed under a teacher key, a limited number of times', async () => {
	const server = await ownServer(9, { LRS_SENDS_PER_HOUR: '3' });
	const anonymous = await newSession(server);
	const refused = await send(server, anonymous.code, anonymous.hostToken, 'http://127.0.0.1/');
	expect(refused.status).toBe(403);
	expect(refused.message).toMatch(/teacher key/);

	const teacher = await newTeacherKey(server);
	const filed = await newSession(server, teacher);
	// Its host token or the teacher key: either is the host, and both count for the teacher.
	for (const token of [filed.hostToken, teacher, filed.hostToken])
		expect((await send(server, filed.code, token, 'http://127.0.0.1/')).status).toBe(400);
	const limited = await send(server, filed.code, teacher, 'http://127.0.0.1/');
	expect(limited.status).toBe(429);
	expect(limited.message).toMatch(/At most 3 sends to an LRS per hour/);
	expect(Number(limited.retryAfter)).toBeGreaterThan(0);

	// Another teacher is not held back by the first one's sends.
	const other = await newTeacherKey(server);
	const theirs = await newSession(server, other);
	expect((await send(server, theirs.code, other, 'http://127.0.0.1/')).status).toBe(400);
});

/* ------------------------------------------------------------ flooding a class (issue 11 §3) */

/** The message of a JSON error reply. */
const messageOf = (reply: { json: unknown }) => (reply.json as { message?: string }).message ?? '';

test('a session takes at most MAX_PARTICIPANTS; the host locks joining and removes a participant', async () => {
	const server = await ownServer(4, { MAX_PARTICIPANTS: '5' });
	try {
		const c = new Classroom(fetchSend(server.baseURL));
		const session = await c.create('self-paced');
		await c.pace(session.code, session.hostToken, 'start');
		const join = (nickname: string) =>
			c.send('POST', `/api/sessions/${session.code}/join`, { data: { nickname } });
		// Ten at once: five get in, five are told the session is full.
		const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => join(`crowd-${i}`)));
		expect(replies.filter((r) => r.status === 201)).toHaveLength(5);
		for (const full of replies.filter((r) => r.status !== 201)) {
			expect(full.status).toBe(409);
			expect(messageOf(full)).toMatch(/^This session is full/);
		}
		const people = replies
			.filter((r) => r.status === 201)
			.map((r) => r.json as { participantId: string; participantToken: string });
		const [gone, stays] = [people[0]!, people[1]!];
		const q = questions[0]!;
		expect((await c.answer(session.code, gone.participantToken, q.id, q.answer)).status).toBe(200);
		const stream = await openEvents(
			`${server.baseURL}/api/sessions/${session.code}/events`,
			gone.participantToken
		);
		await stream.next('state');

		// Removing: only the host; then the token stops working, the stream ends, the answer goes.
		const remove = (token?: string) =>
			fetch(`${server.baseURL}/api/sessions/${session.code}/participants/${gone.participantId}`, {
				method: 'DELETE',
				headers: token ? { authorization: `Bearer ${token}` } : {}
			});
		expect((await remove()).status).toBe(401);
		expect((await remove(stays.participantToken)).status).toBe(403);
		expect((await remove(session.hostToken)).status).toBe(204);
		await expect(stream.next('state', 3_000)).rejects.toThrow(/ended/);
		expect((await c.view(session.code, gone.participantToken)).json).toMatchObject({
			role: 'guest'
		});
		const refused = await c.answer(session.code, gone.participantToken, questions[1]!.id, 'x');
		expect(refused.status).toBe(401);
		const results = await c.results(session.code, session.hostToken);
		expect(results.participants.map((p) => p.participantId)).not.toContain(gone.participantId);
		expect(results.participants).toHaveLength(4);
		expect((await remove(session.hostToken)).status).toBe(404);

		// Locking: only the host; while locked nobody new joins, even with room to spare.
		const lock = (locked: boolean, token?: string) =>
			c.send('POST', `/api/sessions/${session.code}/joining`, { data: { locked }, token });
		expect((await lock(true)).status).toBe(401);
		expect((await lock(true, stays.participantToken)).status).toBe(403);
		expect((await lock(true, session.hostToken)).json).toEqual({ joiningLocked: true });
		const locked = await join('latecomer');
		expect(locked.status).toBe(409);
		expect(messageOf(locked)).toMatch(/locked/);
		expect((await lock(false, session.hostToken)).status).toBe(200);
		expect((await join('latecomer')).status).toBe(201);
		expect((await join('one-too-many')).status).toBe(409);
		stream.close();
	} finally {
		await stopServer(servers.at(-1));
	}
});

test('session creation is limited per address: 429 with Retry-After once the hour’s quota is used', async () => {
	const server = await ownServer(5, { SESSIONS_PER_HOUR_PER_ADDRESS: '3' });
	try {
		const c = new Classroom(fetchSend(server.baseURL));
		const created = [];
		for (let i = 0; i < 3; i++) created.push(await c.create('self-paced'));
		const refused = await c.send('POST', '/api/sessions', {
			data: { scenario: 'mali-russia', mode: 'self-paced' }
		});
		expect(refused.status).toBe(429);
		const wait = Number(refused.headers['retry-after']);
		expect(wait).toBeGreaterThan(3000);
		expect(wait).toBeLessThanOrEqual(3600);
		expect(messageOf(refused)).toMatch(/too many sessions/i);
		// The host page's form is held to the same quota.
		const form = await fetch(`${server.baseURL}/host`, {
			method: 'POST',
			headers: {
				origin: server.baseURL,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: 'scenario=mali-russia&mode=self-paced',
			redirect: 'manual'
		});
		expect(form.status).toBe(429);
		expect(await form.text()).toMatch(/Too many sessions/);
		// Everything else carries on: joining a session is not creating one.
		expect((await c.join(created[0]!.code)).participantId).toBeTruthy();
	} finally {
		await stopServer(servers.at(-1));
	}
});

test('a deleted session answers 410 and closes its streams; its 30 students never lock the school out', async () => {
	const server = await ownServer(6);
	try {
		const c = new Classroom(fetchSend(server.baseURL));
		const doomed = await c.create('teacher-paced');
		const other = await c.create('teacher-paced');
		const students = await Promise.all(Array.from({ length: 30 }, () => c.join(doomed.code)));
		const streams = await Promise.all(
			students.map((s) =>
				openEvents(`${server.baseURL}/api/sessions/${doomed.code}/events`, s.participantToken)
			)
		);
		for (const stream of streams) await stream.next('state');
		const deleted = await fetch(`${server.baseURL}/api/sessions/${doomed.code}`, {
			method: 'DELETE',
			headers: { authorization: `Bearer ${doomed.hostToken}` }
		});
		expect(deleted.status).toBe(204);
		// Every stream is told the session is over, then closed by the server.
		for (const stream of streams) {
			expect((await stream.next('state', 3_000)).data).toMatchObject({ status: 'ended' });
			await expect(stream.next(undefined, 3_000)).rejects.toThrow(/the stream ended/);
		}
		// Each student's page keeps coming back (the page, its stream, the session) with its cookie
		// or token: 30 × 3 requests, all 410, none counted as a guess.
		for (const s of students) {
			const cookie = { cookie: `cw_part_${doomed.code}=${s.participantToken}` };
			const page = await fetch(`${server.baseURL}/join/${doomed.code}`, { headers: cookie });
			expect(page.status).toBe(410);
			const events = await fetch(`${server.baseURL}/api/sessions/${doomed.code}/events`, {
				headers: cookie
			});
			expect(events.status).toBe(410);
			const view = await c.view(doomed.code, s.participantToken);
			expect(view.status).toBe(410);
			expect(messageOf(view)).toMatch(/deleted/);
		}
		// A new student at the same address joins another class.
		expect((await c.join(other.code, 'new-student')).participantId).toBeTruthy();
	} finally {
		await stopServer(servers.at(-1));
	}
});

test('the host’s dashboard stream stays within DASHBOARD_BYTES_PER_SECOND however fast people join', async () => {
	const budget = 20_000;
	const server = await ownServer(7, { DASHBOARD_BYTES_PER_SECOND: String(budget) });
	try {
		const c = new Classroom(fetchSend(server.baseURL));
		const session = await c.create('self-paced');
		const host = await openEvents(
			`${server.baseURL}/api/sessions/${session.code}/events`,
			session.hostToken
		);
		await host.next('dashboard');
		const sizes: number[] = [];
		const started = Date.now();
		const counted = host.seen.length;
		// 300 joins, 20 at a time, as fast as the server takes them.
		await pool(
			Array.from({ length: 300 }, (_, i) => i),
			20,
			(i) => c.join(session.code, `flood-${i}-${'x'.repeat(20)}`)
		);
		// Wait for the dashboard that shows everyone (the last pause may still be running).
		let everyone = false;
		while (!everyone) {
			const e = await host.next('dashboard', 15_000);
			everyone = (e.data as { participants: unknown[] }).participants.length === 300;
		}
		const seconds = (Date.now() - started) / 1000;
		for (const e of host.seen.slice(counted))
			if (e.event === 'dashboard') sizes.push(Buffer.byteLength(JSON.stringify(e.data)) + 20);
		const bytes = sizes.reduce((n, s) => n + s, 0);
		const largest = Math.max(...sizes);
		console.log(
			`dashboard stream: ${sizes.length} dashboards, ${bytes} bytes in ${seconds.toFixed(1)} s (largest ${largest})`
		);
		// The pause after each dashboard is its size over the budget: at most the budget per second,
		// plus the one dashboard that may go out at the start.
		expect(bytes).toBeLessThanOrEqual(budget * seconds + largest);
		host.close();
	} finally {
		await stopServer(servers.at(-1));
	}
});

// Issue 11 §3. The exports are built in worker threads at the lowest priority (see
// src/lib/server/exports.ts): the server's own thread only passes their bytes on. Measured alone
// (the `quiet` project runs it after every other test): slowest /healthz 21–27 ms in three runs.
// While the rest of the suite shared the 2-core machine it was 36–629 ms, and an idle server with
// no export at all had a slowest of 626 ms at load 14: a figure of the machine, not the server.
test(
	'/healthz answers in under 100 ms while four exports of 2,000 × 33 answers are built',
	{ tag: '@quiet' },
	async () => {
		// Minutes on a busy 2-core machine: the exports give way to everything else.
		test.setTimeout(300_000);
		const file = join(dir, 'db-10.sqlite');
		let server = await ownServer(10);
		const c = new Classroom(fetchSend(server.baseURL));
		const session = await c.create('self-paced');
		await c.pace(session.code, session.hostToken, 'start');
		await c.pace(session.code, session.hostToken, 'end');
		await stopServer(server);
		// 2,000 participants with every answer, written straight into the file while no server runs.
		const db = new Database(file);
		try {
			const participant = db.prepare(
				'insert into participants (id, session_code, nickname, nickname_key, token_hash, joined_at) values (?, ?, ?, ?, ?, ?)'
			);
			const answer = db.prepare(
				'insert into answers (answer_id, session_code, participant_id, question_id, response, correct, credit, points, max_points, answered_at) values (?, ?, ?, ?, ?, 1, 1, 10, 10, ?)'
			);
			const start = Date.parse('2026-01-05T09:00:00Z');
			db.transaction(() => {
				for (let p = 0; p < 2000; p++) {
					const id = `seeded-${p}`;
					participant.run(
						id,
						session.code,
						`pupil ${p}`,
						`pupil ${p}`,
						`hash-${p}`,
						new Date(start).toISOString()
					);
					questions.forEach((q, i) =>
						answer.run(
							`${id}-${i}`,
							session.code,
							id,
							q.id,
							JSON.stringify(rightResponse(q).response),
							new Date(start + (i + 1) * 60_000 + p).toISOString()
						)
					);
				}
			})();
		} finally {
			db.close();
		}
		server = await ownServer(10);
		// /healthz is asked from a thread of its own: reading 100 MB of exports here must not delay it.
		const poller = new Worker(
			`const { parentPort, workerData } = require('node:worker_threads');
		const latencies = [];
		let stop = false;
		parentPort.on('message', () => (stop = true));
		(async () => {
			// The first fetch of a thread loads its HTTP client: not the server's time.
			await (await fetch(workerData)).arrayBuffer();
			while (!stop) {
				const asked = performance.now();
				const reply = await fetch(workerData);
				await reply.arrayBuffer();
				latencies.push([reply.status, performance.now() - asked]);
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			parentPort.postMessage(latencies);
		})();`,
			{ eval: true, workerData: `${server.baseURL}/healthz` }
		);
		const polled = new Promise<Array<[number, number]>>((resolve) =>
			poller.once('message', resolve)
		);
		/** Reads a download to its end, counting its bytes and CRLF line ends without keeping it. */
		const drain = async (path: string) => {
			const reply = await fetch(`${server.baseURL}/api/sessions/${session.code}${path}`, {
				headers: { authorization: `Bearer ${session.hostToken}` }
			});
			let bytes = 0;
			let lines = 0;
			for await (const chunk of reply.body as unknown as AsyncIterable<Uint8Array>) {
				bytes += chunk.byteLength;
				// indexOf rather than a loop over every byte: this process must not starve the server.
				for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
			}
			return { path, status: reply.status, bytes, lines };
		};
		const results = await Promise.all(['/xapi', '/xapi', '/export.csv', '/totals.csv'].map(drain));
		poller.postMessage('stop');
		const latencies = await polled;
		await poller.terminate();
		for (const r of results) expect(r.status, r.path).toBe(200);
		expect(results[2]!.lines).toBe(1 + 2000 * questions.length);
		expect(results[3]!.lines).toBe(1 + 2000);
		const times = latencies.map(([, ms]) => ms).sort((a, b) => a - b);
		const slowest = times.at(-1)!;
		const at = (share: number) => times[Math.floor(share * (times.length - 1))]!.toFixed(0);
		console.log(
			`healthz during exports: ${times.length} asked, median ${at(0.5)} ms, 99th percentile ${at(0.99)} ms, slowest ${slowest.toFixed(0)} ms; ${results.map((r) => `${r.path} ${r.bytes} bytes`).join(', ')}`
		);
		expect(latencies.length).toBeGreaterThan(5);
		expect(latencies.every(([status]) => status === 200)).toBe(true);
		expect(slowest).toBeLessThan(100);
		await stopServer(server);
	}
);

/* --------------------------------------------------------------------- faults (issue 11 §4) */

test('a database that cannot be written at start-up: /healthz 503 with the reason, writes 503, then well again without a restart', async () => {
	// Up means answering /healthz at all: this server must not claim to be well.
	const server = await ownServer(
		11,
		{ CAUSEWAY_TEST_FAULTS: '1', CAUSEWAY_TEST_FAULT_AT_START: 'readonly' },
		(status) => status === 200 || status === 503
	);
	const base = server.baseURL;
	const health = await fetch(`${base}/healthz`);
	expect(health.status).toBe(503);
	const said = (await health.json()) as { ok: boolean; writable: boolean; reason: string };
	expect(said).toMatchObject({ ok: false, writable: false });
	expect(said.reason).toMatch(/read-only/);
	const c = new Classroom(fetchSend(base));
	const refused = await c.send('POST', '/api/sessions', {
		data: { scenario: 'mali-russia', mode: 'self-paced' }
	});
	expect(refused.status).toBe(503);
	expect(messageOf(refused)).toMatch(/read-only/);
	// The fault goes away: the next look (at most a second later) says so, and writes work.
	await c.send('POST', '/api/test/faults', { data: { fault: 'none' } });
	await expect(async () => expect((await fetch(`${base}/healthz`)).status).toBe(200)).toPass({
		timeout: 5_000
	});
	const session = await c.create('self-paced');
	expect((await c.join(session.code)).participantId).toBeTruthy();
	// And a fault arriving later is reported the same way, and clears the same way.
	await c.send('POST', '/api/test/faults', { data: { fault: 'full' } });
	for (let i = 0; i < 400; i++) {
		const reply = await c.send('POST', `/api/sessions/${session.code}/join`, {
			data: { nickname: `filler-${i}-${'x'.repeat(20)}` }
		});
		if (reply.status !== 201) break;
	}
	const full = await fetch(`${base}/healthz`);
	expect(full.status).toBe(503);
	expect(((await full.json()) as { reason: string }).reason).toMatch(/full/);
	await c.send('POST', '/api/test/faults', { data: { fault: 'none' } });
	await expect(async () => expect((await fetch(`${base}/healthz`)).status).toBe(200)).toPass({
		timeout: 5_000
	});
});

test('a second server on the same database file refuses to start, saying why', async () => {
	const first = await ownServer(4);
	try {
		const second = await startServer(testPort('hardening', 12), join(dir, 'db-4.sqlite')).catch(
			(failure: unknown) => failure as Error
		);
		expect(second).toBeInstanceOf(Error);
		expect(String(second)).toMatch(/exited \(78\)/);
		expect(String(second)).toMatch(/another Causeway server is already using the database/);
		// The first one is untouched.
		expect((await fetch(`${first.baseURL}/healthz`)).status).toBe(200);
	} finally {
		await stopServer(first);
	}
});
