/**
 * Who is calling, as far as one session is concerned: its host (by the host token, or by the key
 * of the teacher who hosts it) and/or one of its participants (by their token), from a bearer
 * token or the session's cookies.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { ParticipantRow } from './db';
import { bearerToken, hostCookie, participantCookie, tokenMatches } from './auth';
import { participantByToken, type LoadedSession } from './session-store';
import { teacherOf } from './teachers';

/** Who is calling, as far as this session is concerned. */
export interface Caller {
	host: boolean;
	participant: ParticipantRow | null;
}

/** Resolves the caller from a bearer token or the session's cookies. */
export async function identify(event: RequestEvent, session: LoadedSession): Promise<Caller> {
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
