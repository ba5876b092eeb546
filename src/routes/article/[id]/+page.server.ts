import { error } from '@sveltejs/kit';
import { findPack } from '$lib/server/content';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const pack = findPack(params.id);
	if (!pack) error(404, `There is no scenario called "${params.id}".`);
	return {
		id: pack.id,
		article: pack.article,
		links: pack.steps.map((step) => ({ id: step.id, title: step.title }))
	};
};
