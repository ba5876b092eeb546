/**
 * What the front door takes (answers, event streams, joins) and what it hands to SvelteKit, on a real
 * Node server and a real database, with SvelteKit stood in for by a handler that records what
 * reached it. That the replies it gives are SvelteKit's own is checked against the built server, in
 * tests/classroom-api.test.ts ("the front door").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { env } from '$env/dynamic/private';
import { questionsOf } from '$lib/content/pack';
import { controlSession, createSession, joinSession } from './classroom';
import { allPacks } from './content';
import { closeDatabase, openDatabase } from './db';
import { frontDoorServed, serveBeforeSvelteKit } from './front-door';
import { openStreamsFrom } from './hub';
import { sessionFromUrl } from './http';
import { loadSession } from './session-store';

let dir: string;
let server: Server | undefined;
let port: number;
let code: string;
let hostToken: string;
let participantToken: string;
/** The requests handed to "SvelteKit", in order, with the body it could still read. */
const declined: Array<{ url: string; body: string }> = [];

const pack = allPacks()[0]!;
const question = questionsOf(pack)[0]!;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'causeway-front-door-'));
	await openDatabase({ kind: 'sqlite', path: join(dir, 'db.sqlite') });
	({ code, hostToken } = await createSession({ scenario: pack.id, mode: 'self-paced' }));
	await controlSession(await loadSession(code), 'start');
	({ participantToken } = await joinSession(await loadSession(code), 'Ana'));
	const listening = createServer((req, res) =>
		serveBeforeSvelteKit(req, res, () => {
			let body = '';
			req.on('data', (chunk: Buffer) => (body += chunk.toString()));
			req.on('end', () => {
				declined.push({ url: req.url ?? '', body });
				res.writeHead(599).end();
			});
		})
	);
	await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
	server = listening;
	port = (listening.address() as AddressInfo).port;
});

afterAll(async () => {
	await new Promise((resolve) => server?.close(resolve));
	await closeDatabase();
	rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
	declined.length = 0;
	for (const name of [
		'BODY_SIZE_LIMIT',
		'HOST_HEADER',
		'PORT_HEADER',
		'ORIGIN',
		'ADDRESS_HEADER',
		'XFF_DEPTH',
		'PROTOCOL_HEADER'
	])
		delete env[name];
});

interface Sent {
	path?: string;
	method?: string;
	/** Added to the defaults; null leaves a default header out. */
	headers?: Record<string, string | null>;
	body?: string;
	/** Sent as chunks, without a Content-Length. */
	chunked?: boolean;
}

/** Sends one request; resolves with its status and body. */
function send({ path, method = 'POST', headers = {}, body, chunked = false }: Sent) {
	const payload =
		body ??
		JSON.stringify({
			answerId: crypto.randomUUID(),
			questionId: question.id,
			response: question.answer
		});
	return new Promise<{
		status: number;
		body: string;
		headers: Record<string, unknown>;
		sent: string;
	}>((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port,
				// A connection per request: a refused body left unread must not reach the next.
				agent: false,
				method,
				path: path ?? `/api/sessions/${code}/answers`,
				headers: Object.fromEntries(
					Object.entries({
						accept: '*/*',
						'content-type': 'application/json',
						authorization: `Bearer ${participantToken}`,
						...(chunked || method === 'GET'
							? {}
							: { 'content-length': String(Buffer.byteLength(payload)) }),
						...headers
					}).filter(([, value]) => value !== null)
				)
			},
			(res) => {
				let text = '';
				res.on('data', (chunk: Buffer) => (text += chunk.toString()));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						body: text,
						headers: res.headers,
						sent: method === 'GET' ? '' : payload
					})
				);
			}
		);
		req.on('error', reject);
		if (method !== 'GET') req.write(payload);
		req.end();
	});
}

/** Expects the request to reach "SvelteKit" and not the front door. */
async function expectDeclined(sent: Sent): Promise<void> {
	const what = JSON.stringify(sent).slice(0, 120);
	const before = frontDoorServed();
	const reply = await send(sent);
	expect(reply.status, `${what}: ${reply.body}`).toBe(599);
	expect(declined, what).toHaveLength(1);
	// Untouched: SvelteKit reads the whole body that was sent.
	expect(declined[0]!.body, what).toBe(reply.sent);
	expect(frontDoorServed()).toEqual(before);
}

