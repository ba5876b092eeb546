/**
 * The one grader. The self-study player grades in the browser with it and the classroom server
 * re-grades every answer with it, so a response earns the same credit everywhere. Pure: no DOM,
 * no storage, no clock. Scoring rules are explained in docs/SCORING.md.
 */
import * as v from 'valibot';
import {
	responseSchemas,
	type Question,
	type QuestionOf,
	type ResponseOf,
	type ScenarioPicks
} from '$lib/content/schema';

/** The outcome of grading one response. `credit` is the share of the question earned, 0..1. */
export type Grade =
	{ valid: true; correct: boolean; credit: number } | { valid: false; error: string };

/** Points a question is worth on a first, unhinted try. */
export const MAX_POINTS = 10;
/** Points a hint takes off what the answer earns. */
export const HINT_COST = 3;
/** The most an answer can earn on the retry after a wrong first try. */
export const RETRY_MAX_POINTS = 5;
/** Tries a learner has at one question: the first and one retry. */
export const MAX_ATTEMPTS = 2;

const invalid = (error: string): Grade => ({ valid: false, error });
const graded = (credit: number): Grade => ({ valid: true, correct: credit === 1, credit });

/**
 * Grades `response` against `question`. A response of the wrong shape, or one naming an option
 * the question does not have, is an invalid grade with a message, never an exception.
 */
export function gradeResponse(question: Question, response: unknown): Grade {
	if (question.type === 'match' || question.type === 'scenario') {
		const refused = refuseRecordShape(question, response);
		if (refused) return refused;
	}
	const parsed = v.safeParse(responseSchemas[question.type], response);
	if (!parsed.success) {
		return invalid(`Response to ${question.id} (${question.type}) ${parsed.issues[0].message}.`);
	}
	switch (question.type) {
		case 'choice':
		case 'evidence':
			return gradeOne(
				question.options.map((o) => o.id),
				question.answer,
				parsed.output as string
			);
		case 'source':
			return gradeOne(question.options, question.answer, parsed.output as string);
		case 'multi':
			return gradeMulti(question, parsed.output as ResponseOf<'multi'>);
		case 'order':
			return gradeOrder(question, parsed.output as ResponseOf<'order'>);
		case 'match':
			return gradeMatch(question, parsed.output as ResponseOf<'match'>);
		case 'numeric':
			return graded(
				withinTolerance(parsed.output as number, question.answer, question.tolerance) ? 1 : 0
			);
		case 'scenario':
			return gradeScenario(question, parsed.output as ResponseOf<'scenario'>);
	}
}

/** Keys valibot's `record` drops without a word; in a match or scenario response they are strays. */
const DROPPED_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * What a record schema lets through but must not: an array (valibot's `record` takes it for an
 * object keyed "0", "1", …) and keys it silently drops, which would let a complete pairing with a
 * `__proto__` key beside it pass as right.
 */
function refuseRecordShape(
	question: QuestionOf<'match' | 'scenario'>,
	response: unknown
): Grade | undefined {
	if (Array.isArray(response)) {
		// `null` fails the record check itself, so the message is the schema's own.
		const { issues } = v.safeParse(responseSchemas[question.type], null);
		return invalid(`Response to ${question.id} (${question.type}) ${issues?.[0].message}.`);
	}
	if (typeof response !== 'object' || response === null) return undefined;
	const dropped = Object.keys(response).find((key) => DROPPED_KEYS.includes(key));
	if (dropped === undefined) return undefined;
	return invalid(
		question.type === 'match'
			? `There is no item "${dropped}" to pair.`
			: `There is no scenario "${dropped}".`
	);
}

/**
 * Tolerance edges included. Decimals such as 2.6 − 2.5 come out a hair over 0.1 in binary floating
 * point, so allow a few units of rounding error at the numbers' scale.
 */
function withinTolerance(response: number, answer: number, tolerance: number): boolean {
	const slack = 4 * Number.EPSILON * Math.max(1, Math.abs(response), Math.abs(answer));
	return Math.abs(response - answer) <= tolerance + slack;
}

function unknownIds(ids: readonly string[], known: readonly string[]): string[] {
	return ids.filter((id) => !known.includes(id));
}

