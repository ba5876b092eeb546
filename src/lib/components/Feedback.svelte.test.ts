import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Question } from '$lib/content/pack';
import type { QuestionOf } from '$lib/content/schema';
import { describeAnswer } from '$lib/journey/describe';
import { tinyPack } from '$lib/journey/fixture';
import type { AnswerOutcome } from '$lib/journey/journey.progress';
import Feedback from './Feedback.svelte';

const order = tinyPack.steps[0]?.questions[1] as QuestionOf<'order'>;
const sources = tinyPack.article.sources;

const outcome = (credit: number, points: number): AnswerOutcome => ({
	credit,
	correct: credit === 1,
	points,
	maxPoints: 10
});

function renderFeedback(
	question: Question,
	result: AnswerOutcome | null,
	{ sectionId }: { sectionId: string | undefined } = { sectionId: 'intro' }
) {
	const onshowevidence = vi.fn<() => void>();
	const rendered = render(Feedback, {
		props: {
			outcome: result,
			answerText: describeAnswer(question, sources),
			explanation: question.explanation,
			evidence: question.evidence,
			sectionHref: sectionId ? `/article/tiny#${sectionId}` : undefined,
			onshowevidence
		}
	});
	return { ...rendered, onshowevidence };
}

const verdict = () => screen.getByRole('heading', { level: 2, name: /points/ });

describe('Feedback', () => {
	it('right: says so in words and an icon, with the points, and no answer line', () => {
		renderFeedback(order, outcome(1, 10));
		expect(verdict().textContent?.replace(/\s+/g, ' ').trim()).toBe('✓ Right — 10 of 10 points');
		expect(verdict().querySelector('[aria-hidden="true"]')?.textContent).toBe('✓');
		expect(screen.queryByText('The answer:')).toBeNull();
	});

	it('partly right: says so, and gives the answer in words', () => {
		renderFeedback(order, outcome(1 / 3, 3));
		expect(verdict().textContent).toContain('Partly right — 3 of 10 points');
		expect(screen.getByText('The answer:').closest('p')?.textContent).toBe(
			'The answer: 1. Rain 2. Mud 3. Mess'
		);
	});

	it('wrong: says so, and gives the answer in words', () => {
		renderFeedback(order, outcome(0, 0));
		expect(verdict().textContent).toContain('Not right — 0 of 10 points');
		expect(verdict().querySelector('[aria-hidden="true"]')?.textContent).toBe('✗');
		expect(screen.getByText('The answer:')).toBeTruthy();
	});

	it('not answered (a class session, after the reveal): says so without points, with the answer', () => {
		renderFeedback(order, null);
		const heading = screen.getByRole('heading', { level: 2, name: /You did not answer/ });
		expect(heading.textContent?.replace(/\s+/g, ' ').trim()).toBe('– You did not answer');
		expect(screen.getByText('The answer:').closest('p')?.textContent).toBe(
			'The answer: 1. Rain 2. Mud 3. Mess'
		);
		expect(screen.getByText(order.explanation)).toBeTruthy();
	});

	it('shows the explanation and quotes the evidence', () => {
		renderFeedback(order, outcome(1, 10));
		expect(screen.getByText(order.explanation)).toBeTruthy();
		const quotes = [...document.querySelectorAll('blockquote')].map((q) => q.textContent);
		expect(quotes).toEqual(order.evidence.map((p) => `“${p}”`));
	});

	it('links to the section, and asks the page to show the evidence', async () => {
		const { onshowevidence } = renderFeedback(order, outcome(1, 10));
		const link = screen.getByRole('link', { name: 'Read the whole section' }) as HTMLAnchorElement;
		expect(link.getAttribute('href')).toMatch(/\/article\/tiny#intro$/);
		await fireEvent.click(screen.getByRole('button', { name: 'Show it in the article' }));
		expect(onshowevidence).toHaveBeenCalledTimes(1);
	});

	it('without a section, offers no section link', () => {
		renderFeedback(order, outcome(1, 10), { sectionId: undefined });
		expect(screen.queryByRole('link')).toBeNull();
		expect(screen.getByRole('button', { name: 'Show it in the article' })).toBeTruthy();
	});
});
