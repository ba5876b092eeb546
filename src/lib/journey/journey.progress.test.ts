import { describe, expect, it } from 'vitest';
import type { Pack } from '$lib/content/pack';
import type { Skill } from '$lib/content/schema';
import { tinyPack } from './fixture';
import {
	masteryByLink,
	masteryBySkill,
	missedQuestionIds,
	outcomeOf,
	scoreOf,
	type AnswerBook,
	type AnswerRecord
} from './journey.progress';

/** A record of tries with the given credits. */
const tries = (credits: number[], hintUsed = false): AnswerRecord => ({
	attempts: credits.map((credit) => ({ response: 'x', credit })),
	hintUsed
});

/**
 * The tiny pack answered in four different ways: q-choice right first time (10), q-order a third
 * right and kept (3), q-numeric right after a hint (7), q-multi wrong twice (0).
 */
const mixed: AnswerBook = {
	'q-choice': tries([1]),
	'q-order': tries([1 / 3]),
	'q-numeric': tries([1], true),
	'q-multi': tries([0, 0])
};

describe('outcomeOf', () => {
	it('has no outcome for a question never tried', () => {
		expect(outcomeOf(undefined)).toBeUndefined();
	});
	it('has no outcome for a question whose hint was opened but not yet answered', () => {
		expect(outcomeOf({ attempts: [], hintUsed: true })).toBeUndefined();
	});
	it('gives 10 points for a right first try', () => {
		expect(outcomeOf(tries([1]))).toEqual({ credit: 1, correct: true, points: 10, maxPoints: 10 });
	});
	it('gives 7 for a right first try after a hint', () => {
		expect(outcomeOf(tries([1], true))).toEqual({
			credit: 1,
			correct: true,
			points: 7,
			maxPoints: 10
		});
	});
	it('gives 5 for a right retry and 2 for a right retry after a hint', () => {
		expect(outcomeOf(tries([0, 1]))).toEqual({
			credit: 1,
			correct: true,
			points: 5,
			maxPoints: 10
		});
		expect(outcomeOf(tries([0, 1], true))).toEqual({
			credit: 1,
			correct: true,
			points: 2,
			maxPoints: 10
		});
	});
	it('keeps the partial credit of a first try the learner chose to keep', () => {
		expect(outcomeOf(tries([2 / 3]))).toEqual({
			credit: 2 / 3,
			correct: false,
			points: 7,
			maxPoints: 10
		});
	});
	it('counts the last try, under the retry cap, when the learner retried', () => {
		expect(outcomeOf(tries([2 / 3, 0.5]))).toEqual({
			credit: 0.5,
			correct: false,
			points: 3,
			maxPoints: 10
		});
		expect(outcomeOf(tries([2 / 3, 0]))).toEqual({
			credit: 0,
			correct: false,
			points: 0,
			maxPoints: 10
		});
	});
});

describe('scoreOf', () => {
	it('is zero out of 10 a question before anything is answered', () => {
		expect(scoreOf(tinyPack, {})).toEqual({
			points: 0,
			maxPoints: 40,
			answered: 0,
			correct: 0,
			questions: 4,
			share: 0
		});
	});
	it('is full marks when every question is right first time', () => {
		const book = Object.fromEntries(
			tinyPack.steps.flatMap((s) => s.questions).map((q) => [q.id, tries([1])])
		);
		expect(scoreOf(tinyPack, book)).toEqual({
			points: 40,
			maxPoints: 40,
			answered: 4,
			correct: 4,
			questions: 4,
			share: 1
		});
	});
	it('adds up each question`s points', () => {
		expect(scoreOf(tinyPack, mixed)).toEqual({
			points: 20,
			maxPoints: 40,
			answered: 4,
			correct: 2,
			questions: 4,
			share: 0.5
		});
	});
	it('counts unanswered questions as possible points not earned', () => {
		expect(scoreOf(tinyPack, { 'q-choice': tries([1]) })).toEqual({
			points: 10,
			maxPoints: 40,
			answered: 1,
			correct: 1,
			questions: 4,
			share: 0.25
		});
	});
	it('ignores answers to questions the pack does not have', () => {
		expect(scoreOf(tinyPack, { ...mixed, 'q-gone': tries([1]) })).toEqual(scoreOf(tinyPack, mixed));
	});
	it('is 0 out of 0, share 0, for a pack without questions', () => {
		expect(scoreOf({ steps: [] }, {})).toEqual({
			points: 0,
			maxPoints: 0,
			answered: 0,
			correct: 0,
			questions: 0,
			share: 0
		});
	});
});

describe('masteryByLink', () => {
	it('is points earned over points possible for each link, in chain order', () => {
		expect(masteryByLink(tinyPack, mixed)).toEqual([
			{
				linkId: 'rain',
				title: 'Rain',
				points: 13,
				maxPoints: 20,
				answered: 2,
				correct: 1,
				questions: 2,
				share: 0.65
			},
			{
				linkId: 'mud',
				title: 'Mud',
				points: 7,
				maxPoints: 10,
				answered: 1,
				correct: 1,
				questions: 1,
				share: 0.7
			},
			{
				linkId: 'mess',
				title: 'Mess',
				points: 0,
				maxPoints: 10,
				answered: 1,
				correct: 0,
				questions: 1,
				share: 0
			}
		]);
	});
});

describe('masteryBySkill', () => {
	/** The tiny pack with a skill per question, so that one skill spans two links. */
	const skills: Record<string, Skill> = {
		'q-choice': 'cause-effect',
		'q-order': 'sequence',
		'q-numeric': 'numbers',
		'q-multi': 'cause-effect'
	};
	const skilled: Pick<Pack, 'steps'> = {
		steps: tinyPack.steps.map((step) => ({
			...step,
			questions: step.questions.map((q) => ({ ...q, skill: skills[q.id] ?? q.skill }))
		}))
	};

	it('is points earned over points possible for each skill, in order of first appearance', () => {
		expect(masteryBySkill(skilled, mixed)).toEqual([
			{
				skill: 'cause-effect',
				points: 10,
				maxPoints: 20,
				answered: 2,
				correct: 1,
				questions: 2,
				share: 0.5
			},
			{
				skill: 'sequence',
				points: 3,
				maxPoints: 10,
				answered: 1,
				correct: 0,
				questions: 1,
				share: 0.3
			},
			{
				skill: 'numbers',
				points: 7,
				maxPoints: 10,
				answered: 1,
				correct: 1,
				questions: 1,
				share: 0.7
			}
		]);
	});
	it('lists only the skills the pack exercises', () => {
		expect(masteryBySkill(tinyPack, mixed).map((m) => m.skill)).toEqual(['recall']);
	});
});

describe('missedQuestionIds', () => {
	it('lists answered questions short of full credit, in pack order', () => {
		expect(missedQuestionIds(tinyPack, mixed)).toEqual(['q-order', 'q-multi']);
	});
	it('follows the pack`s order, not the order the answers were recorded in', () => {
		const book: AnswerBook = {
			'q-multi': tries([0]),
			'q-numeric': tries([0, 0]),
			'q-choice': tries([0.5])
		};
		expect(missedQuestionIds(tinyPack, book)).toEqual(['q-choice', 'q-numeric', 'q-multi']);
	});
	it('leaves out questions never answered, and those with only a hint opened', () => {
		expect(missedQuestionIds(tinyPack, { 'q-numeric': { attempts: [], hintUsed: true } })).toEqual(
			[]
		);
	});
	it('leaves out questions right on the retry, however few points they earned', () => {
		expect(missedQuestionIds(tinyPack, { 'q-numeric': tries([0, 1], true) })).toEqual([]);
	});
});
