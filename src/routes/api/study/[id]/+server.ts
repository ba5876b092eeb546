import { error, json } from '@sveltejs/kit';
import { StudyBody } from '$lib/content/study-api';
import { findPack } from '$lib/server/content';
import { readBody } from '$lib/server/http';
import { study } from '$lib/server/study';
import type { RequestHandler } from './$types';

/** Server-graded self-study: one answer, hint, give-up or scenario check (docs/API.md). */
export const POST: RequestHandler = async ({ params, request }) => {
	const pack = findPack(params.id);
	if (!pack) error(404, `There is no scenario called "${params.id}".`);
	return json(study(pack, await readBody(request, StudyBody)), {
		headers: { 'cache-control': 'no-store' }
	});
};
