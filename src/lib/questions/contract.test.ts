/**
 * The contract every registered question type keeps, checked on its fixture: one test over the
 * registry instead of a switch per concern. A new type gets all of it by adding its fixture.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { canonicalResponse } from '$lib/classroom/dashboard';
import { presentQuestion } from '$lib/content/present';
import { QuestionSchema } from '$lib/content/schema';
import { gradeResponse } from '$lib/grading/score';
import { describeResponse } from '$lib/journey/describe';
import { responseString } from '$lib/server/xapi';
import { fixtures } from './fixtures';
import { QUESTION_TYPES, contentRulesOf, kindOf, registry, type Question } from './registry';

const cases = QUESTION_TYPES.map((type) => [type, fixtures[type]] as const);
/** The sources the source fixture offers. */
const sources = ['reuters', 'bbc', 'le-monde'].map((id) => ({
	id,
	name: id.toUpperCase(),
	description: 'An outlet.'
}));

/**
 * Shapes no type accepts (a boolean only truefalse does). Each must come back invalid with a
 * message that names the question and its type; none may throw.
 */
const malformed: Array<[label: string, value: unknown]> = [
	['undefined', undefined],
	['null', null],
	['true', true],
	['NaN', Number.NaN],
	['Infinity', Number.POSITIVE_INFINITY],
	['an empty string', ''],
	['a string of spaces', '   '],
	['an empty array', []],
	['an empty object', {}],
	['an array of numbers', [1, 2]],
	['an array of nulls', [null, null]],
	['a nested array', [['a', 'c']]],
	['an object of numbers', { a: 1 }],
	['a function', () => 'b'],
	['a date', new Date(0)],
	['a symbol', Symbol('b')],
	['a bigint', BigInt(1)]
];

describe('the registry', () => {
	it('lists every type once, each under its own name, each with a fixture', () => {
		expect(Object.keys(registry).sort()).toEqual([...QUESTION_TYPES].sort());
		for (const type of QUESTION_TYPES) {
			expect(registry[type].type).toBe(type);
			expect(fixtures[type].question.type).toBe(type);
		}
		expect(Object.keys(fixtures).sort()).toEqual([...QUESTION_TYPES].sort());
	});

	it.each(QUESTION_TYPES)('%s: has an answer form (its own or the folder it names)', (type) => {
		const folder = join(import.meta.dirname, registry[type].components);
		expect(existsSync(join(folder, 'Form.svelte'))).toBe(true);
	});
});

describe.each(cases)('%s keeps the contract', (type, { question, right, wrong }) => {
	const q = question as Question;
	const kind = kindOf(q);

	it('its fixture is valid content, and the answer check finds nothing wrong', () => {
		expect(v.safeParse(QuestionSchema, question).issues).toBeUndefined();
		const problems: string[] = [];
		contentRulesOf(type).checkAnswer(q, {
			sourceIds: sources.map((s) => s.id),
			add: (p) => problems.push(p)
		});
		expect(problems).toEqual([]);
	});

	it('grades its answer, its right response and both over the wire fully correct', () => {
		const full = { valid: true, correct: true, credit: 1 };
		for (const response of [q.answer, right]) {
			expect(gradeResponse(q, response)).toEqual(full);
			expect(gradeResponse(q, JSON.parse(JSON.stringify(response)))).toEqual(full);
		}
	});

	it('grades its wrong response valid and not right', () => {
		const grade = gradeResponse(q, wrong);
		expect(grade).toMatchObject({ valid: true, correct: false });
		if (grade.valid) expect(grade.credit).toBeLessThan(1);
	});

	const refused = malformed.filter(([, value]) => !v.is(kind.response, value));
	it.each(refused)('refuses %s with a message naming the question', (_label, value) => {
		const result = gradeResponse(q, value);
		expect(result.valid).toBe(false);
		if (result.valid) return;
		expect(result.error).toMatch(new RegExp(`^Response to ${q.id} \\(${type}\\) .+\\.$`));
	});

	it('puts its responses into words, and a refused one as no valid answer', () => {
		for (const response of [right, wrong]) {
			const words = describeResponse(q, response, sources);
			expect(words).not.toBe('no valid answer');
			expect(words.trim()).not.toBe('');
		}
		expect(describeResponse(q, Symbol('x'), sources)).toBe('no valid answer');
	});

	it('is presented without its answer key, and with an instruction', () => {
		const presented = presentQuestion(q);
		for (const secret of ['answer', 'explanation', 'evidence', 'hint'])
			expect(presented).not.toHaveProperty(secret);
		expect(presented).toMatchObject({ id: q.id, type, prompt: q.prompt });
		expect(kind.instruction(presented).trim()).not.toBe('');
	});

	it('groups responses that mean the same on the dashboard, and not those that differ', () => {
		const key = (response: unknown) => canonicalResponse(response, kind.orderMatters);
		expect(key(JSON.parse(JSON.stringify(q.answer)))).toBe(key(q.answer));
		expect(key(wrong)).not.toBe(key(q.answer));
	});

	it('writes its responses as xAPI strings', () => {
		for (const response of [right, wrong]) {
			const written = responseString(q, response);
			expect(typeof written).toBe('string');
			expect(written).not.toBe('');
		}
	});
});
