import { error, json } from '@sveltejs/kit';
import { identify, sessionResults } from '$lib/server/classroom';
import { sessionFromUrl } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Every participant with each answer and totals: for the host only. */
export const GET: RequestHandler = async (event) => {
	const session = await sessionFromUrl(event);
	const caller = await identify(event, session);
	if (!caller.host)
		error(caller.participant ? 403 : 401, 'Only the host of this session can see its results.');
	return json(await sessionResults(session), { headers: { 'cache-control': 'no-store' } });
};
