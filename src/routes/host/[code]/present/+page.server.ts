import { leaders, presenterView } from '$lib/classroom/presenter';
import { questionsOf } from '$lib/content/pack';
import { describeAnswer } from '$lib/journey/describe';
import { dashboardOf } from '$lib/server/classroom';
import { hostBasics } from '$lib/server/host-view';
import { hostedSessionFromUrl } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/**
 * The projector's page. It gets the presenter's filtered view, never the host's dashboard: what
 * is sent here ends up in the page, and before the reveal the page must hold no answer at all.
 */
export const load: PageServerLoad = async (event) => {
	const session = await hostedSessionFromUrl(event);
	const basics = hostBasics(event, session);
	const dashboard = dashboardOf(session);
	const view = presenterView(dashboard, basics.pacing);
	const question = view.current?.revealed
		? questionsOf(session.pack).find((q) => q.id === view.current?.questionId)
		: undefined;
	return {
		...basics,
		view,
		leaders: leaders(dashboard.participants),
		// Only once the host has revealed the question on the wall.
		reveal: question
			? {
					questionId: question.id,
					answerText: describeAnswer(question, basics.sources),
					explanation: question.explanation,
					evidence: question.evidence
				}
			: null
	};
};