describe('the front door', () => {
	it('serves a participant`s answer, by bearer token or cookie, with the security headers', async () => {
		const before = frontDoorServed().answers;
		const byBearer = await send({});
		expect(byBearer.status, byBearer.body).toBe(200);
		expect(JSON.parse(byBearer.body)).toMatchObject({ questionId: question.id, correct: true });
		expect(byBearer.headers).toMatchObject({
			'content-type': 'application/json',
			'x-content-type-options': 'nosniff',
			'referrer-policy': 'same-origin'
		});
		const byCookie = await send({
			headers: {
				authorization: '',
				origin: `http://127.0.0.1:${port}`,
				cookie: `other=1; cw_part_${code}=${encodeURIComponent(participantToken)}`
			}
		});
		// Served (already right: a second answer to the question is refused, by the front door).
		expect(byCookie.status, byCookie.body).toBe(409);
		expect(declined).toEqual([]);
		expect(frontDoorServed().answers).toBe(before + 2);
	});

	it('says what is wrong with a body it took, as SvelteKit does', async () => {
		const reply = await send({ body: '{"answerId":' });
		expect(reply.status).toBe(400);
		expect(JSON.parse(reply.body)).toEqual({ message: 'The body must be JSON.' });
		expect(declined).toEqual([]);
	});

	it('hands anything it is not sure of to SvelteKit, its body unread', async () => {
		const cases: Sent[] = [
			{ method: 'GET' },
			{ path: `/api/sessions/${code}/answers?x=1` },
			{ path: `/api/sessions/${code}/join` },
			{ path: '/api/sessions/NOPE/answers' },
			{ path: '/api/sessions/%E0%A4%A/answers' },
			{ headers: { authorization: '' } },
			{ headers: { authorization: `Bearer ${hostToken}` } },
			{ headers: { authorization: 'Bearer not-a-token' } },
			{ headers: { accept: 'text/html' } },
			{ headers: { accept: '' } },
			{ headers: { origin: 'http://elsewhere.example' } },
			{ headers: { origin: 'not a url' } },
			{ headers: { 'content-type': 'text/plain' } },
			{ body: 'x'.repeat(16 * 1024 + 1) },
			{ chunked: true },
			// adapter-node gives SvelteKit no body without a Content-Type.
			{ headers: { 'content-type': '' } }
		];
		for (const sent of cases) {
			declined.length = 0;
			await expectDeclined(sent);
		}
	});

	it('reads BODY_SIZE_LIMIT and the proxy`s headers as adapter-node does', async () => {
		env.BODY_SIZE_LIMIT = '512K';
		expect((await send({})).status).not.toBe(599);
		for (const limit of ['100', '', 'lots']) {
			env.BODY_SIZE_LIMIT = limit;
			declined.length = 0;
			await expectDeclined({});
		}
		delete env.BODY_SIZE_LIMIT;

		env.HOST_HEADER = 'x-forwarded-host';
		env.PORT_HEADER = 'x-forwarded-port';
		env.PROTOCOL_HEADER = 'x-forwarded-proto';
		const proxied = {
			'x-forwarded-host': 'class.example',
			'x-forwarded-port': '8443',
			'x-forwarded-proto': 'https',
			origin: 'https://class.example:8443'
		};
		expect((await send({ headers: proxied })).status).not.toBe(599);
		// Cross-site by the proxy's host; and headers adapter-node refuses with a 400.
		for (const headers of [
			{ ...proxied, origin: `http://127.0.0.1:${port}` },
			{ ...proxied, 'x-forwarded-port': 'eighty' },
			// A protocol that would carry a host of its own, as adapter-node guards against.
			{
				...proxied,
				'x-forwarded-proto': 'http://elsewhere.example#',
				origin: 'http://elsewhere.example'
			}
		]) {
			declined.length = 0;
			await expectDeclined({ headers });
		}
	});

	it('leaves a request without a host it can read to SvelteKit`s 400', async () => {
		const body = JSON.stringify({ answerId: crypto.randomUUID(), questionId: question.id });
		const reply = await new Promise<string>((resolve, reject) => {
			let received = '';
			const socket = connect(port, '127.0.0.1', () =>
				socket.write(
					`POST /api/sessions/${code}/answers HTTP/1.0\r\naccept: */*\r\n` +
						`content-type: application/json\r\nauthorization: Bearer ${participantToken}\r\n` +
						`content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
				)
			);
			socket.on('data', (data) => (received += data.toString()));
			socket.on('close', () => resolve(received));
			socket.on('error', reject);
		});
		expect(reply).toMatch(/^HTTP\/1\.\d 599 /);
		expect(declined).toEqual([{ url: `/api/sessions/${code}/answers`, body }]);
	});

	it('leaves an answer that bypassed the proxy (no ADDRESS_HEADER) to SvelteKit`s 400', async () => {
		env.ADDRESS_HEADER = 'x-forwarded-for';
		expect((await send({ headers: { 'x-forwarded-for': '203.0.113.9' } })).status).not.toBe(599);
		declined.length = 0;
		await expectDeclined({});
	});

	it('compares the Origin with ORIGIN`s host when it is set, as SvelteKit does', async () => {
		env.ORIGIN = 'https://causeway.example.org';
		await expectDeclined({ headers: { origin: `http://127.0.0.1:${port}` } });
		declined.length = 0;
		const reply = await send({ headers: { origin: 'https://causeway.example.org' } });
		expect(reply.status, reply.body).not.toBe(599);
	});

	it('hands an unknown code to SvelteKit, which counts it as a guess', async () => {
		await expectDeclined({ path: '/api/sessions/ABCDEF/answers' });
	});
});

describe('the front door`s joins', () => {
	const joinPath = () => `/api/sessions/${code}/join`;
	/** A join as a program sends it: no token or cookie of any kind. */
	const joining = (nickname: string, extra: Sent = {}): Sent => ({
		path: joinPath(),
		body: JSON.stringify({ nickname }),
		...extra,
		headers: { authorization: null, ...extra.headers }
	});

	it('serves a join from a caller with no credentials: 201 with a working token, refusals in JSON', async () => {
		const before = frontDoorServed().joins;
		const reply = await send(joining('Bea'));
		expect(reply.status, reply.body).toBe(201);
		expect(reply.headers).toMatchObject({
			'content-type': 'application/json',
			'x-content-type-options': 'nosniff'
		});
		const joined = JSON.parse(reply.body) as { participantId: string; participantToken: string };
		expect(Object.keys(joined).sort()).toEqual(['participantId', 'participantToken']);
		// The token is Bea's: her answer is taken.
		const answered = await send({
			headers: { authorization: `Bearer ${joined.participantToken}` }
		});
		expect(answered.status, answered.body).toBe(200);
		// Refusals it took the body for: the nickname taken (any case), a body that is no nickname.
		const taken = await send(joining('BEA'));
		expect(taken.status).toBe(409);
		expect(JSON.parse(taken.body).message).toMatch(/taken/);
		const bad = await send(joining('', { body: '{"nick":1}' }));
		expect(bad.status).toBe(400);
		expect(JSON.parse(bad.body)).toHaveProperty('message');
		expect(declined).toEqual([]);
		expect(frontDoorServed().joins).toBe(before + 3);
	});

	it('hands a join with any credentials, or one it is not sure of, to SvelteKit, its body unread', async () => {
		const cases: Sent[] = [
			joining('C1', { headers: { authorization: 'Bearer not-a-token' } }),
			joining('C2', { headers: { authorization: `Bearer ${hostToken}` } }),
			joining('C3', { headers: { cookie: 'cw_teacher=some-key' } }),
			joining('C4', { headers: { cookie: `a=1; cw_host_${code}=${hostToken}` } }),
			joining('C5', { headers: { cookie: `cw_part_${code}=${participantToken}` } }),
			joining('C6', { path: `${joinPath()}?x=1` }),
			joining('C7', { path: '/api/sessions/ABCDEF/join' }),
			joining('C8', { headers: { origin: 'http://elsewhere.example' } }),
			joining('C9', { headers: { accept: 'text/html' } }),
			joining('C10', { headers: { 'content-type': '' } }),
			joining('C11', { body: JSON.stringify({ nickname: 'x'.repeat(16 * 1024) }) }),
			joining('C12', { chunked: true }),
			{ ...joining('C13'), method: 'GET' }
		];
		for (const sent of cases) {
			declined.length = 0;
			await expectDeclined(sent);
		}
	});

	it('hands a join from an address held back for guessing codes to SvelteKit`s 429', async () => {
		env.ADDRESS_HEADER = 'x-forwarded-for';
		const guesser = '198.51.100.99';
		const from = { 'x-forwarded-for': guesser };
		const joined = await send(joining('D1', { headers: from }));
		expect(joined.status, joined.body).toBe(201);
		// As SvelteKit counts them: unknown codes looked up from that address, until it is blocked.
		const guess = {
			params: { code: 'ZZZZZZ' },
			getClientAddress: () => guesser,
			request: new Request('http://127.0.0.1/'),
			cookies: { get: () => undefined }
		} as unknown as RequestEvent;
		for (let i = 0; i < 25; i++) await sessionFromUrl(guess).catch(() => {});
		declined.length = 0;
		await expectDeclined(joining('D2', { headers: from }));
		// Another address joins as before.
		const other = await send(joining('D3', { headers: { 'x-forwarded-for': '198.51.100.98' } }));
		expect(other.status, other.body).toBe(201);
	});
});

/**
 * Sends a raw GET of the session's events; resolves, with its connection still open, once what
 * came back holds the first state or the connection ended.
 */
function openRawEvents(
	headers: Record<string, string>,
	version = '1.1'
): Promise<{ received: string; socket: Socket }> {
	return new Promise((resolve, reject) => {
		let received = '';
		const socket = connect(port, '127.0.0.1', () => {
			// Closed after the reply: a refusal's connection would otherwise be kept alive.
			const all = { host: `127.0.0.1:${port}`, connection: 'close', ...headers };
			const lines = Object.entries(all).map(([name, value]) => `${name}: ${value}\r\n`);
			socket.write(`GET /api/sessions/${code}/events HTTP/${version}\r\n${lines.join('')}\r\n`);
		});
		socket.on('data', (data) => {
			received += data.toString();
			if (received.includes('event: state')) resolve({ received, socket });
		});
		socket.on('close', () => resolve({ received, socket }));
		socket.on('error', reject);
	});
}

/** What a raw GET of the session's events got back, its connection closed after the first state. */
async function rawEvents(headers: Record<string, string>, version = '1.1'): Promise<string> {
	const { received, socket } = await openRawEvents(headers, version);
	socket.destroy();
	return received;
}

describe('the front door`s event streams', () => {
	it('serves a participant`s stream, by bearer token or cookie: the head, then the first state', async () => {
		const before = frontDoorServed().streams;
		const credentials: Array<Record<string, string>> = [
			{ authorization: `Bearer ${participantToken}` },
			{ cookie: `cw_part_${code}=${participantToken}` }
		];
		for (const headers of credentials) {
			const received = await rawEvents(headers);
			expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
			const head = received.slice(0, received.indexOf('\r\n\r\n') + 2).toLowerCase();
			expect(head).toContain('content-type: text/event-stream; charset=utf-8\r\n');
			expect(head).toContain('transfer-encoding: chunked\r\n');
			expect(head).toContain('x-content-type-options: nosniff\r\n');
			expect(received).toContain('retry: 2000\n\n');
			expect(received).toMatch(/event: state\ndata: \{"status":"running"/);
		}
		expect(declined).toEqual([]);
		expect(frontDoorServed().streams).toBe(before + 2);
	});

	it('hands a host`s, a teacher`s or an HTTP/1.0 stream to SvelteKit', async () => {
		const cases: Array<[Record<string, string>, string?]> = [
			[{ authorization: `Bearer ${hostToken}` }],
			[{ cookie: `cw_host_${code}=${hostToken}; cw_part_${code}=${participantToken}` }],
			[{ authorization: `Bearer ${participantToken}`, cookie: 'cw_teacher=some-key' }],
			[{ authorization: 'Bearer not-a-token' }],
			[{}],
			[{ authorization: `Bearer ${participantToken}` }, '1.0']
		];
		for (const [headers, version] of cases) {
			declined.length = 0;
			const before = frontDoorServed().streams;
			const received = await rawEvents(headers, version);
			expect(received, JSON.stringify(headers)).toMatch(/^HTTP\/1\.\d 599/);
			expect(frontDoorServed().streams).toBe(before);
		}
	});

	it('counts a stream behind a proxy against the address ADDRESS_HEADER names', async () => {
		env.ADDRESS_HEADER = 'x-forwarded-for';
		env.XFF_DEPTH = '1';
		const bearer = { authorization: `Bearer ${participantToken}` };
		const open = await openRawEvents({ ...bearer, 'x-forwarded-for': '203.0.113.9, 198.51.100.7' });
		expect(open.received).toMatch(/^HTTP\/1\.1 200 /);
		// The proxy's entry, not the one the client wrote.
		expect(openStreamsFrom('198.51.100.7')).toBe(1);
		expect(openStreamsFrom('203.0.113.9')).toBe(0);
		open.socket.destroy();
		await expect.poll(() => openStreamsFrom('198.51.100.7')).toBe(0);
		// Where adapter-node would throw (no header; fewer entries than XFF_DEPTH): SvelteKit's 400.
		expect(await rawEvents(bearer)).toMatch(/ 599 /);
		env.XFF_DEPTH = '3';
		expect(await rawEvents({ ...bearer, 'x-forwarded-for': '203.0.113.9' })).toMatch(/ 599 /);
	});
});
