import { error } from '@sveltejs/kit';
import { ANSWER_KEYS_HEADER } from '$lib/content/answer-keys';
import { publicPack } from '$lib/content/public-pack';
import { findPack } from '$lib/server/content';
import { answerKeyMode } from '$lib/server/study';
import type { PageServerLoad } from './$types';

/**
 * In client mode self-study grades in the browser, so the whole pack, answers included, goes to
 * the page, marked so that the service worker keeps it only for a learner studying here. In
 * server mode the page gets the questions without their keys; the server grades.
 */
export const load: PageServerLoad = ({ params, setHeaders }) => {
	const pack = findPack(params.id);
	if (!pack) error(404, `There is no scenario called "${params.id}".`);
	if (answerKeyMode() === 'server') return { pack: publicPack(pack) };
	setHeaders({ [ANSWER_KEYS_HEADER]: 'included' });
	return { pack };
};
