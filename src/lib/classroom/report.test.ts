/**
 * The session report from fixtures: every answer as a row with its link, skill, words and time,
 * each participant's totals and shares per link and per skill, and each question's figures with
 * the median time taken. Every expected value is worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import type { Pack } from '$lib/content/pack';
import type { Skill } from '$lib/content/schema';
import { tinyPack } from '$lib/journey/fixture';
import { buildReport, type ReportAnswer, type ReportParticipant } from './report';

/** The tiny pack with a different skill on each question, so per-skill shares can be told apart. */
const SKILL_OF: Record<string, Skill> = {
	'q-choice': 'recall',
	'q-order': 'sequence',
	'q-numeric': 'numbers',
	'q-multi': 'cause-effect'
};
const pack: Pack = {
	...tinyPack,
	steps: tinyPack.steps.map((step) => ({
		...step,
		questions: step.questions.map((q) => ({ ...q, skill: SKILL_OF[q.id]! }))
	}))
};

const T = (hms: string) => `2025-03-04T${hms}Z`;

const participants: ReportParticipant[] = [
	{ id: 'p-ana', nickname: 'Ana', joinedAt: T('10:00:00.000') },
	{ id: 'p-ben', nickname: 'Ben', joinedAt: T('10:00:30.000') },
	{ id: 'p-cy', nickname: 'Cy', joinedAt: T('10:01:00.000') },
	{ id: 'p-dee', nickname: 'Dee', joinedAt: T('10:01:10.000') }
];

let n = 0;
const answer = (
	participantId: string,
	questionId: string,
	response: unknown,
	correct: boolean,
	points: number,
	at: string
): ReportAnswer => ({
	answerId: `a-${String(++n).padStart(2, '0')}`,
	participantId,
	questionId,
	response,
	correct,
	credit: points / 10,
	points,
	maxPoints: 10,
	answeredAt: T(at)
});

/**
 * Ana: choice right at +20 s, order right 45 s later, numeric right 10 s later: 30 points.
 * Ben: choice wrong (+10 s after joining), order one of three in place (3 points, +60 s),
 *      numeric wrong (+10 s), multi wrong (+40 s): 3 points.
 * Cy: choice wrong (+30 s). Dee answers nothing.
 * One stored answer names a question the pack no longer has: it is left out everywhere.
 * Given out of order, as a database might return them.
 */
const answers: ReportAnswer[] = [
	answer('p-ben', 'q-multi', ['m', 'o'], false, 0, '10:02:30.000'),
	answer('p-ana', 'q-choice', 'a', true, 10, '10:00:20.000'),
	answer('p-ben', 'q-choice', 'b', false, 0, '10:00:40.000'),
	answer('p-cy', 'q-choice', 'b', false, 0, '10:01:30.000'),
	answer('p-ana', 'q-order', ['x', 'y', 'z'], true, 10, '10:01:05.000'),
	answer('p-ben', 'q-order', ['x', 'z', 'y'], false, 3, '10:01:40.000'),
	answer('p-ana', 'q-numeric', 1, true, 10, '10:01:15.000'),
	answer('p-ben', 'q-numeric', 2, false, 0, '10:01:50.000'),
	answer('p-cy', 'q-gone', 'a', true, 10, '10:01:35.000')
];

const share = (questions: number, maxPoints: number, points: number, correct: number) => ({
	questions,
	maxPoints,
	points,
	correct
});

