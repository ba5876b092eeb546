/**
 * The one rule for host-only endpoints: the session exists, and the caller is its host (a host
 * token, or the teacher key of the teacher who hosts it). Nobody → 401, a participant → 403.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import { identify, type LoadedSession } from './classroom';
import { sessionFromUrl } from './http';

/** The session of the URL, if the caller hosts it. */
export async function hostedSession(event: RequestEvent, what: string): Promise<LoadedSession> {
	const session = await sessionFromUrl(event);
	const caller = await identify(event, session);
	if (!caller.host)
		error(caller.participant ? 403 : 401, `Only the host of this session can ${what}.`);
	return session;
}
