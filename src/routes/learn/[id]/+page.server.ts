import { error } from '@sveltejs/kit';
import { findPack } from '$lib/server/content';
import type { PageServerLoad } from './$types';

// Self-study grades in the browser, so the whole pack, answers included, goes to the page.
export const load: PageServerLoad = ({ params }) => {
	const pack = findPack(params.id);
	if (!pack) error(404, `There is no scenario called "${params.id}".`);
	return { pack };
};
