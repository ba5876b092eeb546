/**
 * Puts a response into words, for feedback ("the answer was …") and the summary ("you said …").
 * Pure, and total: a response of the wrong shape is described as such, never thrown on.
 */
import type { Question } from '$lib/content/pack';
import type { Source } from '$lib/content/schema';
import { gradeResponse } from '$lib/grading/score';
import { kindOf } from '$lib/questions/registry';

/** The response in words, using option texts and source names rather than ids. */
export function describeResponse(
	question: Question,
	response: unknown,
	sources: readonly Source[]
): string {
	const grade = gradeResponse(question, response);
	if (!grade.valid) return 'no valid answer';
	return kindOf(question).describe(question, response, sources);
}

/**
 * A response the learner gave and the grader took, in words, from the question as they were shown
 * it: no answer key is read, so it also serves a server-graded question not yet revealed.
 */
export function describeGiven(
	question: Question,
	response: unknown,
	sources: readonly Source[]
): string {
	return kindOf(question).describe(question, response, sources);
}

/** The question's own answer in words. */
export function describeAnswer(question: Question, sources: readonly Source[]): string {
	return describeResponse(question, question.answer, sources);
}

export { quoted } from '$lib/content/text';