describe('buildReport for a small class', () => {
	const report = buildReport(pack, participants, answers);

	it('has one row per known answer, in answering order, with link, skill, words and seconds', () => {
		// prettier-ignore
		expect(
			report.rows.map((r) => [
				r.nickname, r.questionId, r.linkId, r.skill, r.responseText, r.correct, r.points,
				r.maxPoints, r.answeredAt, r.seconds
			])
		).toEqual([
			['Ana', 'q-choice', 'rain', 'recall', 'Rain', true, 10, 10, T('10:00:20.000'), 20],
			['Ben', 'q-choice', 'rain', 'recall', 'Sun', false, 0, 10, T('10:00:40.000'), 10],
			['Ana', 'q-order', 'rain', 'sequence', '1. Rain 2. Mud 3. Mess', true, 10, 10, T('10:01:05.000'), 45],
			['Ana', 'q-numeric', 'mud', 'numbers', '1 rains', true, 10, 10, T('10:01:15.000'), 10],
			['Cy', 'q-choice', 'rain', 'recall', 'Sun', false, 0, 10, T('10:01:30.000'), 30],
			['Ben', 'q-order', 'rain', 'sequence', '1. Rain 2. Mess 3. Mud', false, 3, 10, T('10:01:40.000'), 60],
			['Ben', 'q-numeric', 'mud', 'numbers', '2 rains', false, 0, 10, T('10:01:50.000'), 10],
			['Ben', 'q-multi', 'mess', 'cause-effect', 'Mud; Snow', false, 0, 10, T('10:02:30.000'), 40]
		]);
	});

	it('keeps each row’s own answer fields (id, participant, response, credit)', () => {
		const row = report.rows.find((r) => r.participantId === 'p-ben' && r.questionId === 'q-order');
		expect(row).toMatchObject({
			participantId: 'p-ben',
			response: ['x', 'z', 'y'],
			credit: 0.3
		});
		expect(row?.answerId).toMatch(/^a-\d\d$/);
		expect(new Set(report.rows.map((r) => r.answerId)).size).toBe(report.rows.length);
	});

	it('totals each participant over the whole scenario (4 questions × 10 = 40 points)', () => {
		expect(
			report.participants.map((p) => [
				p.id,
				p.nickname,
				p.answered,
				p.correct,
				p.points,
				p.maxPoints
			])
		).toEqual([
			['p-ana', 'Ana', 3, 3, 30, 40],
			['p-ben', 'Ben', 4, 0, 3, 40],
			['p-cy', 'Cy', 1, 0, 0, 40],
			['p-dee', 'Dee', 0, 0, 0, 40]
		]);
	});

	it('shares points per link: unanswered questions count as 0 of 10', () => {
		const byLink = Object.fromEntries(report.participants.map((p) => [p.nickname, p.byLink]));
		expect(byLink.Ana).toEqual({
			rain: share(2, 20, 20, 2),
			mud: share(1, 10, 10, 1),
			mess: share(1, 10, 0, 0)
		});
		expect(byLink.Ben).toEqual({
			rain: share(2, 20, 3, 0),
			mud: share(1, 10, 0, 0),
			mess: share(1, 10, 0, 0)
		});
		expect(byLink.Dee).toEqual({
			rain: share(2, 20, 0, 0),
			mud: share(1, 10, 0, 0),
			mess: share(1, 10, 0, 0)
		});
	});

	it('shares points per skill, listing only the skills the pack has', () => {
		const bySkill = Object.fromEntries(report.participants.map((p) => [p.nickname, p.bySkill]));
		expect(bySkill.Ana).toEqual({
			recall: share(1, 10, 10, 1),
			sequence: share(1, 10, 10, 1),
			numbers: share(1, 10, 10, 1),
			'cause-effect': share(1, 10, 0, 0)
		});
		expect(bySkill.Ben).toEqual({
			recall: share(1, 10, 0, 0),
			sequence: share(1, 10, 3, 0),
			numbers: share(1, 10, 0, 0),
			'cause-effect': share(1, 10, 0, 0)
		});
		expect(bySkill.Cy).toEqual({
			recall: share(1, 10, 0, 0),
			sequence: share(1, 10, 0, 0),
			numbers: share(1, 10, 0, 0),
			'cause-effect': share(1, 10, 0, 0)
		});
	});

	it('gives each question its share right, its most common wrong answer and its median seconds', () => {
		expect(report.questions).toEqual([
			{
				questionId: 'q-choice',
				linkId: 'rain',
				skill: 'recall',
				prompt: 'What happened?',
				asked: true,
				answered: 3,
				correctShare: 1 / 3,
				commonWrong: { label: 'Sun', count: 2 },
				// 20, 10, 30 s
				medianSeconds: 20
			},
			{
				questionId: 'q-order',
				linkId: 'rain',
				skill: 'sequence',
				prompt: 'Order them.',
				asked: true,
				answered: 2,
				correctShare: 0.5,
				commonWrong: { label: '1. Rain 2. Mess 3. Mud', count: 1 },
				// 45 and 60 s: the mean of the middle two
				medianSeconds: 52.5
			},
			{
				questionId: 'q-numeric',
				linkId: 'mud',
				skill: 'numbers',
				prompt: 'How many rains?',
				asked: true,
				answered: 2,
				correctShare: 0.5,
				commonWrong: { label: '2 rains', count: 1 },
				medianSeconds: 10
			},
			{
				questionId: 'q-multi',
				linkId: 'mess',
				skill: 'cause-effect',
				prompt: 'Which came?',
				asked: true,
				answered: 1,
				correctShare: 0,
				commonWrong: { label: 'Mud; Snow', count: 1 },
				medianSeconds: 40
			}
		]);
	});

	it('gives each link its share right over every answer to its questions', () => {
		expect(report.links).toEqual([
			// 5 answers, 2 right
			{ linkId: 'rain', title: 'Rain', asked: true, correctShare: 0.4, answered: 5 },
			{ linkId: 'mud', title: 'Mud', asked: true, correctShare: 0.5, answered: 2 },
			{ linkId: 'mess', title: 'Mess', asked: true, correctShare: 0, answered: 1 }
		]);
	});

	it('does not depend on the order the answers are given in', () => {
		const again = buildReport(pack, participants, [...answers].reverse());
		expect(again).toEqual(report);
	});
});

