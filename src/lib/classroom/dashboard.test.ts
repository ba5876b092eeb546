import { describe, expect, it } from 'vitest';
import type { Pack, Question } from '$lib/content/pack';
import { tinyPack } from '$lib/journey/fixture';
import {
	buildDashboard,
	DashboardTally,
	type DashboardAnswer,
	type DashboardParticipant
} from './dashboard';

const EXPLANATION = 'Because the text says so.';

const people: DashboardParticipant[] = [
	{ id: 'p-ana', nickname: 'Ana' },
	{ id: 'p-ben', nickname: 'Ben' },
	{ id: 'p-cy', nickname: 'Cy' }
];

const answer = (
	participantId: string,
	questionId: string,
	response: unknown,
	correct: boolean,
	points: number
): DashboardAnswer => ({ participantId, questionId, response, correct, points });

/**
 * Ana right everywhere she answers; Ben wrong on the choice, partly right on the order (one item
 * of three in place: 3 points), wrong on the number; Cy wrong on the choice only. Nobody answers
 * the multi question.
 */
const answers: DashboardAnswer[] = [
	answer('p-ana', 'q-choice', 'a', true, 10),
	answer('p-ben', 'q-choice', 'b', false, 0),
	answer('p-cy', 'q-choice', 'b', false, 0),
	answer('p-ana', 'q-order', ['x', 'y', 'z'], true, 10),
	answer('p-ben', 'q-order', ['x', 'z', 'y'], false, 3),
	answer('p-ana', 'q-numeric', 1, true, 10),
	answer('p-ben', 'q-numeric', 2, false, 0)
];

describe('the dashboard of a small class', () => {
	const dashboard = buildDashboard(tinyPack, people, answers, 'q-order');

	it('has one entry per question, in pack order, with its link and prompt', () => {
		expect(dashboard.questions.map((q) => [q.questionId, q.linkId, q.prompt])).toEqual([
			['q-choice', 'rain', 'What happened?'],
			['q-order', 'rain', 'Order them.'],
			['q-numeric', 'mud', 'How many rains?'],
			['q-multi', 'mess', 'Which came?']
		]);
	});

	it('counts the choice question: 3 answered, 1 right, the common wrong answer first', () => {
		expect(dashboard.questions[0]).toEqual({
			questionId: 'q-choice',
			linkId: 'rain',
			prompt: 'What happened?',
			answered: 3,
			correct: 1,
			correctShare: 1 / 3,
			distribution: [
				{ label: 'Sun', count: 2, correct: false },
				{ label: 'Rain', count: 1, correct: true }
			],
			commonWrong: { label: 'Sun', count: 2, explanation: EXPLANATION }
		});
	});

	it('counts a partly right order as not correct, and breaks count ties by label', () => {
		const order = dashboard.questions[1];
		expect(order?.answered).toBe(2);
		expect(order?.correct).toBe(1);
		expect(order?.correctShare).toBe(0.5);
		expect(order?.distribution).toEqual([
			{ label: '1. Rain 2. Mess 3. Mud', count: 1, correct: false },
			{ label: '1. Rain 2. Mud 3. Mess', count: 1, correct: true }
		]);
		expect(order?.commonWrong).toEqual({
			label: '1. Rain 2. Mess 3. Mud',
			count: 1,
			explanation: EXPLANATION
		});
	});

	it('puts numbers in words with their unit', () => {
		const numeric = dashboard.questions[2];
		expect(numeric?.distribution).toEqual([
			{ label: '1 rains', count: 1, correct: true },
			{ label: '2 rains', count: 1, correct: false }
		]);
		expect(numeric?.commonWrong).toEqual({ label: '2 rains', count: 1, explanation: EXPLANATION });
	});

	it('gives nulls, not zeros, for a question nobody answered', () => {
		expect(dashboard.questions[3]).toEqual({
			questionId: 'q-multi',
			linkId: 'mess',
			prompt: 'Which came?',
			answered: 0,
			correct: 0,
			correctShare: null,
			distribution: [],
			commonWrong: null
		});
	});

	it('sums each link over its questions', () => {
		expect(dashboard.links).toEqual([
			{ linkId: 'rain', title: 'Rain', answered: 5, correct: 2, correctShare: 0.4 },
			{ linkId: 'mud', title: 'Mud', answered: 2, correct: 1, correctShare: 0.5 },
			{ linkId: 'mess', title: 'Mess', answered: 0, correct: 0, correctShare: null }
		]);
	});

	it('lists who has answered the open question and who is still working, by nickname', () => {
		expect(dashboard.open).toEqual({
			questionId: 'q-order',
			answered: ['Ana', 'Ben'],
			waiting: ['Cy']
		});
	});

	it('totals each participant`s answers and points, in the order given', () => {
		expect(
			dashboard.participants.map(({ id, nickname, answered, correct, points }) => ({
				id,
				nickname,
				answered,
				correct,
				points
			}))
		).toEqual([
			{ id: 'p-ana', nickname: 'Ana', answered: 3, correct: 3, points: 30 },
			{ id: 'p-ben', nickname: 'Ben', answered: 3, correct: 0, points: 3 },
			{ id: 'p-cy', nickname: 'Cy', answered: 1, correct: 0, points: 0 }
		]);
	});

	it('says which link and question each student is on: the first they have not answered', () => {
		expect(dashboard.participants.map((p) => [p.nickname, p.on])).toEqual([
			['Ana', { questionId: 'q-multi', linkId: 'mess' }],
			['Ben', { questionId: 'q-multi', linkId: 'mess' }],
			['Cy', { questionId: 'q-order', linkId: 'rain' }]
		]);
		const done = buildDashboard(
			tinyPack,
			people,
			[...answers, answer('p-ana', 'q-multi', ['m', 'n'], true, 10)],
			null
		);
		expect(done.participants[0]?.on).toBeNull();
	});

	it('keeps when each student last answered, or joined before any answer', () => {
		const at = (hms: string) => `2025-03-04T${hms}Z`;
		const timed = buildDashboard(
			tinyPack,
			[
				{ id: 'p-ana', nickname: 'Ana', joinedAt: at('10:00:00') },
				{ id: 'p-ben', nickname: 'Ben', joinedAt: at('10:00:05') }
			],
			[
				{ ...answer('p-ana', 'q-order', ['x', 'y', 'z'], true, 10), answeredAt: at('10:03:00') },
				{ ...answer('p-ana', 'q-choice', 'a', true, 10), answeredAt: at('10:01:00') }
			],
			null
		);
		expect(timed.participants.map((p) => p.lastActiveAt)).toEqual([at('10:03:00'), at('10:00:05')]);
	});

	it('has no open entry when no question is open', () => {
		expect(buildDashboard(tinyPack, people, answers, null).open).toBeNull();
	});

	it('has everyone waiting on an open question nobody has answered', () => {
		expect(buildDashboard(tinyPack, people, answers, 'q-multi').open).toEqual({
			questionId: 'q-multi',
			answered: [],
			waiting: ['Ana', 'Ben', 'Cy']
		});
	});
});

