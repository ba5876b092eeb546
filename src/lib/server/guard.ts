/**
 * The one rule for what only a session's host may do or see: the session exists, and the caller
 * is its host (a host token, or the teacher key of the teacher who hosts it). Endpoints and the
 * host's pages both ask here; only how a refusal reads differs (an endpoint's caller is a program,
 * a page's a person in a browser).
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import { identify } from './caller';
import { sessionFromUrl } from './http';
import type { LoadedSession } from './session-store';

/** The session of the URL, and who is calling it. */
async function sessionAndCaller(event: RequestEvent) {
	const session = await sessionFromUrl(event);
	return { session, caller: await identify(event, session) };
}

/**
 * The session of the URL, if the caller hosts it; for endpoints. Nobody → 401, a participant →
 * 403, each saying what only the host may `what`.
 */
export async function hostedSession(event: RequestEvent, what: string): Promise<LoadedSession> {
	const { session, caller } = await sessionAndCaller(event);
	if (!caller.host)
		error(caller.participant ? 403 : 401, `Only the host of this session can ${what}.`);
	return session;
}

/**
 * The session of the URL, if the caller hosts it; for the host's pages. Anyone else gets a 403
 * that tells a person what to do: open the host link where the session was started.
 */
export async function hostedPage(event: RequestEvent): Promise<LoadedSession> {
	const { session, caller } = await sessionAndCaller(event);
	if (!caller.host)
		error(
			403,
			`This browser is not the host of session ${session.row.code}. Open the host link on the device that started it.`
		);
	return session;
}
