import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import {
	AnswerBody,
	CONTROL_ACTIONS,
	ControlBody,
	CreateSessionBody,
	JoinBody,
	Nickname
} from './api';
import { SESSION_MODES } from './session.machine';

const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/** The first issue's message, or null when the input passes. */
function problem(schema: v.GenericSchema, input: unknown): string | null {
	const parsed = v.safeParse(schema, input);
	return parsed.success ? null : parsed.issues[0].message;
}

function output<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
	const parsed = v.safeParse(schema, input);
	if (!parsed.success) throw new Error(parsed.issues[0].message);
	return parsed.output;
}

describe('Nickname', () => {
	it('trims spaces, tabs and newlines around it', () => {
		expect(output(Nickname, '  Ana  ')).toBe('Ana');
		expect(output(Nickname, '\t\nAna Lee\r\n')).toBe('Ana Lee');
		expect(output(Nickname, '\u00a0Zoë\u3000')).toBe('Zoë');
	});

	it('refuses an empty or blank nickname', () => {
		for (const blank of ['', ' ', '\t\n', '\u00a0'])
			expect(problem(Nickname, blank), JSON.stringify(blank)).toBe('nickname must not be empty');
	});

	it('takes 1 to 32 characters after trimming, and refuses 33', () => {
		expect(output(Nickname, 'A')).toBe('A');
		expect(output(Nickname, 'x'.repeat(32))).toBe('x'.repeat(32));
		expect(output(Nickname, `  ${'x'.repeat(32)}  `)).toBe('x'.repeat(32));
		expect(problem(Nickname, 'x'.repeat(33))).toBe('nickname must be at most 32 characters');
	});

	it('takes letters of any script, emoji and punctuation', () => {
		for (const name of ['李雷', 'Ólafur', "O'Brien", 'Ana 🦊', '<b>Bo</b>'])
			expect(output(Nickname, name)).toBe(name);
	});

	it('refuses control characters inside it (C0 and DEL)', () => {
		for (const name of ['A\tB', 'A\nB', 'A\rB', 'A\u0000B', 'A\u001bB', 'A\u007fB'])
			expect(problem(Nickname, name), JSON.stringify(name)).toMatch(/must not contain control/);
	});

	// Regression: the check once stopped at U+007F, letting the C1 controls U+0080–U+009F (NEL,
	// CSI — the 8-bit ESC [) through; `trim()` does not remove them either.
	it('refuses C1 control characters (U+0080–U+009F) too', () => {
		for (const name of ['A\u0085B', 'A\u009b31mB', 'A\u0080B', 'A\u009fB'])
			expect(problem(Nickname, name), JSON.stringify(name)).toMatch(/must not contain control/);
	});

	it('refuses invisible and direction-changing characters that make two names look alike', () => {
		for (const name of ['A\u200bB', 'A\u00adB', 'A\u202eB', 'A\u2066B', 'A\ufeffB', '\u200b'])
			expect(problem(Nickname, name), JSON.stringify(name)).toMatch(/must not contain control/);
	});

	it('refuses format, filler and blank characters: a name that looks empty or like another', () => {
		for (const name of [
			'A\u061cB', // Arabic letter mark (a format character)
			'\u3164', // Hangul filler: a name that shows as nothing
			'Ana\u3164',
			'A\u2800B', // blank Braille pattern
			'\u115fAna', // Hangul choseong filler
			'A\u1160B', // Hangul jungseong filler
			'A\uffa0B', // half-width Hangul filler
			'Ana\u034f', // combining grapheme joiner
			'A\u180eB', // Mongolian vowel separator
			'A\u2064B', // invisible plus
			'A\u{e0041}B', // a tag character
			'A\ue000B', // private use
			'A\u2028B', // line separator
			'A\ud800B' // a lone surrogate
		])
			expect(problem(Nickname, name), JSON.stringify(name)).toBe(
				'nickname must not contain control, invisible or blank characters'
			);
	});

	it('takes emoji with their variation selector (❤️ is U+2764 U+FE0F)', () => {
		for (const name of ['Ana ❤️', 'Bo ☀︎']) expect(output(Nickname, name)).toBe(name);
	});

	it('refuses anything but a string', () => {
		for (const value of [undefined, null, 7, ['Ana'], { nickname: 'Ana' }])
			expect(problem(Nickname, value)).toBe('nickname must be a string');
	});
});

describe('JoinBody', () => {
	it('keeps only the nickname: anything else a client sends is dropped', () => {
		expect(
			output(JoinBody, { nickname: ' Ana ', host: true, points: 100, participantId: 'x' })
		).toEqual({ nickname: 'Ana' });
	});

	it('needs a nickname', () => {
		expect(v.is(JoinBody, {})).toBe(false);
		expect(v.is(JoinBody, null)).toBe(false);
	});
});