describe('a question nobody got right', () => {
	it('lists the right answer all the same, with 0, after the answers given', () => {
		const dashboard = buildDashboard(
			tinyPack,
			people,
			[answer('p-ben', 'q-choice', 'b', false, 0), answer('p-cy', 'q-choice', 'b', false, 0)],
			'q-choice'
		);
		expect(dashboard.questions[0]?.distribution).toEqual([
			{ label: 'Sun', count: 2, correct: false },
			{ label: 'Rain', count: 0, correct: true }
		]);
		expect(dashboard.questions[0]?.commonWrong?.label).toBe('Sun');
	});
});

describe('the dashboard of a class with no answers', () => {
	it('has zero counts and null shares everywhere', () => {
		const dashboard = buildDashboard(tinyPack, people, [], null);
		expect(dashboard.open).toBeNull();
		expect(dashboard.participants.map((p) => [p.nickname, p.answered, p.points])).toEqual([
			['Ana', 0, 0],
			['Ben', 0, 0],
			['Cy', 0, 0]
		]);
		for (const q of dashboard.questions) {
			expect([q.answered, q.correct, q.correctShare, q.distribution, q.commonWrong]).toEqual([
				0,
				0,
				null,
				[],
				null
			]);
		}
		for (const link of dashboard.links) {
			expect([link.answered, link.correct, link.correctShare]).toEqual([0, 0, null]);
		}
	});

	it('has no participants before anyone joins', () => {
		const dashboard = buildDashboard(tinyPack, [], [], 'q-choice');
		expect(dashboard.participants).toEqual([]);
		expect(dashboard.open).toEqual({ questionId: 'q-choice', answered: [], waiting: [] });
	});
});

describe('the dashboard`s distribution, where two answers print alike', () => {
	// BUG (dashboard.ts, buildDashboard): the tally is keyed by the response's label and takes
	// `correct` from the first answer with that label. A number is printed with at most three
	// decimals, so 1.0001 (wrong at tolerance 0) prints as "1 rains", like the right answer, and
	// the two are merged: the wrong answer disappears from commonWrong (or, if it comes first,
	// the right answers are shown as a common wrong one).
	it('keeps a wrong number apart from the right one even when both print as "1 rains"', () => {
		const rightFirst = buildDashboard(
			tinyPack,
			people,
			[answer('p-ana', 'q-numeric', 1, true, 10), answer('p-ben', 'q-numeric', 1.0001, false, 0)],
			null
		).questions[2];
		expect(rightFirst?.correct).toBe(1);
		expect(rightFirst?.commonWrong).not.toBeNull();
		expect(rightFirst?.distribution.filter((d) => d.correct).map((d) => d.count)).toEqual([1]);
	});

	// BUG (dashboard.ts, buildDashboard): a multi response is described in the order the options
	// were ticked (QuestionForm sends `[...chosen]` in click order), so the same set of options
	// ticked in two orders shows as two separate bars of the distribution.
	it('counts the same set of ticked options once, whatever order they were ticked in', () => {
		const multi = buildDashboard(
			tinyPack,
			people,
			[
				answer('p-ana', 'q-multi', ['m', 'n'], true, 10),
				answer('p-ben', 'q-multi', ['n', 'm'], true, 10)
			],
			null
		).questions[3];
		expect(multi?.distribution).toHaveLength(1);
		expect(multi?.distribution[0]?.count).toBe(2);
	});
});

