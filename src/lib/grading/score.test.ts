import { describe, expect, it } from 'vitest';
import { loadPack } from '$lib/content/loader';
import { questionsOf } from '$lib/content/pack';
import type { Question, QuestionOf } from '$lib/content/schema';
import { fixtures } from '$lib/questions/fixtures';
import {
	gradeResponse,
	gradeScenarioPicks,
	HINT_COST,
	MAX_ATTEMPTS,
	MAX_POINTS,
	pointsFor,
	RETRY_MAX_POINTS,
	type Grade
} from './score';

// The registry's fixture questions (src/lib/questions/<type>/fixture.ts).
const choice = fixtures.choice.question;
const multi = fixtures.multi.question;
const order = fixtures.order.question;
const match = fixtures.match.question;
const numeric = fixtures.numeric.question;
const evidence = fixtures.evidence.question;
const source = fixtures.source.question;
const scenario = fixtures.scenario.question;

const exactNumeric: QuestionOf<'numeric'> = {
	...numeric,
	id: 'q-exact',
	unit: 'years',
	tolerance: 0,
	answer: 1000
};

const right: Grade = { valid: true, correct: true, credit: 1 };
const wrong: Grade = { valid: true, correct: false, credit: 0 };
const partly = (credit: number): Grade => ({ valid: true, correct: false, credit });
const invalid = (error: string): Grade => ({ valid: false, error });

const grade = (question: Question, response: unknown): Grade => gradeResponse(question, response);

describe('scoring constants', () => {
	it('are the numbers docs/SCORING.md states', () => {
		expect({ MAX_POINTS, HINT_COST, RETRY_MAX_POINTS, MAX_ATTEMPTS }).toEqual({
			MAX_POINTS: 10,
			HINT_COST: 3,
			RETRY_MAX_POINTS: 5,
			MAX_ATTEMPTS: 2
		});
	});
});

describe('gradeResponse: choice', () => {
	it('gives full credit for the right option', () => {
		expect(grade(choice, 'b')).toEqual(right);
	});
	it('gives no credit for another option', () => {
		expect(grade(choice, 'a')).toEqual(wrong);
		expect(grade(choice, 'c')).toEqual(wrong);
	});
	it('refuses an option the question does not have', () => {
		expect(grade(choice, 'z')).toEqual(invalid('There is no option "z".'));
	});
	it('refuses a response that is not an id', () => {
		expect(grade(choice, 2)).toEqual(invalid('Response to q-choice (choice) must be a string.'));
		expect(grade(choice, ['b'])).toEqual(
			invalid('Response to q-choice (choice) must be a string.')
		);
		expect(grade(choice, '')).toEqual(
			invalid('Response to q-choice (choice) must be lowercase letters, digits and dashes.')
		);
		expect(grade(choice, 'B')).toEqual(
			invalid('Response to q-choice (choice) must be lowercase letters, digits and dashes.')
		);
	});
});

describe('gradeResponse: multi', () => {
	it('gives full credit for exactly the right options', () => {
		expect(grade(multi, ['a', 'c'])).toEqual(right);
	});
	it('ignores the order the options were chosen in', () => {
		expect(grade(multi, ['c', 'a'])).toEqual(right);
	});
	it('gives no partial credit: a subset, a superset or a different set earns nothing', () => {
		expect(grade(multi, ['a'])).toEqual(wrong);
		expect(grade(multi, ['a', 'c', 'd'])).toEqual(wrong);
		expect(grade(multi, ['a', 'b', 'c', 'd'])).toEqual(wrong);
		expect(grade(multi, ['b', 'd'])).toEqual(wrong);
		expect(grade(multi, ['a', 'b'])).toEqual(wrong);
	});
	it('refuses a repeated option, so that ["a", "a"] cannot pass for ["a", "c"]', () => {
		expect(grade(multi, ['a', 'a'])).toEqual(
			invalid('Response to q-multi (multi) must not repeat an id.')
		);
		expect(grade(multi, ['a', 'c', 'a'])).toEqual(
			invalid('Response to q-multi (multi) must not repeat an id.')
		);
	});
	it('refuses an option the question does not have', () => {
		expect(grade(multi, ['a', 'e'])).toEqual(invalid('There is no option "e".'));
	});
	it('refuses an empty choice and a bare id', () => {
		expect(grade(multi, [])).toEqual(invalid('Response to q-multi (multi) must name at least 1.'));
		expect(grade(multi, 'a')).toEqual(
			invalid('Response to q-multi (multi) must be a list of ids.')
		);
	});
});

