/**
 * What a journey's answers add up to: points, score, mastery per link and per skill, what was
 * missed. Everything here is derived from the recorded answers on demand, never stored, so the
 * figures cannot drift from the answers they describe.
 */
import type { Pack, Question } from '$lib/content/pack';
import type { Skill } from '$lib/content/schema';
import { MAX_POINTS, pointsFor } from '$lib/grading/score';

/** How sure the learner said they were, asked before feedback. */
export const CONFIDENCE_LEVELS = ['sure', 'think-so', 'guessing'] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];

/** One try at a question, as graded when it was made. */
export interface Attempt {
	response: unknown;
	credit: number;
	confidence?: Confidence;
}

/** Everything the learner did at one question. */
export interface AnswerRecord {
	attempts: Attempt[];
	hintUsed: boolean;
}

/** Answers by question id. */
export type AnswerBook = Record<string, AnswerRecord>;

/** The final outcome of one answered question. */
export interface AnswerOutcome {
	credit: number;
	correct: boolean;
	points: number;
	maxPoints: number;
}

/** The outcome of a question from its last try; undefined while it has no try. */
export function outcomeOf(record: AnswerRecord | undefined): AnswerOutcome | undefined {
	const last = record?.attempts.at(-1);
	if (!record || !last) return undefined;
	return {
		credit: last.credit,
		correct: last.credit === 1,
		points: pointsFor(last.credit, { attempt: record.attempts.length, hintUsed: record.hintUsed }),
		maxPoints: MAX_POINTS
	};
}

/** Points earned out of points possible over a set of questions. */
export interface Tally {
	points: number;
	maxPoints: number;
	answered: number;
	correct: number;
	questions: number;
	/** points / maxPoints, 0 when there is nothing to count. */
	share: number;
}

function tally(questions: readonly Question[], answers: AnswerBook): Tally {
	let points = 0;
	let answered = 0;
	let correct = 0;
	for (const q of questions) {
		const outcome = outcomeOf(answers[q.id]);
		if (!outcome) continue;
		answered += 1;
		points += outcome.points;
		if (outcome.correct) correct += 1;
	}
	const maxPoints = questions.length * MAX_POINTS;
	return {
		points,
		maxPoints,
		answered,
		correct,
		questions: questions.length,
		share: maxPoints ? points / maxPoints : 0
	};
}

/** The journey's score over every question of the pack. */
export function scoreOf(pack: Pick<Pack, 'steps'>, answers: AnswerBook): Tally {
	return tally(
		pack.steps.flatMap((s) => s.questions),
		answers
	);
}

/** Mastery of each causal link, in chain order. */
export function masteryByLink(
	pack: Pick<Pack, 'steps'>,
	answers: AnswerBook
): Array<{ linkId: string; title: string } & Tally> {
	return pack.steps.map((step) => ({
		linkId: step.id,
		title: step.title,
		...tally(step.questions, answers)
	}));
}

/** Mastery of each skill the pack exercises, in the order skills first appear. */
export function masteryBySkill(
	pack: Pick<Pack, 'steps'>,
	answers: AnswerBook
): Array<{ skill: Skill } & Tally> {
	const bySkill = new Map<Skill, Question[]>();
	for (const q of pack.steps.flatMap((s) => s.questions)) {
		bySkill.set(q.skill, [...(bySkill.get(q.skill) ?? []), q]);
	}
	return [...bySkill].map(([skill, questions]) => ({ skill, ...tally(questions, answers) }));
}

/** Ids of answered questions that did not earn full credit, in the pack's order. */
export function missedQuestionIds(
	pack: { steps: ReadonlyArray<{ questions: ReadonlyArray<{ id: string }> }> },
	answers: AnswerBook
): string[] {
	return pack.steps
		.flatMap((s) => s.questions)
		.filter((q) => {
			const outcome = outcomeOf(answers[q.id]);
			return outcome !== undefined && !outcome.correct;
		})
		.map((q) => q.id);
}

/** Accuracy at one confidence level: answers given at that level, and how many were fully right. */
export interface CalibrationRow {
	level: Confidence;
	answered: number;
	correct: number;
}

/**
 * Calibration: for each confidence level, the questions whose final try was made at that level and
 * how many of them came out fully right. Questions answered without saying are left out.
 */
export function calibrationOf(pack: Pick<Pack, 'steps'>, answers: AnswerBook): CalibrationRow[] {
	const rows = CONFIDENCE_LEVELS.map((level) => ({ level, answered: 0, correct: 0 }));
	for (const q of pack.steps.flatMap((s) => s.questions)) {
		const last = answers[q.id]?.attempts.at(-1);
		const row = rows.find((r) => r.level === last?.confidence);
		if (!last || !row) continue;
		row.answered += 1;
		if (last.credit === 1) row.correct += 1;
	}
	return rows;
}

/** How each confidence level is put to learners. */
export const CONFIDENCE_NAMES: Record<Confidence, string> = {
	sure: 'Sure',
	'think-so': 'I think so',
	guessing: 'Guessing'
};
