import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Question } from '$lib/content/pack';
import { presentQuestion } from '$lib/content/present';
import {
	evidenceQuestion,
	fixtureSources,
	matchQuestion,
	sourceQuestion,
	tinyPack,
	weatherScenario
} from '$lib/journey/fixture';
import ProjectedQuestion from './ProjectedQuestion.svelte';
import { fixtures } from '$lib/questions/fixtures';

const tiny = (type: Question['type']) => {
	const found = tinyPack.steps.flatMap((s) => s.questions).find((q) => q.type === type);
	if (!found) throw new Error(`The tiny pack has no ${type} question`);
	return found;
};

/** Renders the question as the host page does: presented, with its answer key stripped. */
function project(question: Question) {
	const { container } = render(ProjectedQuestion, {
		props: { question: presentQuestion(question), sources: fixtureSources }
	});
	/** The text of each element matched, without an option's letter (tested on its own). */
	const texts = (selector: string) =>
		[...container.querySelectorAll(selector)].map((e) => {
			const copy = e.cloneNode(true) as Element;
			copy.querySelector('.letter')?.remove();
			return copy.textContent?.trim();
		});
	return { container, texts };
}

describe('ProjectedQuestion: what the class reads off the wall', () => {
	it('letters the options of a choice and gives the same instruction as the phones', () => {
		const question = tiny('choice');
		const { texts } = project(question);
		expect(screen.getByText('Choose one answer:')).toBeTruthy();
		expect(texts('ol.lettered li')).toEqual(
			question.type === 'choice' ? question.options.map((o) => o.text) : []
		);
	});

	it('names the sources of a source question, not their ids', () => {
		const { texts } = project(sourceQuestion);
		expect(texts('li')).toEqual(['The Gazette', 'The Herald', 'The Wire']);
	});

	it('quotes the passages of an evidence question', () => {
		const { texts } = project(evidenceQuestion);
		expect(texts('li')).toEqual(['“It rained.”', '“The mud came.”']);
	});

	it('lists the items to order in their starting order, never the answer’s', () => {
		const question = tiny('order');
		const { texts } = project(question);
		const shown = texts('li');
		const presented = presentQuestion(question);
		expect(shown).toEqual(presented.type === 'order' ? presented.items.map((i) => i.text) : []);
		if (question.type === 'order')
			expect(shown).not.toEqual(
				question.answer.map((id) => question.items.find((i) => i.id === id)?.text)
			);
	});

	it('shows both columns of a match, under their labels', () => {
		const { texts } = project(matchQuestion);
		expect(texts('.column-head')).toEqual(['Cause', 'Effect']);
		expect(texts('li')).toEqual(['Rain', 'Sun', 'Wind', 'Mud', 'Dust', 'Fallen leaves']);
	});

	it('asks for a number in its unit, with nothing else to read', () => {
		const question = tiny('numeric');
		const { texts } = project(question);
		expect(texts('.instruction')).toEqual([
			`Your answer, in ${question.type === 'numeric' ? question.unit : ''}.`
		]);
		expect(texts('li')).toEqual([]);
	});

	it('letters the two answers of a truefalse question, under its question', () => {
		const { texts } = project(fixtures.truefalse.question);
		expect(texts('.instruction')).toEqual(['Say whether the article supports the statement:']);
		expect(texts('ol.lettered li')).toEqual([
			'The article supports it',
			'The article does not support it'
		]);
	});

	it('shows the scenarios of a scenario question and how many passages the phones ask about, and none of its answer key', () => {
		const { container, texts } = project(weatherScenario);
		expect(texts('li')).toEqual(
			weatherScenario.scenarios.map((s) => `${s.title}: ${s.description}`)
		);
		// The passages stay on the phones: the wall says how many, and nothing about which side.
		expect(texts('.column-head')).toEqual([
			`${weatherScenario.passages.length} passages to weigh, on your screens.`
		]);
		for (const passage of weatherScenario.passages)
			expect(container.textContent).not.toContain(passage.text);
		expect(container.textContent).not.toContain(weatherScenario.explanation);
	});
});
