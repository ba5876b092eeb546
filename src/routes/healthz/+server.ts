import { json } from '@sveltejs/kit';
import { allPacks } from '$lib/server/content';
import { databaseAnswers, writeHealth } from '$lib/server/db';
import { frontDoorServed } from '$lib/server/front-door';
import { warmUpDone } from '$lib/server/warm-up';
import type { RequestHandler } from './$types';

/**
 * For load balancers and the test suite: is the database answering and taking writes, which
 * packs are served, and how many answers, event streams and joins this process served before SvelteKit
 * (front-door.ts; the start-up warm-up's answers, counted apart under `warmUp`, included: counts
 * that stay at the warm-up's while a class plays say it never takes them). A server
 * that can read but not write (read-only or full disk) is not well: 503, with the reason.
 */
export const GET: RequestHandler = async () => {
	const database = await databaseAnswers().catch(() => false);
	const writeFault = database ? await writeHealth() : 'The database does not answer.';
	const ok = database && !writeFault;
	return json(
		{
			ok,
			database,
			writable: !writeFault,
			...(writeFault ? { reason: writeFault } : {}),
			packs: allPacks().map((p) => p.id),
			frontDoor: frontDoorServed(),
			warmUp: warmUpDone()
		},
		{ status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};