function gradeOne(known: readonly string[], answer: string, response: string): Grade {
	if (!known.includes(response)) return invalid(`There is no option "${response}".`);
	return graded(response === answer ? 1 : 0);
}

/** Set equality: right only when exactly the correct options are chosen. */
function gradeMulti(question: QuestionOf<'multi'>, response: string[]): Grade {
	const missing = unknownIds(
		response,
		question.options.map((o) => o.id)
	);
	if (missing.length > 0) return invalid(`There is no option "${missing[0]}".`);
	const same =
		response.length === question.answer.length &&
		response.every((id) => question.answer.includes(id));
	return graded(same ? 1 : 0);
}

/** Every item exactly once; partial credit is the share of items in their right position. */
function gradeOrder(question: QuestionOf<'order'>, response: string[]): Grade {
	const itemIds = question.items.map((i) => i.id);
	const missing = unknownIds(response, itemIds);
	if (missing.length > 0) return invalid(`There is no item "${missing[0]}".`);
	if (response.length !== itemIds.length)
		return invalid(`Put all ${itemIds.length} items in order.`);
	const inPlace = response.filter((id, i) => question.answer[i] === id).length;
	return graded(inPlace / itemIds.length);
}

/** Every left item paired; partial credit is the share of pairs that are right. */
function gradeMatch(question: QuestionOf<'match'>, response: Record<string, string>): Grade {
	const leftIds = question.left.map((l) => l.id);
	const rightIds = question.right.map((r) => r.id);
	const keys = Object.keys(response);
	const strayLeft = unknownIds(keys, leftIds);
	if (strayLeft.length > 0) return invalid(`There is no item "${strayLeft[0]}" to pair.`);
	const strayRight = unknownIds(Object.values(response), rightIds);
	if (strayRight.length > 0) return invalid(`There is no item "${strayRight[0]}" to pair with.`);
	if (keys.length !== leftIds.length) return invalid(`Pair all ${leftIds.length} items.`);
	const right = leftIds.filter((id) => response[id] === question.answer[id]).length;
	return graded(right / leftIds.length);
}

/**
 * Grades the passages picked for one scenario of a scenario question: each passage put on the
 * side the question puts it (supporting, or cutting against) counts, each passage put on a side
 * it does not belong to takes one back. The self-study player checks scenarios one at a time
 * with this; `gradeResponse` averages it over every scenario.
 */
export function gradeScenarioPicks(
	question: QuestionOf<'scenario'>,
	scenarioId: string,
	picks: unknown
): Grade {
	const scenario = question.scenarios.find((s) => s.id === scenarioId);
	if (!scenario) return invalid(`There is no scenario "${scenarioId}".`);
	const parsed = v.safeParse(responseSchemas.scenario, { [scenarioId]: picks });
	if (!parsed.success) {
		return invalid(`Response to ${question.id} (scenario) ${parsed.issues[0].message}.`);
	}
	const { supports, against } = parsed.output[scenarioId] as ScenarioPicks;
	const missing = unknownIds(
		[...supports, ...against],
		question.passages.map((p) => p.id)
	);
	if (missing.length > 0) return invalid(`There is no passage "${missing[0]}".`);
	const right =
		supports.filter((id) => scenario.supports.includes(id)).length +
		against.filter((id) => scenario.against.includes(id)).length;
	const stray = supports.length + against.length - right;
	const possible = scenario.supports.length + scenario.against.length;
	return graded(Math.max(0, (right - stray) / possible));
}

/**
 * Every scenario weighed, none the question lacks; the credit is the mean of each scenario's.
 * Which scenario the learner finds likeliest is never part of the response, so never graded.
 */
function gradeScenario(question: QuestionOf<'scenario'>, response: ResponseOf<'scenario'>): Grade {
	const stray = unknownIds(
		Object.keys(response),
		question.scenarios.map((s) => s.id)
	);
	if (stray.length > 0) return invalid(`There is no scenario "${stray[0]}".`);
	const open = question.scenarios.filter((s) => !response[s.id]);
	if (open.length > 0) return invalid(`Weigh every scenario first (${open.length} left).`);
	let total = 0;
	for (const scenario of question.scenarios) {
		const grade = gradeScenarioPicks(question, scenario.id, response[scenario.id]);
		if (!grade.valid) return grade;
		total += grade.credit;
	}
	return graded(total / question.scenarios.length);
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
