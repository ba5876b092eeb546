import { json } from '@sveltejs/kit';
import { identify } from '$lib/server/caller';
import { deleteSession } from '$lib/server/classroom';
import { hostedSession } from '$lib/server/guard';
import { sessionFromUrl } from '$lib/server/http';
import { publicOrigin } from '$lib/server/origin';
import { sessionView } from '$lib/server/session-views';
import type { RequestHandler } from './$types';

/** The session as the caller may see it. */
export const GET: RequestHandler = async (event) => {
	const session = await sessionFromUrl(event);
	const caller = await identify(event, session);
	return json(await sessionView(session, caller, publicOrigin(event.url)), {
		headers: { 'cache-control': 'no-store' }
	});
};

/** Deletes the session with every participant and answer (host only). */
export const DELETE: RequestHandler = async (event) => {
	await deleteSession(await hostedSession(event, 'delete it'));
	return new Response(null, { status: 204 });
};