describe('AnswerBody', () => {
	it('keeps answerId, questionId and response, and drops a forged score', () => {
		const parsed = output(AnswerBody, {
			answerId: UUID,
			questionId: 'q1',
			response: ['x', 'y'],
			points: 10,
			correct: true,
			credit: 1,
			maxPoints: 10,
			participantId: 'someone-else'
		});
		expect(parsed).toEqual({ answerId: UUID, questionId: 'q1', response: ['x', 'y'] });
		expect(Object.keys(parsed).sort()).toEqual(['answerId', 'questionId', 'response']);
	});

	it('passes any response through for the grader to judge', () => {
		for (const response of ['a', 3.5, null, { scenario: 's', evidence: [] }, ['a']])
			expect(output(AnswerBody, { answerId: UUID, questionId: 'q', response }).response).toEqual(
				response
			);
	});

	it('needs the response key, even when its value is null', () => {
		expect(problem(AnswerBody, { answerId: UUID, questionId: 'q' })).not.toBeNull();
	});

	it('needs a UUID for answerId', () => {
		for (const answerId of ['', 'not-a-uuid', '3f2504e0-4f89-41d3-9a0c-0305e82c330', `${UUID}x`])
			expect(problem(AnswerBody, { answerId, questionId: 'q', response: 'a' })).toBe(
				'answerId must be a UUID'
			);
		expect(problem(AnswerBody, { answerId: 7, questionId: 'q', response: 'a' })).toBe(
			'answerId must be a string'
		);
		expect(v.is(AnswerBody, { answerId: UUID.toUpperCase(), questionId: 'q', response: 'a' })).toBe(
			true
		);
	});

	it('needs a questionId of 1 to 64 characters', () => {
		const body = (questionId: unknown) => ({ answerId: UUID, questionId, response: 'a' });
		expect(v.is(AnswerBody, body(''))).toBe(false);
		expect(v.is(AnswerBody, body('q'.repeat(64)))).toBe(true);
		expect(problem(AnswerBody, body('q'.repeat(65)))).toBe('questionId is too long');
		expect(problem(AnswerBody, body(1))).toBe('questionId must be a string');
	});
});

describe('CreateSessionBody', () => {
	it('takes a scenario and either mode, and drops anything else', () => {
		for (const mode of SESSION_MODES)
			expect(output(CreateSessionBody, { scenario: 'tiny', mode, hostToken: 'x' })).toEqual({
				scenario: 'tiny',
				mode
			});
	});

	it('refuses a mode that is not in the picklist', () => {
		for (const mode of ['Teacher-Paced', 'self', '', undefined, 1])
			expect(problem(CreateSessionBody, { scenario: 'tiny', mode })).toBe(
				'mode must be one of teacher-paced, self-paced'
			);
	});

	it('needs a scenario of 1 to 64 characters', () => {
		expect(problem(CreateSessionBody, { scenario: '', mode: 'self-paced' })).toBe(
			'scenario is required'
		);
		expect(problem(CreateSessionBody, { scenario: 's'.repeat(65), mode: 'self-paced' })).toBe(
			'scenario is too long'
		);
		expect(problem(CreateSessionBody, { scenario: 7, mode: 'self-paced' })).toBe(
			'scenario must be a string'
		);
		// A missing key gets valibot's own words, not the schema's message.
		expect(problem(CreateSessionBody, { mode: 'self-paced' })).toMatch(/^Invalid key/);
	});

	it('trims an optional title to at most 80 characters', () => {
		const body = (title: unknown) => ({ scenario: 'tiny', mode: 'self-paced', title });
		expect(output(CreateSessionBody, body('  Period 3  ')).title).toBe('Period 3');
		expect(output(CreateSessionBody, body(`  ${'t'.repeat(80)}  `)).title).toBe('t'.repeat(80));
		expect(problem(CreateSessionBody, body('t'.repeat(81)))).toBe(
			'title must be at most 80 characters'
		);
		expect(output(CreateSessionBody, body('   ')).title).toBe('');
		expect(output(CreateSessionBody, { scenario: 'tiny', mode: 'self-paced' }).title).toBe(
			undefined
		);
	});
});

describe('ControlBody', () => {
	it('takes each action of the picklist', () => {
		expect([...CONTROL_ACTIONS]).toEqual(['start', 'open', 'reveal', 'next', 'end']);
		for (const action of CONTROL_ACTIONS)
			expect(output(ControlBody, { action, extra: 1 })).toEqual({ action });
	});

	it('refuses any other action', () => {
		for (const action of ['START', 'close', 'delete', '', null])
			expect(problem(ControlBody, { action })).toBe(
				'action must be one of start, open, reveal, next, end'
			);
	});

	it('takes an optional questionId of at most 64 characters', () => {
		expect(output(ControlBody, { action: 'open', questionId: 'q1' })).toEqual({
			action: 'open',
			questionId: 'q1'
		});
		expect(v.is(ControlBody, { action: 'open', questionId: 'q'.repeat(65) })).toBe(false);
		expect(problem(ControlBody, { action: 'open', questionId: 3 })).toBe(
			'questionId must be a string'
		);
	});
});
