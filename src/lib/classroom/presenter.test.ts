import { describe, expect, it } from 'vitest';
import { tinyPack } from '$lib/journey/fixture';
import { buildDashboard, type DashboardAnswer } from './dashboard';
import { leaders, presenterView, shortLabel } from './presenter';

const people = ['Ana', 'Ben', 'Cy'].map((nickname) => ({ id: `p-${nickname}`, nickname }));
const answer = (who: string, questionId: string, response: unknown, correct: boolean) =>
	({
		participantId: `p-${who}`,
		questionId,
		response,
		correct,
		points: correct ? 10 : 0
	}) satisfies DashboardAnswer;
const answers = [answer('Ana', 'q-choice', 'a', true), answer('Ben', 'q-choice', 'b', false)];
const dashboard = buildDashboard(tinyPack, people, answers, 'q-choice');
const running = { status: 'running', mode: 'teacher-paced' } as const;

describe('the presenter view', () => {
	it('counts the answers to the open question but holds back how they were answered', () => {
		const view = presenterView(dashboard, {
			...running,
			currentQuestionId: 'q-choice',
			revealed: []
		});
		expect(view.current).toEqual({
			questionId: 'q-choice',
			revealed: false,
			answered: 2,
			distribution: []
		});
		// Nothing that tells right from wrong, nor any answer's words.
		const text = JSON.stringify(view);
		expect(text).not.toContain('correct');
		expect(text).not.toContain('Rain');
	});

	it('shows the distribution once the question is revealed', () => {
		const view = presenterView(dashboard, {
			...running,
			currentQuestionId: 'q-choice',
			revealed: ['q-choice']
		});
		expect(view.current?.distribution).toEqual([
			{ label: 'Rain', count: 1, correct: true },
			{ label: 'Sun', count: 1, correct: false }
		]);
	});

	it('lists who joined in order, and has no question between questions', () => {
		const view = presenterView(dashboard, { ...running, currentQuestionId: null, revealed: [] });
		expect(view.joined).toEqual(['Ana', 'Ben', 'Cy']);
		expect(view.current).toBeNull();
		expect(view.progress).toEqual({ answers: 2, finished: 0 });
	});
});

describe('the leaderboard', () => {
	const scored = (points: number[]) =>
		points.map((p, i) => ({ id: `p${i}`, nickname: `N${String(i).padStart(2, '0')}`, points: p }));

	it('shows the top five only', () => {
		const board = leaders(scored([10, 50, 40, 30, 20, 60, 0]));
		expect(board.map((p) => p.points)).toEqual([60, 50, 40, 30, 20]);
		expect(board.map((p) => p.place)).toEqual([1, 2, 3, 4, 5]);
	});

	it('never shows anyone in last place, even in a small class', () => {
		expect(leaders(scored([10, 0, 20])).map((p) => p.points)).toEqual([20, 10]);
		expect(leaders(scored([10, 10, 20, 20])).map((p) => p.points)).toEqual([20, 20]);
		expect(leaders(scored([30, 30, 30]))).toEqual([]);
		expect(leaders([])).toEqual([]);
	});

	it('gives equal points the same place', () => {
		expect(leaders(scored([30, 20, 20, 10, 0])).map((p) => p.place)).toEqual([1, 2, 2, 4]);
	});
});

describe('short labels', () => {
	it('keeps a short prompt whole and cuts a long one at a word', () => {
		expect(shortLabel('Order them.')).toBe('Order them.');
		const label = shortLabel(
			'According to the article, what did Russia get in exchange for protecting Mali?'
		);
		expect(label.length).toBeLessThanOrEqual(49);
		expect(label).toBe('According to the article, what did Russia get in…');
	});
});
