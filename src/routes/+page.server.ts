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
			title: pack.title,
			summary: pack.summary,
			links: pack.steps.map((step) => ({ id: step.id, title: step.title })),
			questions,
			minutes: estimateMinutes(questions, pack.steps.length)
		};
	})
});
