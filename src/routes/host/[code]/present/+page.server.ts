import { leaders, presenterView, shortLabel } from '$lib/classroom/presenter';
import { questionsOf } from '$lib/content/pack';
import { describeAnswer } from '$lib/journey/describe';
import { hostedPage } from '$lib/server/guard';
import { hostBasics } from '$lib/server/host-view';
import { dashboardOf } from '$lib/server/live-dashboard';
import type { PageServerLoad } from './$types';
import { isScenario, type ScenarioQuestion } from '$lib/questions/scenario/kind';

/** Passages quoted shortly enough to list three scenarios' worth on one screen. */
const PASSAGE_CHARACTERS = 70;

/** For each scenario, the passages that support it and those that cut against it, shortened. */
function scenarioAnswer(question: ScenarioQuestion) {
	const passage = (id: string) =>
		shortLabel(question.passages.find((p) => p.id === id)?.text ?? id, PASSAGE_CHARACTERS);
	return question.scenarios.map((s) => ({
		id: s.id,
		title: s.title,
		supports: s.supports.map(passage),
		against: s.against.map(passage)
	}));
}

/**
 * The projector's page. It gets the presenter's filtered view, never the host's dashboard: what
 * is sent here ends up in the page, and before the reveal the page must hold no answer at all.
 */
export const load: PageServerLoad = async (event) => {
	const session = await hostedPage(event);
	const basics = hostBasics(event, session);
	const dashboard = await dashboardOf(session);
	const view = presenterView(dashboard, basics.pacing);
	const question = view.current?.revealed
		? questionsOf(session.pack).find((q) => q.id === view.current?.questionId)
		: undefined;
	return {
		...basics,
		// Drawn only in the lobby, which a running session never returns to.
		qrSvg: view.status === 'lobby' ? basics.qrSvg : null,
		view,
		leaders: leaders(dashboard.participants),
		// Only once the host has revealed the question on the wall.
		reveal: question
			? {
					questionId: question.id,
					answerText: describeAnswer(question, basics.sources),
					// A scenario's answer in words quotes every passage in full: too long for a wall.
					scenarios: isScenario(question) ? scenarioAnswer(question) : null,
					explanation: question.explanation,
					evidence: question.evidence
				}
			: null
	};
};