describe('gradeResponse: order', () => {
	it('gives full credit for the right order', () => {
		expect(grade(order, ['w', 'x', 'y', 'z'])).toEqual(right);
	});
	it('gives the share of items in their right position', () => {
		expect(grade(order, ['w', 'x', 'z', 'y'])).toEqual(partly(0.5));
		expect(grade(order, ['x', 'w', 'y', 'z'])).toEqual(partly(0.5));
		expect(grade(order, ['w', 'y', 'z', 'x'])).toEqual(partly(0.25));
		expect(grade(order, ['z', 'x', 'y', 'w'])).toEqual(partly(0.5));
		expect(grade(order, ['w', 'z', 'y', 'x'])).toEqual(partly(0.5));
		expect(grade(order, ['x', 'w', 'z', 'y'])).toEqual(wrong);
	});
	it('gives nothing for the reverse order of an even number of items', () => {
		expect(grade(order, ['z', 'y', 'x', 'w'])).toEqual(wrong);
	});
	it('does not count a run that is right but shifted (position, not adjacency, counts)', () => {
		expect(grade(order, ['z', 'w', 'x', 'y'])).toEqual(wrong);
	});
	it('refuses a response that leaves an item out', () => {
		expect(grade(order, ['w', 'x', 'y'])).toEqual(invalid('Put all 4 items in order.'));
	});
	it('refuses a repeated item, so that no item can be counted twice', () => {
		expect(grade(order, ['w', 'w', 'y', 'z'])).toEqual(
			invalid('Response to q-order (order) must not repeat an id.')
		);
	});
	it('refuses an item the question does not have', () => {
		expect(grade(order, ['w', 'x', 'y', 'q'])).toEqual(invalid('There is no item "q".'));
		expect(grade(order, ['w', 'x', 'y', 'z', 'q'])).toEqual(invalid('There is no item "q".'));
	});
	it('refuses fewer than two items', () => {
		expect(grade(order, ['w'])).toEqual(
			invalid('Response to q-order (order) must name at least 2.')
		);
		expect(grade(order, [])).toEqual(invalid('Response to q-order (order) must name at least 2.'));
	});
});

