/** A number, in a unit, within a tolerance. */
import * as v from 'valibot';
import { Text } from '../fields.ts';
import { defineKind, graded, type ContentRules } from '../kind.ts';

/**
 * Tolerance edges included. Decimals such as 2.6 − 2.5 come out a hair over 0.1 in binary floating
 * point, so allow a few units of rounding error at the numbers' scale.
 */
function withinTolerance(response: number, answer: number, tolerance: number): boolean {
	const slack = 4 * Number.EPSILON * Math.max(1, Math.abs(response), Math.abs(answer));
	return Math.abs(response - answer) <= tolerance + slack;
}

export const numeric = defineKind({
	type: 'numeric',
	fields: {
		unit: Text,
		tolerance: v.pipe(v.number('must be a number'), v.minValue(0, 'must not be negative'))
	},
	response: v.pipe(v.number('must be a number'), v.finite('must be a finite number')),
	grade: (question, response) =>
		graded(withinTolerance(response, question.answer, question.tolerance) ? 1 : 0),
	describe: (question, response) => `${response.toLocaleString('en')} ${question.unit}`,
	instruction: (question) => `Your answer, in ${question.unit}`,
	xapi: { interaction: 'numeric' }
});

export const numericContent: ContentRules<typeof numeric> = {
	// A number within the question's own tolerance of itself: nothing to cross-check.
	checkAnswer: () => {}
};
