import { json } from '@sveltejs/kit';
import { allPacks } from '$lib/server/content';
import { databaseAnswers } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** For load balancers and the test suite: is the database answering, which packs are served. */
export const GET: RequestHandler = async () => {
	const database = await databaseAnswers().catch(() => false);
	return json(
		{ ok: database, database, packs: allPacks().map((p) => p.id) },
		{ status: database ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};
