/**
 * The one grader. The self-study player grades in the browser with it and the classroom server
 * re-grades every answer with it, so a response earns the same credit everywhere. Pure: no DOM,
 * no storage, no clock. Scoring rules are explained in docs/SCORING.md.
 */
import * as v from 'valibot';
import type { Question } from '$lib/content/schema';
import { invalid, type Grade } from '$lib/questions/kind';
import { kindOf } from '$lib/questions/registry';

export type { Grade };
export { gradeScenarioPicks } from '$lib/questions/scenario/kind';

/** Points a question is worth on a first, unhinted try. */
export const MAX_POINTS = 10;
/** Points a hint takes off what the answer earns. */
export const HINT_COST = 3;
/** The most an answer can earn on the retry after a wrong first try. */
export const RETRY_MAX_POINTS = 5;
/** Tries a learner has at one question: the first and one retry. */
export const MAX_ATTEMPTS = 2;

/**
 * Grades `response` against `question` by the rules of its type (src/lib/questions/<type>/). A
 * response of the wrong shape, or one naming an option the question does not have, is an invalid
 * grade with a message, never an exception.
 */
export function gradeResponse(question: Question, response: unknown): Grade {
	const kind = kindOf(question);
	const refused = kind.refuse?.(question, response);
	if (refused) return refused;
	const parsed = v.safeParse(kind.response, response);
	if (!parsed.success) {
		return invalid(`Response to ${question.id} (${question.type}) ${parsed.issues[0].message}.`);
	}
	return kind.grade(question, parsed.output);
}

/** How an answer was reached: which try, and whether a hint was shown. */
export interface AttemptTerms {
	attempt: number;
	hintUsed: boolean;
}

/**
 * Points earned for a credit under the scoring rules: full points on a first try, at most
 * RETRY_MAX_POINTS on the retry, HINT_COST less after a hint, never below zero, whole numbers.
 */
export function pointsFor(credit: number, { attempt, hintUsed }: AttemptTerms): number {
	const cap = (attempt > 1 ? RETRY_MAX_POINTS : MAX_POINTS) - (hintUsed ? HINT_COST : 0);
	return Math.max(0, Math.round(credit * cap));
}