describe('the dashboard of a large class', () => {
	/** 33 questions over 11 links, cycling through the tiny pack's question types. */
	function bigPack(): Pick<Pack, 'steps' | 'article'> {
		const templates = tinyPack.steps.flatMap((s) => s.questions);
		const steps = Array.from({ length: 11 }, (_, s) => ({
			...tinyPack.steps[0]!,
			id: `link-${s}`,
			title: `Link ${s}`,
			questions: Array.from({ length: 3 }, (_, k): Question => {
				const template = templates[(s * 3 + k) % templates.length]!;
				return { ...template, id: `q-${s}-${k}` };
			})
		}));
		return { steps, article: tinyPack.article };
	}

	const WRONG: Record<string, unknown> = {
		choice: 'b',
		order: ['z', 'y', 'x'],
		numeric: 7,
		multi: ['o']
	};

	it('builds for 2,000 participants × 33 answers in well under a second', () => {
		const pack = bigPack();
		const questions = pack.steps.flatMap((s) => s.questions);
		expect(questions).toHaveLength(33);
		const participants = Array.from({ length: 2000 }, (_, i) => ({
			id: `p-${i}`,
			nickname: `Learner ${i}`
		}));
		const many: DashboardAnswer[] = participants.flatMap((p, i) =>
			questions.map((q, j) => {
				const right = (i + j) % 3 !== 0;
				return answer(p.id, q.id, right ? q.answer : WRONG[q.type], right, right ? 10 : 0);
			})
		);
		expect(many).toHaveLength(66_000);

		// The server recomputes the dashboard again and again: time a warm run, as it would be.
		buildDashboard(pack, participants.slice(0, 50), many.slice(0, 50 * 33), null);
		const started = performance.now();
		const dashboard = buildDashboard(pack, participants, many, questions[5]!.id);
		const elapsed = performance.now() - started;

		expect(elapsed).toBeLessThan(1500);
		expect(dashboard.questions.reduce((n, q) => n + q.answered, 0)).toBe(66_000);
		expect(dashboard.participants.every((p) => p.answered === 33)).toBe(true);
		expect(dashboard.open?.answered).toHaveLength(2000);
		expect(dashboard.open?.waiting).toEqual([]);
		for (const q of dashboard.questions) {
			expect(q.distribution.reduce((n, d) => n + d.count, 0)).toBe(2000);
			expect(q.distribution).toHaveLength(2);
		}
	});
});

describe('the running tally the server keeps', () => {
	it('does not count a second answer from the same person to the same question', () => {
		const tally = new DashboardTally(tinyPack);
		tally.addParticipant(people[0]!);
		expect(tally.addAnswer(answer('p-ana', 'q-choice', 'a', true, 10))).toBe(true);
		expect(tally.addAnswer(answer('p-ana', 'q-choice', 'b', false, 0))).toBe(false);
		expect(tally.addAnswer(answer('p-ana', 'q-unknown', 'b', false, 0))).toBe(false);
		const view = tally.view('q-choice');
		expect(view.questions[0]).toMatchObject({ answered: 1, correct: 1 });
		expect(view.participants).toMatchObject([
			{ id: 'p-ana', nickname: 'Ana', answered: 1, correct: 1, points: 10 }
		]);
	});

	it('keeps an answer heard before the join it follows (facts from several processes)', () => {
		const inOrder = new DashboardTally(tinyPack);
		inOrder.addParticipant(people[0]!);
		inOrder.addAnswer(answer('p-ana', 'q-choice', 'a', true, 10));
		const answerFirst = new DashboardTally(tinyPack);
		answerFirst.addAnswer(answer('p-ana', 'q-choice', 'a', true, 10));
		answerFirst.addParticipant(people[0]!);
		expect(answerFirst.view('q-choice')).toEqual(inOrder.view('q-choice'));
		expect(answerFirst.view('q-choice').participants).toMatchObject([
			{ id: 'p-ana', answered: 1, correct: 1, points: 10 }
		]);
	});

	it('hands out views that later answers do not change', () => {
		const tally = new DashboardTally(tinyPack);
		for (const p of people) tally.addParticipant(p);
		tally.addAnswer(answer('p-ana', 'q-choice', 'b', false, 0));
		const before = tally.view('q-choice');
		const copy = structuredClone(before);
		tally.addAnswer(answer('p-ben', 'q-choice', 'b', false, 0));
		tally.addParticipant({ id: 'p-dee', nickname: 'Dee' });
		expect(before).toEqual(copy);
		expect(tally.view('q-choice').questions[0]?.distribution[0]?.count).toBe(2);
	});
});