describe('gradeResponse: match', () => {
	it('gives full credit when every pair is right', () => {
		expect(grade(match, { l1: 'r1', l2: 'r2', l3: 'r3' })).toEqual(right);
	});
	it('ignores the order the pairs are listed in', () => {
		expect(grade(match, { l3: 'r3', l1: 'r1', l2: 'r2' })).toEqual(right);
	});
	it('gives the share of right pairs', () => {
		expect(grade(match, { l1: 'r1', l2: 'r3', l3: 'r2' })).toEqual(partly(1 / 3));
		expect(grade(match, { l1: 'r1', l2: 'r2', l3: 'r2' })).toEqual(partly(2 / 3));
		expect(grade(match, { l1: 'r2', l2: 'r3', l3: 'r1' })).toEqual(wrong);
	});
	it('refuses a response that leaves an item unpaired', () => {
		expect(grade(match, { l1: 'r1', l2: 'r2' })).toEqual(invalid('Pair all 3 items.'));
	});
	it('refuses an empty pairing', () => {
		expect(grade(match, {})).toEqual(
			invalid('Response to q-match (match) must pair at least one item.')
		);
	});
	it('refuses a left item or a right item the question does not have', () => {
		expect(grade(match, { l1: 'r1', l2: 'r2', l3: 'r3', l4: 'r1' })).toEqual(
			invalid('There is no item "l4" to pair.')
		);
		expect(grade(match, { l1: 'r1', l2: 'r2', l3: 'r9' })).toEqual(
			invalid('There is no item "r9" to pair with.')
		);
	});
	it('refuses keys and values that are not ids', () => {
		expect(grade(match, { l1: 'r1', l2: 'r2', l3: 3 })).toEqual(
			invalid('Response to q-match (match) must be a string.')
		);
		expect(grade(match, { L1: 'r1', l2: 'r2', l3: 'r3' })).toEqual(
			invalid('Response to q-match (match) must be lowercase letters, digits and dashes.')
		);
	});
	it.each(['__proto__', 'constructor', 'prototype'])(
		'refuses a %s key, even beside a complete right pairing, and never throws',
		(key) => {
			// JSON.parse makes `__proto__` an own key, as a request body would.
			const alone = JSON.parse(`{"${key}": "r1"}`) as unknown;
			const beside = JSON.parse(`{"l1": "r1", "l2": "r2", "l3": "r3", "${key}": "r1"}`) as unknown;
			expect(grade(match, alone)).toEqual(invalid(`There is no item "${key}" to pair.`));
			expect(grade(match, beside)).toEqual(invalid(`There is no item "${key}" to pair.`));
			expect(Object.prototype).not.toHaveProperty('r1');
		}
	);
	it('refuses a list of right ids in place of a mapping', () => {
		expect(grade(match, ['r1', 'r2', 'r3'])).toEqual(
			invalid('Response to q-match (match) must map each left id to a right id.')
		);
	});
});

describe('gradeResponse: numeric', () => {
	it('gives full credit for the exact answer', () => {
		expect(grade(numeric, 2.5)).toEqual(right);
		expect(grade(exactNumeric, 1000)).toEqual(right);
	});
	it('gives full credit anywhere within the tolerance, its edges included', () => {
		expect(grade(numeric, 2.45)).toEqual(right);
		expect(grade(numeric, 2.6)).toEqual(right);
		expect(grade(numeric, 2.4)).toEqual(right);
	});
	it('gives nothing outside the tolerance, and no partial credit for being close', () => {
		expect(grade(numeric, 2.61)).toEqual(wrong);
		expect(grade(numeric, 2.39)).toEqual(wrong);
		expect(grade(numeric, -2.5)).toEqual(wrong);
		expect(grade(exactNumeric, 1001)).toEqual(wrong);
		expect(grade(exactNumeric, 999.9)).toEqual(wrong);
	});
	it('refuses numbers written as strings', () => {
		expect(grade(numeric, '2.5')).toEqual(
			invalid('Response to q-numeric (numeric) must be a number.')
		);
		expect(grade(numeric, '')).toEqual(
			invalid('Response to q-numeric (numeric) must be a number.')
		);
	});
	it('refuses NaN, Infinity and -Infinity', () => {
		expect(grade(numeric, Number.NaN)).toEqual(
			invalid('Response to q-numeric (numeric) must be a number.')
		);
		expect(grade(numeric, Number.POSITIVE_INFINITY)).toEqual(
			invalid('Response to q-numeric (numeric) must be a finite number.')
		);
		expect(grade(numeric, Number.NEGATIVE_INFINITY)).toEqual(
			invalid('Response to q-numeric (numeric) must be a finite number.')
		);
	});
});

describe('gradeResponse: evidence', () => {
	it('gives full credit for the sentence that proves the point', () => {
		expect(grade(evidence, 's2')).toEqual(right);
	});
	it('gives no credit for another sentence', () => {
		expect(grade(evidence, 's1')).toEqual(wrong);
	});
	it('refuses a sentence the question does not offer', () => {
		expect(grade(evidence, 's3')).toEqual(invalid('There is no option "s3".'));
	});
	it('refuses the sentence text in place of its id', () => {
		expect(grade(evidence, 'Second sentence.')).toEqual(
			invalid('Response to q-evidence (evidence) must be lowercase letters, digits and dashes.')
		);
	});
});

