/**
 * The front door: a participant's answer served straight from Node's request, before SvelteKit.
 *
 * Why: an answer is the request a class sends by the hundred at once, and through SvelteKit it
 * cost twice an empty 404 (a web Request and Response around every one, the body read through a
 * web stream, the hooks and the router: docs/BENCHMARKS.md, session 11). Here the same work
 * (the same session and token look-ups, the same body schema, the same `submitAnswer`) runs
 * without that wrapping.
 *
 * It serves only what it is sure of. Before reading a byte of the body it makes sure that the
 * request is an answer of a participant it knows, from the same site, with a small body of
 * declared length, that takes its refusals in JSON. Anything else (another path, a query string,
 * a host's or a stranger's token, an unknown code, a large or unmeasured body, a proxy's host
 * header, an Accept header to weigh, a failing look-up) is handed to SvelteKit untouched, which
 * serves it as it always has: its refusals, limits and messages are SvelteKit's own, and
 * `tests/front-door.test.ts` checks that both give the same answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isHttpError } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { AnswerBody } from '$lib/classroom/api';
import { bearerOf, normalizeJoinCode, participantCookie } from './auth';
import { submitAnswer } from './classroom';
import { storageFault } from './db';
import { parseBody } from './http';
import { isCrossSite, SECURITY_HEADERS } from './request-policy';
import { loadSession, participantByToken } from './session-store';

/** A request the front door does not serve, handed on as it came. */
export type Decline = () => void;

const ANSWERS = /^\/api\/sessions\/([^/?#]+)\/answers$/;

/**
 * The largest answer body served here. An answer (its id, its question's id and a response: a
 * choice, an order, pairs or picks) is well under 1 kB; a larger one is SvelteKit's, which
 * holds it to BODY_SIZE_LIMIT.
 */
const MAX_BODY_BYTES = 16 * 1024;

/** Answers this process served itself, shown on /healthz. */
let answered = 0;

/** How many answers the front door of this process has served since it started. */
export function frontDoorAnswers(): number {
	return answered;
}

/**
 * Serves `req` if it is a participant's answer the front door is sure of; otherwise calls
 * `decline`, with the request untouched.
 */
export function serveBeforeSvelteKit(
	req: IncomingMessage,
	res: ServerResponse,
	decline: Decline
): void {
	const path = req.method === 'POST' ? ANSWERS.exec(req.url ?? '') : null;
	const code = path ? codeIn(path[1]!) : null;
	if (!code || !repliesInJson(req) || !bodyIsSmall(req) || !sameSite(req)) return decline();
	const token = bearerOf(req.headers.authorization) ?? cookie(req, participantCookie(code));
	if (token === undefined) return decline();
	void answer(req, res, code, token, decline);
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
	answered += 1;
	try {
		const body = parseBody(text, AnswerBody);
		reply(res, 200, await submitAnswer(session, participant, body));
	} catch (failure) {
		if (isHttpError(failure)) return reply(res, failure.status, failure.body);
		const fault = storageFault(failure);
		console.error(`${fault ? 'Storage fault' : 'Error'} on POST ${req.url}:`, failure);
		// As hooks.server.ts says it: a storage fault is a 503 to retry, anything else a bug.
		if (fault) reply(res, 503, { message: fault }, { 'retry-after': '5' });
		else reply(res, 500, { message: 'Internal Error' });
	}
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
 * A body of declared length within MAX_BODY_BYTES, with no BODY_SIZE_LIMIT set: under a limit of
 * its own a deployment's bodies are all SvelteKit's to measure.
 */
function bodyIsSmall(req: IncomingMessage): boolean {
	const length = req.headers['content-length'];
	return (
		length !== undefined &&
		/^\d+$/.test(length) &&
		Number(length) <= MAX_BODY_BYTES &&
		req.headers['transfer-encoding'] === undefined &&
		env.BODY_SIZE_LIMIT === undefined
	);
}

/**
 * Not cross-site, by hooks.server.ts's rule, against the host SvelteKit would see: ORIGIN's when
 * it is set, otherwise the Host header's. Behind a proxy that names the host in a header of its
 * own (HOST_HEADER, PORT_HEADER), every request is SvelteKit's.
 */
function sameSite(req: IncomingMessage): boolean {
	if (env.HOST_HEADER || env.PORT_HEADER) return false;
	const origin = req.headers.origin ?? null;
	let host: string;
	try {
		host = new URL(env.ORIGIN || `https://${req.headers.host}`).host;
	} catch {
		return false;
	}
	const contentType = req.headers['content-type'] ?? null;
	return !isCrossSite({ method: req.method ?? 'GET', origin, contentType, host });
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
