/**
 * Small pieces every JSON endpoint needs: read and validate a body (400 with a message, never a
 * 5xx), resolve the join code in the URL, and limit how often one address may guess codes.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { env } from '$env/dynamic/private';
import { normalizeJoinCode } from './auth';
import { identify, loadSession, type LoadedSession } from './classroom';
import { createRateLimiter } from './rate-limit';

/** Failed look-ups of a join code allowed per address per minute before 429. */
const CODE_GUESSES_PER_MINUTE =
	Number(env.JOIN_GUESSES_PER_MINUTE) > 0 ? Number(env.JOIN_GUESSES_PER_MINUTE) : 20;
const codeGuesses = createRateLimiter(CODE_GUESSES_PER_MINUTE, 60_000);

/**
 * The origin people reach this server at. With ORIGIN set (behind a proxy), the configured one;
 * otherwise the request's host over plain http, because adapter-node itself serves no TLS.
 */
export function publicOrigin(url: URL): string {
	return env.ORIGIN ? url.origin : `http://${url.host}`;
}

/** Whether cookies should be Secure: only when people reach the server over https. */
export function secureCookies(url: URL): boolean {
	return publicOrigin(url).startsWith('https:');
}

/** Reads a JSON body and validates it; any problem is a 400 that says what is wrong. */
export async function readBody<S extends v.GenericSchema>(
	request: Request,
	schema: S
): Promise<v.InferOutput<S>> {
	let text: string;
	try {
		text = await request.text();
	} catch (failure) {
		// adapter-node refuses bodies over BODY_SIZE_LIMIT while they stream in.
		if ((failure as { status?: number }).status === 413) error(413, 'The body is too large.');
		throw failure;
	}
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		error(400, 'The body must be JSON.');
	}
	const parsed = v.safeParse(schema, body);
	if (!parsed.success) {
		const issue = parsed.issues[0];
		const path = v.getDotPath(issue);
		error(400, path ? `${path}: ${issue.message}` : issue.message);
	}
	return parsed.output;
}

/**
 * The session with the join code `input` (as typed: any case, spaces or dashes). An unknown code
 * counts against the caller's address, and an address that has guessed too many gets 429 until
 * its minute is over.
 */
export async function sessionByCode(event: RequestEvent, input: string): Promise<LoadedSession> {
	const address = event.getClientAddress();
	const code = normalizeJoinCode(input);
	if (codeGuesses.blocked(address)) {
		// A blocked address learns nothing about any code, except that a caller holding a token
		// for the session (a student already in it, behind the same school address) carries on.
		const session = code ? await loadSession(code).catch(() => undefined) : undefined;
		const caller = session ? await identify(event, session) : undefined;
		if (session && (caller?.host || caller?.participant)) return session;
		error(429, 'Too many wrong join codes from this address; wait a minute.');
	}
	try {
		if (!code) error(404, 'That is not a join code.');
		return await loadSession(code);
	} catch (failure) {
		if (v.is(v.object({ status: v.literal(404) }), failure)) codeGuesses.hit(address);
		throw failure;
	}
}

/** The session named by the `[code]` in the URL. */
export function sessionFromUrl(event: RequestEvent): Promise<LoadedSession> {
	return sessionByCode(event, event.params.code ?? '');
}

/** The session named in the URL, for its host only: anyone else gets a 403 that says why. */
export async function hostedSessionFromUrl(event: RequestEvent): Promise<LoadedSession> {
	const session = await sessionFromUrl(event);
	if (!(await identify(event, session)).host) {
		error(
			403,
			`This browser is not the host of session ${session.row.code}. Open the host link on the device that started it.`
		);
	}
	return session;
}
