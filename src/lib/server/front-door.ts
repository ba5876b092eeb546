/**
 * The front door: a participant's answers and event stream, and a program's join, served straight
 * from Node's request, before SvelteKit.
 *
 * Why: these are the requests a class sends by the hundred at once, and holds open by the
 * hundred (a join through the API cost 2.7 empty 404s through SvelteKit, and a class's 2,000 at
 * once waited on the framework more than on the join: docs/BENCHMARKS.md, session 13). Through SvelteKit an answer cost twice an empty 404 (a web Request and Response around
 * every one, the body read through a web stream, the hooks and the router), and an open stream
 * held about 16 KB (its Request, Response and web stream, for as long as it is open): see
 * docs/BENCHMARKS.md, session 11. Here the same work (the same session and token look-ups, the
 * same body schema, `submitAnswer`, the hub's streams) runs without that wrapping.
 *
 * It serves only what it is sure of. Before reading a byte of a body it makes sure that the
 * request comes from a participant it knows, who holds no host's or teacher's credentials, or for
 * a join that it carries no credentials at all, to a session that exists, from an address not held
 * back for guessing codes; an answer or a join must also come from the same site, with a small body
 * of declared length, and take its refusals in JSON; a stream must be an HTTP/1.1 GET. (The join
 * page's form is SvelteKit's: its refusals are the page drawn again.) Anything else (another path, a query
 * string, a host's or a stranger's token, an unknown code, a large, unmeasured or untyped body,
 * headers adapter-node would refuse, an Accept header to weigh, a failing look-up) is
 * handed to SvelteKit untouched, which serves it as it always has: its refusals, limits and
 * messages are SvelteKit's own, and `tests/classroom-api.test.ts` checks that both give the same
 * answers. Behind the proxy of docs/DEPLOY.md (ORIGIN, ADDRESS_HEADER, BODY_SIZE_LIMIT set) it
 * serves as it does without one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isHttpError } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { AnswerBody, JoinBody } from '$lib/classroom/api';
import { bearerOf, hostCookie, normalizeJoinCode, participantCookie, TEACHER_COOKIE } from './auth';
import { joinSession, submitAnswer } from './classroom';
import { storageFault } from './db';
import { firstEventsOf } from './first-events';
import { eventStreamTo } from './hub';
import { guessingBlocked, parseBody } from './http';
import { isCrossSite, SECURITY_HEADERS } from './request-policy';
import { loadSession, participantByToken } from './session-store';

/** A request the front door does not serve, handed on as it came. */
export type Decline = () => void;

