import { describe, expect, it } from 'vitest';
import { publicPack } from '$lib/content/public-pack';
import type { Question } from '$lib/content/pack';
import type { StudyBody } from '$lib/content/study-api';
import { HINT_COST, MAX_POINTS, RETRY_MAX_POINTS } from '$lib/grading/score';
import { scenarioPack, tinyPack } from '$lib/journey/fixture';
import { parseAnswerKeyMode, ConfigError } from './config';
import { readReceipt, signReceipt, study } from './study';

const questions = tinyPack.steps.flatMap((s) => s.questions);
const byId = (id: string) => questions.find((q) => q.id === id)!;
const ask = (questionId: string, request: StudyBody['request'], receipt?: string) =>
	study(tinyPack, { questionId, receipt, request });
/** The 4xx a request is refused with, and its message. */
function refusal(run: () => unknown): { status: number; message: string } {
	try {
		run();
	} catch (e) {
		const { status, body } = e as { status: number; body: { message: string } };
		return { status, message: body.message };
	}
	throw new Error('not refused');
}

describe('publicPack', () => {
	const shown = JSON.stringify(publicPack(scenarioPack));
	it('carries no answer, explanation, evidence or hint of any question', () => {
		for (const q of scenarioPack.steps.flatMap((s) => s.questions)) {
			expect(shown).not.toContain(JSON.stringify(q.explanation));
			if (q.hint) expect(shown).not.toContain(JSON.stringify(q.hint));
		}
		expect(shown).not.toMatch(/"(answer|explanation|evidence|hint|supports|against)":/);
	});
	it('says which questions have a hint, and locates only passages the page shows', () => {
		const pack = publicPack(tinyPack);
		const flags = pack.steps.flatMap((s) => s.questions.map((q) => [q.id, q.hasHint]));
		expect(flags).toEqual(questions.map((q) => [q.id, q.hint !== undefined]));
		const evidenceOnly = questions
			.flatMap((q) => q.evidence)
			.filter((p) => !tinyPack.steps.some((s) => s.keyPassage === p));
		for (const passage of evidenceOnly) expect(pack.anchors[passage]).toBeUndefined();
	});
});

describe('study: grading on the server', () => {
	it('grades with the one grader and reveals the question once it is done', () => {
		const right = ask('q-choice', { kind: 'answer', response: 'a' });
		expect(right).toMatchObject({ credit: 1, points: MAX_POINTS, question: byId('q-choice') });
		const wrong = ask('q-choice', { kind: 'answer', response: 'b' });
		expect(wrong.credit).toBe(0);
		expect(wrong.question).toBeUndefined();
		const retry = ask('q-choice', { kind: 'answer', response: 'a' }, wrong.receipt);
		expect(retry).toMatchObject({
			credit: 1,
			points: RETRY_MAX_POINTS,
			question: byId('q-choice')
		});
	});

	it('charges a hint from its receipt, and gives no try beyond the last', () => {
		const hinted = byId('q-numeric') as Extract<Question, { type: 'numeric' }>;
		const hint = ask(hinted.id, { kind: 'hint' });
		expect(hint.hint).toBe(hinted.hint);
		const graded = ask(hinted.id, { kind: 'answer', response: hinted.answer }, hint.receipt);
		expect(graded.points).toBe(MAX_POINTS - HINT_COST);
		expect(refusal(() => ask(hinted.id, { kind: 'answer', response: 0 }, graded.receipt))).toEqual({
			status: 409,
			message: 'This question is done; start the journey again to answer it anew.'
		});
	});

	it('refuses a forged, altered or borrowed receipt', () => {
		// A receipt after a wrong try, edited to claim no try yet: its signature no longer fits.
		const [payload, signature] = ask('q-choice', { kind: 'answer', response: 'b' }).receipt.split(
			'.'
		);
		const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
		const edited = `${Buffer.from(JSON.stringify({ ...claims, tries: 0 })).toString('base64url')}.${signature}`;
		expect(refusal(() => ask('q-choice', { kind: 'answer', response: 'a' }, edited))).toEqual({
			status: 400,
			message: 'This receipt was not issued by this server; start the question again.'
		});
		const forged = signReceipt({
			version: tinyPack.version,
			questionId: 'q-choice',
			tries: 0,
			hintUsed: false,
			done: false,
			picks: {}
		}).replace(/\.[^.]+$/, '.AAAA');
		expect(refusal(() => ask('q-choice', { kind: 'answer', response: 'a' }, forged)).status).toBe(
			400
		);
		const other = ask('q-order', { kind: 'answer', response: ['z', 'y', 'x'] }).receipt;
		expect(refusal(() => readReceipt(other, tinyPack, 'q-choice')).message).toMatch(
			/another question/
		);
	});

	it('refuses a reveal before any answer, an unknown question and a bad response', () => {
		expect(refusal(() => ask('q-choice', { kind: 'reveal' })).status).toBe(409);
		expect(refusal(() => ask('nope', { kind: 'reveal' })).status).toBe(404);
		expect(refusal(() => ask('q-choice', { kind: 'answer', response: 'zz' })).message).toBe(
			'There is no option "zz".'
		);
	});

	it('shows a scenario once picked, keeps those picks, and grades the exploration with them', () => {
		const run = (request: StudyBody['request'], receipt?: string) =>
			study(scenarioPack, { questionId: 'q-scenario', receipt, request });
		const weak = { supports: ['p4'], against: [] };
		const flood = run({ kind: 'picks', scenarioId: 'flood', picks: weak });
		expect(flood.scenario).toEqual({ supports: ['p1', 'p3'], against: ['p2'] });
		expect(
			refusal(() => run({ kind: 'picks', scenarioId: 'flood', picks: weak }, flood.receipt))
		).toMatchObject({ status: 409 });
		// Sending the right picks for flood after seeing them does not change what was checked.
		const answer = {
			flood: { supports: ['p1', 'p3'], against: ['p2'] },
			drought: { supports: ['p2'], against: [] },
			calm: { supports: ['p4'], against: ['p1'] }
		};
		const graded = run({ kind: 'answer', response: answer }, flood.receipt);
		expect(graded.credit).toBeLessThan(1);
		expect(graded.question?.id).toBe('q-scenario');
	});
});

describe('ANSWER_KEYS', () => {
	it('is client unless set to server; anything else stops the server with a message', () => {
		expect(parseAnswerKeyMode(undefined)).toBe('client');
		expect(parseAnswerKeyMode(' server ')).toBe('server');
		expect(() => parseAnswerKeyMode('both')).toThrow(ConfigError);
	});
});
