/**
 * Who is calling, as far as one session is concerned: its host (by the host token, or by the key
 * of the teacher who hosts it) and/or one of its participants (by their token), from a bearer
 * token or the session's cookies.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { ParticipantRow } from './db';
import { bearerToken, hostCookie, participantCookie, TEACHER_COOKIE, tokenMatches } from './auth';
import { participantByToken, type LoadedSession } from './session-store';
import { teacherOf } from './teachers';

/** Who is calling, as far as this session is concerned. */
export interface Caller {
	host: boolean;
	participant: ParticipantRow | null;
}

/** Whether the request carries any token this session could know: a bearer or its cookies. */
export function carriesToken(event: Pick<RequestEvent, 'request' | 'cookies'>, code: string) {
	return (
		bearerToken(event.request) !== undefined ||
		event.cookies.get(hostCookie(code)) !== undefined ||
		event.cookies.get(participantCookie(code)) !== undefined ||
		event.cookies.get(TEACHER_COOKIE) !== undefined
	);
}

/** Callers already resolved, per request and session: a request asks more than once. */
const resolved = new WeakMap<RequestEvent, Map<string, Promise<Caller>>>();

/** Resolves the caller from a bearer token or the session's cookies (once per request). */
export function identify(event: RequestEvent, session: LoadedSession): Promise<Caller> {
	let bySession = resolved.get(event);
	if (!bySession) resolved.set(event, (bySession = new Map()));
	const key = `${session.row.code}:${session.row.host_token_hash}`;
	let caller = bySession.get(key);
	if (!caller) bySession.set(key, (caller = resolve(event, session)));
	return caller;
}

async function resolve(event: RequestEvent, session: LoadedSession): Promise<Caller> {
	const { code, host_token_hash } = session.row;
	const bearer = bearerToken(event.request);
	const hostToken = bearer ?? event.cookies.get(hostCookie(code));
	const participantToken = bearer ?? event.cookies.get(participantCookie(code));
	const participant = participantToken ? await participantByToken(code, participantToken) : null;
	const byToken = hostToken !== undefined && tokenMatches(hostToken, host_token_hash);
	const byTeacher =
		!byToken &&
		session.row.teacher_id !== null &&
		(await teacherOf(event))?.id === session.row.teacher_id;
	return { host: byToken || byTeacher, participant };
}