describe('gradeResponse: source', () => {
	it('gives full credit for the right source', () => {
		expect(grade(source, 'bbc')).toEqual(right);
	});
	it('gives no credit for another source the question offers', () => {
		expect(grade(source, 'reuters')).toEqual(wrong);
		expect(grade(source, 'le-monde')).toEqual(wrong);
	});
	it('refuses a source the question does not offer', () => {
		expect(grade(source, 'cnn')).toEqual(invalid('There is no option "cnn".'));
	});
});

describe('gradeResponse: scenario', () => {
	const stayRight = { supports: ['p1', 'p2'], against: ['p3'] };
	const leaveRight = { supports: ['p3', 'p4', 'p5'], against: [] };
	it('gives full credit for every scenario weighed as the question weighs it, in any order', () => {
		expect(grade(scenario, { stay: stayRight, leave: leaveRight })).toEqual(right);
		expect(
			grade(scenario, {
				leave: { supports: ['p5', 'p3', 'p4'], against: [] },
				stay: { supports: ['p2', 'p1'], against: ['p3'] }
			})
		).toEqual(right);
	});
	it('averages the scenarios: each earns (right picks − stray picks) ÷ its passages', () => {
		// stay: 2 right of 3 (the opposing passage missed) → 2/3; leave: all right → 1.
		expect(
			grade(scenario, { stay: { supports: ['p1', 'p2'], against: [] }, leave: leaveRight })
		).toEqual(partly((2 / 3 + 1) / 2));
		// stay: 3 right, 1 stray (p4 does not support it) → 2/3; leave: 2 right → 2/3.
		expect(
			grade(scenario, {
				stay: { supports: ['p1', 'p2', 'p4'], against: ['p3'] },
				leave: { supports: ['p3', 'p4'], against: [] }
			})
		).toEqual(partly(2 / 3));
	});
	it('counts a passage on the wrong side as stray', () => {
		// stay: p3 cuts against it, so listing it as support is stray: (2 − 1) / 3.
		expect(
			grade(scenario, {
				stay: { supports: ['p1', 'p2', 'p3'], against: [] },
				leave: { supports: ['p3', 'p4', 'p5'], against: ['p1'] }
			})
		).toEqual(partly((1 / 3 + 2 / 3) / 2));
	});
	it('never goes below zero for a scenario when stray passages outnumber the right ones', () => {
		expect(
			gradeScenarioPicks(scenario, 'stay', { supports: ['p4', 'p5'], against: ['p1'] })
		).toEqual(wrong);
		expect(
			grade(scenario, {
				stay: { supports: ['p4', 'p5'], against: ['p1'] },
				leave: { supports: ['p1'], against: ['p3'] }
			})
		).toEqual(wrong);
	});
	it('grades one scenario at a time with gradeScenarioPicks, as self-study does', () => {
		expect(gradeScenarioPicks(scenario, 'stay', stayRight)).toEqual(right);
		expect(gradeScenarioPicks(scenario, 'leave', { supports: ['p3'], against: [] })).toEqual(
			partly(1 / 3)
		);
		expect(gradeScenarioPicks(scenario, 'vanish', stayRight)).toEqual(
			invalid('There is no scenario "vanish".')
		);
		expect(gradeScenarioPicks(scenario, 'stay', { supports: [], against: ['p3'] })).toEqual(
			invalid('Response to q-scenario (scenario) must name at least 1.')
		);
	});
	it('refuses a scenario or a passage the question does not have, and a scenario left out', () => {
		expect(grade(scenario, { stay: stayRight, leave: leaveRight, vanish: stayRight })).toEqual(
			invalid('There is no scenario "vanish".')
		);
		expect(
			grade(scenario, { stay: { supports: ['p1', 'p9'], against: [] }, leave: leaveRight })
		).toEqual(invalid('There is no passage "p9".'));
		expect(grade(scenario, { stay: stayRight })).toEqual(
			invalid('Weigh every scenario first (1 left).')
		);
	});
	it('refuses a repeated passage, or one on both sides, so that one passage cannot count twice', () => {
		expect(
			grade(scenario, { stay: { supports: ['p1', 'p1'], against: [] }, leave: leaveRight })
		).toEqual(invalid('Response to q-scenario (scenario) must not repeat an id.'));
		expect(
			grade(scenario, { stay: { supports: ['p1'], against: ['p1'] }, leave: leaveRight })
		).toEqual(
			invalid(
				'Response to q-scenario (scenario) must not list a passage as both supporting and cutting against a scenario.'
			)
		);
	});
	it('refuses a scenario without support, extra fields, arrays and the old one-scenario shape', () => {
		expect(grade(scenario, { stay: { supports: [], against: ['p3'] }, leave: leaveRight })).toEqual(
			invalid('Response to q-scenario (scenario) must name at least 1.')
		);
		expect(grade(scenario, { stay: { ...stayRight, credit: 1 }, leave: leaveRight })).toMatchObject(
			{ valid: false }
		);
		expect(grade(scenario, [stayRight, leaveRight])).toEqual(
			invalid(
				'Response to q-scenario (scenario) must map each scenario id to its supporting and opposing passages.'
			)
		);
		expect(grade(scenario, { scenario: 'stay', evidence: ['p1', 'p2'] })).toMatchObject({
			valid: false
		});
		expect(grade(scenario, {})).toEqual(
			invalid('Response to q-scenario (scenario) must weigh at least one scenario.')
		);
		expect(
			grade(scenario, JSON.parse('{"__proto__": {"supports": ["p1"], "against": []}}'))
		).toEqual(invalid('There is no scenario "__proto__".'));
	});
});

