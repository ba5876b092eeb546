/**
 * A question as a learner may see it before answering: no answer, no explanation, no evidence, no
 * hint, and whatever else its type says would give the answer away (a scenario's supporting and
 * opposing passages; items to order in their answer's order).
 */
import { kindOf, type PublicQuestion, type Question } from '../questions/registry.ts';

export type { PublicQuestion };

/** The question without its answer key, as sent to a participant before they answer. */
export function presentQuestion(question: Question): PublicQuestion {
	/* eslint-disable @typescript-eslint/no-unused-vars -- the destructuring drops the secrets */
	const { answer, explanation, evidence, hint, ...rest } = question;
	/* eslint-enable @typescript-eslint/no-unused-vars */
	return kindOf(question).present(rest, answer);
}
