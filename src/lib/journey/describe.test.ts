import { describe, expect, it } from 'vitest';
import type { Question } from '$lib/content/pack';
import type { QuestionOf } from '$lib/content/schema';
import { fixtures } from '$lib/questions/fixtures';
import { describeAnswer, describeResponse, quoted } from './describe';
import {
	evidenceQuestion as evidence,
	fixtureSources,
	sourceQuestion as source,
	weatherScenario
} from './fixture';

/** The article's sources, one of which (`wire`) the source question offers but the article lacks. */
const sources = fixtureSources.filter((s) => s.id !== 'wire');

const common = { explanation: 'Because.', evidence: ['It rained.'], skill: 'recall' as const };

const choice: QuestionOf<'choice'> = {
	...common,
	id: 'q-choice',
	type: 'choice',
	prompt: 'What happened?',
	options: [
		{ id: 'a', text: 'Rain' },
		{ id: 'b', text: 'Sun' }
	],
	answer: 'a'
};

const multi: QuestionOf<'multi'> = {
	...common,
	id: 'q-multi',
	type: 'multi',
	prompt: 'Which came?',
	options: [
		{ id: 'm', text: 'Mud' },
		{ id: 'n', text: 'Mess' },
		{ id: 'o', text: 'Snow' }
	],
	answer: ['m', 'n']
};

const order: QuestionOf<'order'> = {
	...common,
	id: 'q-order',
	type: 'order',
	prompt: 'Order them.',
	items: [
		{ id: 'x', text: 'Rain' },
		{ id: 'y', text: 'Mud' },
		{ id: 'z', text: 'Mess' }
	],
	answer: ['x', 'y', 'z']
};

const match: QuestionOf<'match'> = {
	...common,
	id: 'q-match',
	type: 'match',
	prompt: 'Pair them.',
	leftLabel: 'Cause',
	rightLabel: 'Effect',
	left: [
		{ id: 'rain', text: 'Rain' },
		{ id: 'sun', text: 'Sun' }
	],
	right: [
		{ id: 'mud', text: 'Mud' },
		{ id: 'dust', text: 'Dust' }
	],
	answer: { rain: 'mud', sun: 'dust' }
};

const numeric: QuestionOf<'numeric'> = {
	...common,
	id: 'q-numeric',
	type: 'numeric',
	prompt: 'How many people?',
	unit: 'people',
	tolerance: 0,
	answer: 12500
};

const scenario = weatherScenario;
const truefalse = fixtures.truefalse.question;

describe('describeAnswer: each type’s answer in words', () => {
	it.each<[string, Question, string]>([
		['choice', choice, 'Rain'],
		['multi', multi, 'Mud; Mess'],
		['order', order, '1. Rain 2. Mud 3. Mess'],
		['match', match, 'Rain → Mud; Sun → Dust'],
		['numeric', numeric, '12,500 people'],
		['evidence', evidence, 'It rained.'],
		['source', source, 'The Herald'],
		[
			'scenario',
			scenario,
			'A flood: for “The river is high.” “More rain is forecast.”, against “The sky cleared.” · A drought: for “The sky cleared.”, against nothing'
		],
		['truefalse', truefalse, 'The article does not support it']
	])('%s', (_type, question, words) => {
		expect(describeAnswer(question, sources)).toBe(words);
	});
});

