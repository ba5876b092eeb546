/**
 * The letters on a student's phone are the projector's: for every registered type, the answer
 * form letters the same options with the same letters as the projected question, and only the
 * types that list options (their kind's `choices`) are lettered at all.
 */
import { cleanup, render } from '@testing-library/svelte';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Question } from '$lib/content/pack';
import { presentQuestion } from '$lib/content/present';
import { loadForm } from '$lib/questions/forms';
import { fixtures } from '$lib/questions/fixtures';
import { optionLetter } from '$lib/questions/letters';
import { QUESTION_TYPES, kindOf } from '$lib/questions/registry';
import ProjectedQuestion from '../ProjectedQuestion.svelte';
import QuestionForm from './QuestionForm.svelte';

const presented = QUESTION_TYPES.map(
	(type) => [type, presentQuestion(fixtures[type].question as Question)] as const
);
/** The source fixture's outlets, named, so that its options read as names. */
const sources = fixtures.source.question.options.map((id) => ({
	id,
	name: `The ${id} desk`,
	description: 'An outlet.'
}));

beforeAll(() => Promise.all(presented.map(([, q]) => loadForm(q))));

/** Each lettered item under `root` (a projected list item, a form's option) as [letter, text]. */
function letteredIn(root: HTMLElement, item: string): Array<[string, string]> {
	return [...root.querySelectorAll<HTMLElement>(item)].flatMap((element) => {
		const letter = element.querySelector('.letter');
		if (!letter) return [];
		const text = [...element.childNodes]
			.filter((node) => node !== letter)
			.map((node) => node.textContent)
			.join('')
			.trim();
		return [[letter.textContent?.trim() ?? '', text]];
	});
}

describe('option letters: the phone says what the wall says', () => {
	it.each(presented)('%s', (_type, question) => {
		const wall = render(ProjectedQuestion, { props: { question, sources } });
		const onWall = letteredIn(wall.container, 'li');
		cleanup();
		const phone = render(QuestionForm, {
			props: {
				question,
				sources,
				hint: undefined,
				canHint: false,
				attempt: 1,
				onhint: () => {},
				onsubmit: () => {}
			}
		});
		const onPhone = letteredIn(phone.container, 'label');

		expect(onPhone).toEqual(onWall);
		const list = kindOf(question).choices?.(question, sources);
		expect(onWall.map(([letter]) => letter)).toEqual(
			list ? list.options.map((_, index) => optionLetter(index)) : []
		);
		// The letter is seen, not read: each option is still named by its text alone.
		for (const letter of phone.container.querySelectorAll('label .letter'))
			expect(letter.getAttribute('aria-hidden')).toBe('true');
	});
});
