/**
 * Small pieces every JSON endpoint needs: read and validate a body (400 with a message, never a
 * 5xx), resolve the join code in the URL, and limit how often one address may guess codes or
 * create sessions. Who may do what with a session is `guard.ts`'s; origins and cookies `origin.ts`'s.
 */
import { error, json, type RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { env } from '$env/dynamic/private';
import { normalizeJoinCode } from './auth';
import { carriesToken, identify } from './caller';
import { DEFAULT_SESSIONS_PER_HOUR, positiveSetting } from './config';
import { clientAddress } from './origin';
import { sharedLimit } from './shared-limit';
import { loadSession, type LoadedSession } from './session-store';

/**
 * Failed look-ups of a join code allowed per address per minute before 429, counted across every
 * server process of the deployment.
 */
const CODE_GUESSES_PER_MINUTE = positiveSetting(env.JOIN_GUESSES_PER_MINUTE, 20);
const codeGuesses = sharedLimit('guess', CODE_GUESSES_PER_MINUTE, 60_000);

const SESSIONS_PER_HOUR = positiveSetting(
	env.SESSIONS_PER_HOUR_PER_ADDRESS,
	DEFAULT_SESSIONS_PER_HOUR
);
const sessionCreations = sharedLimit('create', SESSIONS_PER_HOUR, 60 * 60_000);

/**
 * Counts one session created from the caller's address. Over the hourly limit: the 429 to send,
 * with Retry-After in seconds and the same words in its message; otherwise undefined.
 */
export async function sessionCreationRefusal(event: RequestEvent): Promise<Response | undefined> {
	const address = clientAddress(event);
	if (await sessionCreations.hit(address)) return undefined;
	const seconds = Math.ceil((await sessionCreations.retryAfterMs(address)) / 1000);
	const minutes = Math.ceil(seconds / 60);
	return json(
		{
			message: `Too many sessions were started from this address in the last hour; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
		},
		{ status: 429, headers: { 'retry-after': String(seconds) } }
	);
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
	return parseBody(text, schema);
}

/** A body's text as JSON that `schema` validates; any problem is a 400 that says what is wrong. */
export function parseBody<S extends v.GenericSchema>(text: string, schema: S): v.InferOutput<S> {
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
 * its minute is over. A caller holding a token of the session (a student already in it, behind
 * the same school address as a guesser) carries on all the same, and is served without asking
 * the limit at all: on PostgreSQL that spares every answer a round trip. A deleted session's code
 * is not unknown: it answers 410 to anyone and never counts, so a class whose session was deleted
 * does not lock its school's address out of joining.
 */
export async function sessionByCode(event: RequestEvent, input: string): Promise<LoadedSession> {
	const address = clientAddress(event);
	const code = normalizeJoinCode(input);
	let session: LoadedSession;
	try {
		if (!code) error(404, 'That is not a join code.');
		session = await loadSession(code);
	} catch (failure) {
		if (!v.is(v.object({ status: v.literal(404) }), failure)) throw failure;
		// A blocked address learns nothing about any code, and is not counted further.
		if (await codeGuesses.blocked(address)) tooManyGuesses();
		await codeGuesses.hit(address);
		throw failure;
	}
	if (carriesToken(event, session.row.code)) {
		const caller = await identify(event, session);
		if (caller.host || caller.participant) return session;
	}
	if (await codeGuesses.blocked(address)) tooManyGuesses();
	return session;
}

/** Whether `address` has guessed too many join codes to be served this minute. */
export function guessingBlocked(address: string): Promise<boolean> {
	return codeGuesses.blocked(address);
}

function tooManyGuesses(): never {
	error(429, 'Too many wrong join codes from this address; wait a minute.');
}

/** The session named by the `[code]` in the URL. */
export function sessionFromUrl(event: RequestEvent): Promise<LoadedSession> {
	return sessionByCode(event, event.params.code ?? '');
}
