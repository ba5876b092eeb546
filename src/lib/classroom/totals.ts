/**
 * A participant's totals: the one rule, used by the live dashboard (answer by answer), the
 * results, the report and the CSV (over a participant's stored answers). Pure.
 */
import { MAX_POINTS } from '$lib/grading/score';

/** How far a participant got and how well: answers given, right ones, points earned. */
export interface Totals {
	answered: number;
	correct: number;
	points: number;
}

/** What of an answer counts in the totals. */
export interface Scored {
	correct: boolean;
	points: number;
}

/** A participant's totals before any answer. */
export const noTotals = (): Totals => ({ answered: 0, correct: 0, points: 0 });

/** Counts one more answer into `totals` (in place: the dashboard keeps its totals running). */
export function addToTotals(totals: Totals, answer: Scored): Totals {
	totals.answered += 1;
	totals.correct += answer.correct ? 1 : 0;
	totals.points += answer.points;
	return totals;
}

/** A participant's totals over their answers (one per question, as stored). */
export function totalsOf(answers: Iterable<Scored>): Totals {
	const totals = noTotals();
	for (const answer of answers) addToTotals(totals, answer);
	return totals;
}

/** The most a participant can earn over `questionCount` questions, each worth MAX_POINTS. */
export const maxPointsOver = (questionCount: number): number => questionCount * MAX_POINTS;