const ROUTE = /^\/api\/sessions\/([^/?#]+)\/(answers|events|join)$/;

/**
 * The largest body served here. An answer (its id, its question's id and a response: a choice,
 * an order, pairs or picks) is well under 1 kB, a join's nickname far less; a larger one is
 * SvelteKit's, which holds it to BODY_SIZE_LIMIT.
 */
const MAX_BODY_BYTES = 16 * 1024;

/** What the front door of this process has served since it started, shown on /healthz. */
const served = { answers: 0, streams: 0, joins: 0 };

/** How many answers, event streams and joins the front door of this process has served. */
export function frontDoorServed(): Readonly<typeof served> {
	return { ...served };
}

/**
 * Serves `req` if it is a participant's answer or event stream, or a join, that the front door is
 * sure of; otherwise calls `decline`, with the request untouched.
 */
export function serveBeforeSvelteKit(
	req: IncomingMessage,
	res: ServerResponse,
	decline: Decline
): void {
	const route = ROUTE.exec(req.url ?? '');
	const code = route ? codeIn(route[1]!) : null;
	if (code && route![2] === 'join') return serveJoin(req, res, code, decline);
	const token = code ? participantToken(req, code) : undefined;
	// Where adapter-node would answer 400 (no host it can read, an address header missing behind
	// the proxy), SvelteKit answers.
	const url = token !== undefined ? requestUrl(req) : undefined;
	if (!code || token === undefined || !url || addressOf(req) === undefined) return decline();
	if (route![2] === 'answers' && req.method === 'POST') {
		if (!repliesInJson(req) || !bodyIsSmall(req) || !sameSite(req, url.host)) return decline();
		void answer(req, res, code, token, decline);
	} else if (route![2] === 'events' && req.method === 'GET') {
		// Node frames an HTTP/1.1 body as chunks, which the hub writes.
		if (req.httpVersion !== '1.1') return decline();
		void stream(req, res, code, token, decline);
	} else decline();
}

/**
 * A join through the API, from a caller who carries no credentials of any kind (whoever carries
 * one is served by SvelteKit, which weighs them), to a session that exists (an unknown code is
 * SvelteKit's, which counts it as a guess), from an address the guessing limit does not hold back
 * (SvelteKit says so).
 */
function serveJoin(req: IncomingMessage, res: ServerResponse, code: string, decline: Decline) {
	const url = req.method === 'POST' && !carriesCredentials(req, code) ? requestUrl(req) : undefined;
	const address = url ? addressOf(req) : undefined;
	if (!url || address === undefined) return decline();
	if (!repliesInJson(req) || !bodyIsSmall(req) || !sameSite(req, url.host)) return decline();
	void join(req, res, code, address, decline);
}

async function join(
	req: IncomingMessage,
	res: ServerResponse,
	code: string,
	address: string,
	decline: Decline
): Promise<void> {
	let session;
	try {
		session = await loadSession(code);
		if (await guessingBlocked(address)) return decline();
	} catch {
		return decline();
	}
	const text = await bodyOf(req);
	if (text === undefined) return;
	served.joins += 1;
	await replyWith(req, res, 201, async () => {
		const { nickname } = parseBody(text, JoinBody);
		const { participantId, participantToken } = await joinSession(session, nickname);
		return { participantId, participantToken };
	});
}

async function answer(
	req: IncomingMessage,
	res: ServerResponse,
	code: string,
	token: string,
	decline: Decline
): Promise<void> {
	let session;
	let participant;
	try {
		session = await loadSession(code);
		participant = await participantByToken(code, token);
	} catch {
		// An unknown or deleted session, or a database fault: SvelteKit says which.
		return decline();
	}
	if (!participant) return decline();
	const text = await bodyOf(req);
	// The client went away while sending: nobody is left to answer.
	if (text === undefined) return;
	served.answers += 1;
	await replyWith(req, res, 200, () =>
		submitAnswer(session, participant, parseBody(text, AnswerBody))
	);
}

/**
 * Replies `status` with what `work` gives, or with the refusal or fault it throws, as SvelteKit's
 * route and hooks would have.
 */
async function replyWith(
	req: IncomingMessage,
	res: ServerResponse,
	status: number,
	work: () => Promise<unknown>
): Promise<void> {
	try {
		reply(res, status, await work());
	} catch (failure) {
		if (isHttpError(failure)) return reply(res, failure.status, failure.body);
		const fault = storageFault(failure);
		console.error(`${fault ? 'Storage fault' : 'Error'} on POST ${req.url}:`, failure);
		// As hooks.server.ts says it: a storage fault is a 503 to retry, anything else a bug.
		if (fault) reply(res, 503, { message: fault }, { 'retry-after': '5' });
		else reply(res, 500, { message: 'Internal Error' });
	}
}

async function stream(
	req: IncomingMessage,
	res: ServerResponse,
	code: string,
	token: string,
	decline: Decline
): Promise<void> {
	let participant;
	try {
		// A host's token is no participant's: it finds nobody, and the stream is SvelteKit's.
		await loadSession(code);
		participant = await participantByToken(code, token);
	} catch {
		return decline();
	}
	const address = addressOf(req);
	if (!participant || address === undefined) return decline();
	served.streams += 1;
	const reader = { role: 'participant' as const, participantId: participant.id };
	eventStreamTo(res, code, reader, firstEventsOf(code, false), address, SECURITY_HEADERS);
}

/**
 * The token of a caller who can only be a participant of `code`: a bearer token, or the
 * session's participant cookie. A teacher's cookie, or the host's cookie without a bearer token,
 * could make the caller the session's host: undefined then, as without a token.
 */
function participantToken(req: IncomingMessage, code: string): string | undefined {
	if (cookie(req, TEACHER_COOKIE) !== undefined) return undefined;
	const bearer = bearerOf(req.headers.authorization);
	if (bearer !== undefined) return bearer;
	if (cookie(req, hostCookie(code)) !== undefined) return undefined;
	return cookie(req, participantCookie(code));
}

/**
 * Whether the request carries anything that could be a token of session `code` (what
 * `carriesToken` in caller.ts asks, and more: any Authorization header, and a cookie of one of
 * those names however SvelteKit would read its value). Such a caller may be its host or one of its
 * participants already, which SvelteKit's route weighs.
 */
function carriesCredentials(req: IncomingMessage, code: string): boolean {
	if (req.headers.authorization !== undefined) return true;
	const names = new Set([TEACHER_COOKIE, hostCookie(code), participantCookie(code)]);
	return (req.headers.cookie ?? '')
		.split(';')
		.some((pair) => names.has(pair.split('=')[0]!.trim()));
}

/** The join code in the path as SvelteKit's `params.code` would give it, normalized. */
function codeIn(segment: string): string | null {
	try {
		return normalizeJoinCode(decodeURIComponent(segment));
	} catch {
		return null;
	}
}

/**
 * Whether SvelteKit would refuse this request in JSON: it negotiates the Accept header, and a
 * request without one gets its refusals as an HTML page. Only the two plain values are taken
 * here (a browser's `fetch` sends the first); SvelteKit weighs any other.
 */
function repliesInJson(req: IncomingMessage): boolean {
	const accept = req.headers.accept;
	return accept === '*/*' || accept === 'application/json';
}

/**
 * A JSON body of declared length within MAX_BODY_BYTES and within BODY_SIZE_LIMIT, read as
 * adapter-node reads it (512K unless set; bytes, or a number ending in K, M or G). adapter-node
 * gives SvelteKit no body at all without a Content-Type, which SvelteKit's route refuses: such a
 * request is SvelteKit's too.
 */
function bodyIsSmall(req: IncomingMessage): boolean {
	const length = req.headers['content-length'];
	const setting = env.BODY_SIZE_LIMIT ?? '512K';
	const multiplier = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[setting.slice(-1).toUpperCase()];
	const limit = Number(multiplier ? setting.slice(0, -1) : setting) * (multiplier ?? 1);
	return (
		Boolean(req.headers['content-type']) &&
		length !== undefined &&
		/^\d+$/.test(length) &&
		Number(length) <= Math.min(MAX_BODY_BYTES, limit) &&
		req.headers['transfer-encoding'] === undefined
	);
}

/**
 * The request's URL as adapter-node builds it for SvelteKit: on ORIGIN when it is set, otherwise
 * on the protocol, host and port its headers give (PROTOCOL_HEADER, HOST_HEADER or Host,
 * PORT_HEADER). Undefined where adapter-node would answer 400 instead.
 */
function requestUrl(req: IncomingMessage): URL | undefined {
	try {
		return new URL(
			`${env.ORIGIN ? new URL(env.ORIGIN.trim()).origin : headerOrigin(req)}${req.url}`
		);
	} catch {
		return undefined;
	}
}

/** adapter-node's origin from the request's headers; throws where it throws. */
function headerOrigin(req: IncomingMessage): string {
	const header = (setting: string | undefined) => {
		const value = setting ? req.headers[setting.toLowerCase()] : undefined;
		if (Array.isArray(value)) throw new Error('more than one value');
		return value;
	};
	const protocol = decodeURIComponent(header(env.PROTOCOL_HEADER) || 'https');
	// As adapter-node guards it: a protocol with a colon could carry a host of its own.
	if (protocol.includes(':')) throw new Error('a protocol header with a colon');
	const host = header(env.HOST_HEADER) || req.headers.host;
	if (!host) throw new Error('no host');
	const port = header(env.PORT_HEADER);
	return port ? `${protocol}://${host}:${port}` : `${protocol}://${host}`;
}

/** Not cross-site, by hooks.server.ts's rule, against the host of SvelteKit's URL. */
function sameSite(req: IncomingMessage, host: string): boolean {
	const origin = req.headers.origin ?? null;
	const contentType = req.headers['content-type'] ?? null;
	return !isCrossSite({ method: req.method ?? 'GET', origin, contentType, host });
}

/**
 * The caller's address as adapter-node's `getClientAddress` gives it: the socket's, or behind a
 * proxy the one ADDRESS_HEADER names (for X-Forwarded-For, the entry XFF_DEPTH from the right).
 * Undefined where adapter-node would throw (the header missing, too few entries): SvelteKit then
 * answers the 400 that says why.
 */
function addressOf(req: IncomingMessage): string | undefined {
	const header = env.ADDRESS_HEADER?.toLowerCase();
	if (!header) return req.socket.remoteAddress;
	const value = req.headers[header];
	if (typeof value !== 'string' || value === '') return undefined;
	if (header !== 'x-forwarded-for') return value;
	const depth = Number.parseInt(env.XFF_DEPTH ?? '1');
	const addresses = value.split(',');
	if (!(depth >= 1) || depth > addresses.length) return undefined;
	return addresses[addresses.length - depth]!.trim();
}

/** The value of cookie `name` as SvelteKit's `cookies.get` reads it (the first one, decoded). */
function cookie(req: IncomingMessage, name: string): string | undefined {
	for (const pair of req.headers.cookie?.split(';') ?? []) {
		const equals = pair.indexOf('=');
		if (equals === -1 || pair.slice(0, equals).trim() !== name) continue;
		let value = pair.slice(equals + 1).trim();
		if (value.length > 1 && value.startsWith('"') && value.endsWith('"'))
			value = value.slice(1, -1);
		try {
			return decodeURIComponent(value);
		} catch {
			return value;
		}
	}
	return undefined;
}

/** The body as text (UTF-8, a byte-order mark dropped, as `Request.text()` does), or undefined. */
function bodyOf(req: IncomingMessage): Promise<string | undefined> {
	return new Promise((resolve) => {
		// Gone while its session was looked up: its events are over.
		if (req.destroyed) return resolve(undefined);
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(new TextDecoder().decode(Buffer.concat(chunks))));
		req.on('error', () => resolve(undefined));
		req.on('close', () => {
			if (!req.complete) resolve(undefined);
		});
	});
}

function reply(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {}
): void {
	const json = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(json),
		...SECURITY_HEADERS,
		...headers
	});
	res.end(json);
}

/** Where `node build` (adapter/entry.js) finds the front door once the server has started. */
export const FRONT_DOOR = Symbol.for('causeway.front-door');

/** Makes the front door known to `node build`'s entry (SvelteKit's bundle exports nothing to it). */
export function openFrontDoor(): void {
	(globalThis as Record<symbol, unknown>)[FRONT_DOOR] = serveBeforeSvelteKit;
}