describe('gradeResponse: malformed responses', () => {
	// Every type refusing shapes it does not accept: src/lib/questions/contract.test.ts.
	it('reports what is wrong for representative shapes', () => {
		expect(grade(choice, undefined)).toEqual(
			invalid('Response to q-choice (choice) must be a string.')
		);
		expect(grade(choice, null)).toEqual(invalid('Response to q-choice (choice) must be a string.'));
		expect(grade(multi, { a: true })).toEqual(
			invalid('Response to q-multi (multi) must be a list of ids.')
		);
		expect(grade(multi, [1])).toEqual(invalid('Response to q-multi (multi) must be a string.'));
		expect(grade(order, null)).toEqual(
			invalid('Response to q-order (order) must be a list of ids.')
		);
		expect(grade(match, null)).toEqual(
			invalid('Response to q-match (match) must map each left id to a right id.')
		);
		expect(grade(numeric, null)).toEqual(
			invalid('Response to q-numeric (numeric) must be a number.')
		);
		expect(grade(numeric, [2.5])).toEqual(
			invalid('Response to q-numeric (numeric) must be a number.')
		);
		expect(grade(source, 7)).toEqual(invalid('Response to q-source (source) must be a string.'));
	});

	it('does not change the response or the question it grades', () => {
		const response = Object.freeze({
			stay: Object.freeze({
				supports: Object.freeze(['p1', 'p2']),
				against: Object.freeze(['p3'])
			}),
			leave: Object.freeze({ supports: Object.freeze(['p3', 'p4', 'p5']), against: [] })
		});
		const before = structuredClone(scenario);
		expect(grade(scenario, response)).toEqual(right);
		expect(scenario).toEqual(before);
	});
});