describe('describeResponse: a learner’s valid response in words', () => {
	it.each<[string, Question, unknown, string]>([
		['choice, the other option', choice, 'b', 'Sun'],
		['multi, in the order ticked', multi, ['o', 'm'], 'Snow; Mud'],
		['multi, one option', multi, ['n'], 'Mess'],
		['order, a wrong order', order, ['z', 'x', 'y'], '1. Mess 2. Rain 3. Mud'],
		[
			'match, crossed pairs, in the left items’ order',
			match,
			{ sun: 'mud', rain: 'dust' },
			'Rain → Dust; Sun → Mud'
		],
		['match, both to one item', match, { rain: 'mud', sun: 'mud' }, 'Rain → Mud; Sun → Mud'],
		['numeric, a small number', numeric, 7, '7 people'],
		['numeric, a decimal', numeric, 1234.5, '1,234.5 people'],
		['numeric, a negative number', numeric, -3, '-3 people'],
		['numeric, millions', numeric, 2_000_000, '2,000,000 people'],
		['evidence, the other sentence', evidence, 's2', 'The mud came.'],
		['source, another source', source, 'gazette', 'The Gazette'],
		['source, one missing from the article’s sources: its id', source, 'wire', 'wire'],
		[
			'scenario, passages on the wrong side, in the scenarios’ order',
			scenario,
			{ drought: { supports: ['p1'], against: ['p2'] }, flood: { supports: ['p2'], against: [] } },
			'A flood: for “The sky cleared.”, against nothing · A drought: for “The river is high.”, against “The sky cleared.”'
		],
		['truefalse, the statement supported', truefalse, true, 'The article supports it']
	])('%s', (_what, question, response, words) => {
		expect(describeResponse(question, response, sources)).toBe(words);
	});
});

describe('describeResponse: a response of the wrong shape or naming nothing real', () => {
	it.each<[string, Question, unknown]>([
		['nothing', choice, undefined],
		['null', choice, null],
		['choice, an unknown option', choice, 'zzz'],
		['choice, a list', choice, ['a']],
		['multi, empty', multi, []],
		['multi, an unknown option', multi, ['m', 'q']],
		['multi, a string', multi, 'm'],
		['order, missing an item', order, ['x', 'y']],
		['order, an unknown item', order, ['x', 'y', 'w']],
		['order, a repeated item', order, ['x', 'x', 'y']],
		['match, an unpaired item', match, { rain: 'mud' }],
		['match, an unknown right item', match, { rain: 'mud', sun: 'snow' }],
		['match, an unknown left item', match, { rain: 'mud', sun: 'dust', moon: 'mud' }],
		['match, a list', match, ['mud', 'dust']],
		[
			'match, a __proto__ key',
			match,
			JSON.parse('{"rain":"mud","sun":"dust","__proto__":"mud"}') as unknown
		],
		['numeric, a string', numeric, '12500'],
		['numeric, NaN', numeric, Number.NaN],
		['numeric, Infinity', numeric, Number.POSITIVE_INFINITY],
		['evidence, an unknown sentence', evidence, 's9'],
		['source, an id not offered', source, 'times'],
		['scenario, an unknown scenario', scenario, { storm: { supports: ['p1'], against: [] } }],
		[
			'scenario, an unknown passage',
			scenario,
			{ flood: { supports: ['p9'], against: [] }, drought: { supports: ['p2'], against: [] } }
		],
		['scenario, a scenario left out', scenario, { flood: { supports: ['p1'], against: [] } }],
		['scenario, just the scenario id', scenario, 'flood'],
		['scenario, the old one-scenario shape', scenario, { scenario: 'flood', evidence: ['p1'] }],
		['truefalse, a string', truefalse, 'true'],
		['truefalse, a number', truefalse, 0]
	])('%s → "no valid answer"', (_what, question, response) => {
		expect(describeResponse(question, response, sources)).toBe('no valid answer');
	});

	it('never throws, whatever it is given', () => {
		const odd: unknown[] = [
			0,
			'',
			{},
			[],
			true,
			Symbol('s'),
			() => 1,
			new Date(0),
			[[]],
			{ scenario: {} }
		];
		for (const question of [
			choice,
			multi,
			order,
			match,
			numeric,
			evidence,
			source,
			scenario,
			truefalse
		]) {
			for (const response of odd) {
				expect(() => describeResponse(question, response, sources)).not.toThrow();
			}
		}
	});
});

describe('quoted', () => {
	it('puts a passage in quotation marks', () => {
		expect(quoted('Gold is mined in the south.')).toBe('“Gold is mined in the south.”');
	});

	it('keeps a passage that opens with the article’s own quotation mark as the article has it', () => {
		const passage =
			'"For centuries, Mali\'s resources have attracted conquerors," notes The Insider.';
		expect(quoted(passage)).toBe(passage);
		expect(quoted('“Curly,” she said.')).toBe('“Curly,” she said.');
	});
});