describe('a session that asked only some questions', () => {
	// Only the first link's questions were asked; Ana answered them both right.
	const rain = pack.steps[0]!;
	const asked = rain.questions.map((q) => q.id);
	const sessionAnswers = [
		answer('p-ana', asked[0]!, 'x', true, 10, '10:00:20.000'),
		...(asked[1] ? [answer('p-ana', asked[1], 'x', true, 10, '10:00:40.000')] : [])
	];
	const report = buildReport(pack, participants, sessionAnswers, asked);

	it('has no share for a link or skill not asked, rather than a 0', () => {
		const ana = report.participants.find((p) => p.nickname === 'Ana')!;
		expect(Object.keys(ana.byLink)).toEqual([rain.id]);
		expect(ana.byLink[rain.id]).toMatchObject({ questions: asked.length, correct: asked.length });
		const askedSkills = new Set(rain.questions.map((q) => q.skill));
		expect(new Set(Object.keys(ana.bySkill))).toEqual(askedSkills);
	});

	it("counts the points possible over the questions asked, as each participant's own screen does", () => {
		for (const p of report.participants) expect(p.maxPoints).toBe(asked.length * 10);
		expect(asked.length).toBeLessThan(pack.steps.flatMap((s) => s.questions).length);
	});

	it('marks each link and question asked or not', () => {
		expect(report.links.map((l) => [l.linkId, l.asked])).toEqual(
			pack.steps.map((s) => [s.id, s === rain])
		);
		expect(report.questions.filter((q) => q.asked).map((q) => q.questionId)).toEqual(asked);
	});
});

describe('buildReport edge cases', () => {
	it('an empty session: no rows, nobody, every figure null', () => {
		const report = buildReport(pack, [], []);
		expect(report.rows).toEqual([]);
		expect(report.participants).toEqual([]);
		expect(
			report.questions.map((q) => [
				q.questionId,
				q.answered,
				q.correctShare,
				q.commonWrong,
				q.medianSeconds
			])
		).toEqual([
			['q-choice', 0, null, null, null],
			['q-order', 0, null, null, null],
			['q-numeric', 0, null, null, null],
			['q-multi', 0, null, null, null]
		]);
		expect(report.links.map((l) => [l.linkId, l.answered, l.correctShare])).toEqual([
			['rain', 0, null],
			['mud', 0, null],
			['mess', 0, null]
		]);
	});

	it('rounds seconds to the nearest whole second and never goes below zero', () => {
		const joined = [{ id: 'p', nickname: 'P', joinedAt: T('09:00:00.000') }];
		const report = buildReport(pack, joined, [
			// 12.6 s after joining → 13
			answer('p', 'q-choice', 'a', true, 10, '09:00:12.600'),
			// 0.4 s later → 0
			answer('p', 'q-order', ['x', 'y', 'z'], true, 10, '09:00:13.000'),
			// 2.5 s later → 3 (Math.round rounds halves up)
			answer('p', 'q-numeric', 1, true, 10, '09:00:15.500')
		]);
		expect(report.rows.map((r) => r.seconds)).toEqual([13, 0, 3]);

		// A clock that put an answer before the join: 0 s, not a negative time.
		const skewed = buildReport(pack, joined, [
			answer('p', 'q-choice', 'a', true, 10, '08:59:50.000')
		]);
		expect(skewed.rows[0]?.seconds).toBe(0);
	});

	it('orders answers given at the same instant by answer id', () => {
		const joined = [{ id: 'p', nickname: 'P', joinedAt: T('09:00:00.000') }];
		const first = {
			...answer('p', 'q-order', ['x', 'y', 'z'], true, 10, '09:00:05.000'),
			answerId: 'b-2'
		};
		const second = { ...answer('p', 'q-choice', 'a', true, 10, '09:00:05.000'), answerId: 'b-1' };
		const report = buildReport(pack, joined, [first, second]);
		expect(report.rows.map((r) => [r.answerId, r.seconds])).toEqual([
			['b-1', 5],
			['b-2', 0]
		]);
	});

	it('describes a response of the wrong shape as such, and counts it as a wrong answer', () => {
		const joined = [{ id: 'p', nickname: 'P', joinedAt: T('09:00:00.000') }];
		const report = buildReport(pack, joined, [
			answer('p', 'q-numeric', 'lots', false, 0, '09:00:05.000')
		]);
		expect(report.rows[0]?.responseText).toBe('no valid answer');
		expect(report.questions.find((q) => q.questionId === 'q-numeric')?.commonWrong).toEqual({
			label: 'no valid answer',
			count: 1
		});
	});

	it('picks the most given wrong answer, ties broken alphabetically', () => {
		const people = ['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => ({
			id,
			nickname: id,
			joinedAt: T('09:00:00.000')
		}));
		const report = buildReport(pack, people, [
			answer('p1', 'q-numeric', 7, false, 0, '09:00:01.000'),
			answer('p2', 'q-numeric', 5, false, 0, '09:00:02.000'),
			answer('p3', 'q-numeric', 7, false, 0, '09:00:03.000'),
			answer('p4', 'q-numeric', 5, false, 0, '09:00:04.000'),
			answer('p5', 'q-numeric', 1, true, 10, '09:00:05.000')
		]);
		const q = report.questions.find((x) => x.questionId === 'q-numeric');
		expect(q?.commonWrong).toEqual({ label: '5 rains', count: 2 });
		expect(q?.correctShare).toBe(0.2);
		expect(q?.medianSeconds).toBe(3);
	});
});
