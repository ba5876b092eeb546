import { allPacks } from '$lib/server/content';
import type { PageServerLoad } from './$types';

/** Minutes a learner needs: about a minute a question, half a minute to read each link. */
function estimateMinutes(questions: number, links: number): number {
	return Math.ceil(questions + links / 2);
}

export const load: PageServerLoad = () => ({
	scenarios: allPacks().map((pack) => {
		const questions = pack.steps.reduce((n, step) => n + step.questions.length, 0);
		return {
			id: pack.id,
			// The version and question ids let the page say where a stored journey is.
			version: pack.version,
			title: pack.title,
			summary: pack.summary,
			links: pack.steps.map((step) => ({
				id: step.id,
				title: step.title,
				questionIds: step.questions.map((q) => q.id)
			})),
			questions,
			minutes: estimateMinutes(questions, pack.steps.length)
		};
	})
});
