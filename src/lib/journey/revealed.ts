/**
 * Server-graded self-study: the pack as far as the server has revealed it. The player's
 * components take a whole `Pack`; a question the learner has finished is its whole self (key
 * included) and a question not yet finished is its public self, with the hint once asked for and
 * each scenario's passages once checked. The components read a key only after an answer (the
 * feedback, the review, the summary, a revisited link's answered questions), which is exactly when
 * the server has revealed it, so the one cast below never hands them a key they lack.
 */
import type { Pack, Question } from '$lib/content/pack';
import type { PublicPack, StudyQuestion } from '$lib/content/public-pack';
import type { QuestionKeys } from './journey.machine';
import { scenario } from '$lib/questions/scenario/kind';

function revealedQuestion(question: StudyQuestion, keys: QuestionKeys | undefined): Question {
	if (keys?.question) return keys.question;
	const shown: StudyQuestion & { hint?: string } = { ...question, hint: keys?.hint };
	if (shown.type === scenario.type && keys?.scenarios) {
		const revealed = keys.scenarios;
		shown.scenarios = shown.scenarios.map((s) => ({ ...s, ...revealed[s.id] }));
	}
	return shown as unknown as Question;
}

/** The public pack with everything `keys` reveals merged in. */
export function revealedPack(pack: PublicPack, keys: Readonly<Record<string, QuestionKeys>>): Pack {
	const anchors = Object.assign({}, pack.anchors, ...Object.values(keys).map((k) => k.anchors));
	return {
		...pack,
		anchors,
		steps: pack.steps.map((step) => ({
			...step,
			questions: step.questions.map((q) => revealedQuestion(q, keys[q.id]))
		}))
	};
}
