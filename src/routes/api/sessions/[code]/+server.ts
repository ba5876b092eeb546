import { json } from '@sveltejs/kit';
import { identify, sessionView } from '$lib/server/classroom';
import { publicOrigin, sessionFromUrl } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** The session as the caller may see it. */
export const GET: RequestHandler = async (event) => {
	const session = await sessionFromUrl(event);
	const caller = await identify(event, session);
	return json(await sessionView(session, caller, publicOrigin(event.url)), {
		headers: { 'cache-control': 'no-store' }
	});
};