describe('pointsFor', () => {
	it('gives the full 10 points for a right first try without a hint', () => {
		expect(pointsFor(1, { attempt: 1, hintUsed: false })).toBe(10);
	});
	it('takes 3 points off for a hint', () => {
		expect(pointsFor(1, { attempt: 1, hintUsed: true })).toBe(7);
	});
	it('gives at most 5 points on the retry', () => {
		expect(pointsFor(1, { attempt: 2, hintUsed: false })).toBe(5);
	});
	it('gives at most 2 points on a retry after a hint', () => {
		expect(pointsFor(1, { attempt: 2, hintUsed: true })).toBe(2);
	});
	it('caps any later try like the retry', () => {
		expect(pointsFor(1, { attempt: 3, hintUsed: false })).toBe(5);
	});
	it('gives nothing for no credit, whatever the terms', () => {
		for (const attempt of [1, 2]) {
			for (const hintUsed of [false, true]) {
				expect(pointsFor(0, { attempt, hintUsed })).toBe(0);
			}
		}
	});
	it('never goes below zero', () => {
		expect(pointsFor(-1, { attempt: 2, hintUsed: true })).toBe(0);
		expect(pointsFor(-0.5, { attempt: 1, hintUsed: false })).toBe(0);
	});
	it('rounds credit × cap to the nearest whole point, halves up', () => {
		expect(pointsFor(0.5, { attempt: 1, hintUsed: false })).toBe(5);
		expect(pointsFor(0.5, { attempt: 2, hintUsed: false })).toBe(3); // 2.5
		expect(pointsFor(0.5, { attempt: 1, hintUsed: true })).toBe(4); // 3.5
		expect(pointsFor(0.5, { attempt: 2, hintUsed: true })).toBe(1);
		expect(pointsFor(2 / 3, { attempt: 1, hintUsed: false })).toBe(7); // 6.67
		expect(pointsFor(1 / 3, { attempt: 1, hintUsed: false })).toBe(3); // 3.33
		expect(pointsFor(1 / 3, { attempt: 2, hintUsed: false })).toBe(2); // 1.67
		expect(pointsFor(0.25, { attempt: 2, hintUsed: true })).toBe(1); // 0.5
		expect(pointsFor(0.2, { attempt: 2, hintUsed: true })).toBe(0); // 0.4
		expect(pointsFor(0.75, { attempt: 1, hintUsed: true })).toBe(5); // 5.25
	});
	it('rounds every k/n credit (n ≤ 12) exactly as k × cap / n, whole and within the cap', () => {
		const terms = [
			{ attempt: 1, hintUsed: false, cap: 10 },
			{ attempt: 1, hintUsed: true, cap: 7 },
			{ attempt: 2, hintUsed: false, cap: 5 },
			{ attempt: 2, hintUsed: true, cap: 2 }
		];
		for (let n = 1; n <= 12; n++) {
			for (let k = 0; k <= n; k++) {
				for (const { cap, ...term } of terms) {
					const points = pointsFor(k / n, term);
					expect(points).toBe(Math.round((k * cap) / n));
					expect(Number.isInteger(points)).toBe(true);
					expect(points).toBeGreaterThanOrEqual(0);
					expect(points).toBeLessThanOrEqual(cap);
				}
			}
		}
	});
});

describe('the real pack: each question`s answer, sent as the response, grades fully correct', () => {
	const loaded = loadPack('content/mali-russia');

	it('loads without problems', () => {
		expect(loaded.problems).toEqual([]);
		expect(loaded.pack).toBeDefined();
	});

	const all = loaded.pack ? questionsOf(loaded.pack) : [];
	it('has questions to check', () => {
		expect(all.length).toBeGreaterThan(0);
	});

	it.each(all.map((q) => [q.id, q.type, q] as const))('%s (%s)', (_id, _type, question) => {
		expect(gradeResponse(question, question.answer)).toEqual(right);
		// The server receives the response as JSON.
		const overTheWire = JSON.parse(JSON.stringify(question.answer)) as unknown;
		expect(gradeResponse(question, overTheWire)).toEqual(right);
	});
});
