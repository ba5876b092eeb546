import { json } from '@sveltejs/kit';
import { hostedSession } from '$lib/server/guard';
import { sessionResults } from '$lib/server/results';
import type { RequestHandler } from './$types';

/** Every participant with each answer and totals: for the host only. */
export const GET: RequestHandler = async (event) => {
	const session = await hostedSession(event, 'see its results');
	return json(await sessionResults(session), { headers: { 'cache-control': 'no-store' } });
};
