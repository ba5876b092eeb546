import { loadProjection } from '$lib/questions/projections';
import type { PageLoad } from './$types';

/**
 * The open question's projected form, loaded before the page is drawn (on the server) and before
 * it hydrates (in the browser): the options are then in the first paint and stay put, rather than
 * appearing a moment later and shrinking the text fitted to the screen.
 */
export const load: PageLoad = async ({ data }) => {
	const current = data.view.current;
	const question = data.questions.find((q) => q.id === current?.questionId);
	if (question && !current?.revealed) await loadProjection(question);
	return data;
};
