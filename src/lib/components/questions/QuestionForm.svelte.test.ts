import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Question } from '$lib/content/pack';
import type { QuestionOf, QuestionType } from '$lib/content/schema';
import { presentQuestion } from '$lib/content/present';
import { gradeResponse } from '$lib/grading/score';
import {
	evidenceQuestion as evidence,
	fixtureSources as sources,
	matchQuestion as match,
	sourceQuestion as source,
	tinyPack,
	weatherScenario
} from '$lib/journey/fixture';
import QuestionForm from './QuestionForm.svelte';
import { fixtures } from '$lib/questions/fixtures';
import { loadForm } from '$lib/questions/forms';

// The pages load each type's form on first use; here every one is loaded up front.
beforeAll(() =>
	Promise.all(
		Object.values(fixtures).map(({ question }) => loadForm(presentQuestion(question as Question)))
	)
);

function fromTiny<T extends QuestionType>(type: T): QuestionOf<T> {
	const found = tinyPack.steps.flatMap((s) => s.questions).find((q) => q.type === type);
	if (!found) throw new Error(`The tiny pack has no ${type} question`);
	return found as QuestionOf<T>;
}

const common = { explanation: 'Because.', evidence: ['It rained.'], skill: 'recall' as const };

const choice = fromTiny('choice');
const multi = fromTiny('multi');
const order = fromTiny('order');
const numeric = fromTiny('numeric');

const scenario = weatherScenario;
const truefalse = fixtures.truefalse.question;

interface Setup {
	hint?: string;
	canHint?: boolean;
	attempt?: number;
}

/** Renders the form as the pages do: with the question as presented to a learner, keys removed. */
function renderForm(question: Question, { hint, canHint = false, attempt = 1 }: Setup = {}) {
	const onsubmit = vi.fn<(response: unknown) => void>();
	const onhint = vi.fn<() => void>();
	const result = render(QuestionForm, {
		props: {
			question: presentQuestion(question),
			sources,
			hint,
			canHint,
			attempt,
			onhint,
			onsubmit
		}
	});
	return { ...result, onsubmit, onhint };
}

const checkButton = () => screen.getByRole('button', { name: 'Check my answer' });
const alertText = () => screen.getByRole('alert').textContent?.trim() ?? '';

async function check() {
	await fireEvent.click(checkButton());
}

async function tick(name: string, role: 'radio' | 'checkbox' = 'radio', container?: HTMLElement) {
	const scope = container ? within(container) : screen;
	await fireEvent.click(scope.getByRole(role, { name }));
}

/** Puts a passage on one side for one scenario of a scenario question. */
async function place(scenarioTitle: string, passage: string, side: string) {
	const group = screen.getByRole('group', { name: scenarioTitle });
	await tick(side, 'radio', within(group).getByRole('group', { name: `“${passage}”` }));
}

async function typeNumber(text: string) {
	await fireEvent.input(screen.getByRole('textbox'), { target: { value: text } });
}

async function pair(leftText: string, rightId: string) {
	await fireEvent.change(screen.getByLabelText(new RegExp(`${leftText}$`)), {
		target: { value: rightId }
	});
}

/** The item texts in the order the order question shows them. */
function shownOrder(container: HTMLElement): string[] {
	return [...container.querySelectorAll('li[data-item]')].map(
		(li) => li.getAttribute('data-item') ?? ''
	);
}

/** Moves the order list into `target` with the "Move up" buttons, as a keyboard user would. */
async function arrange(container: HTMLElement, question: QuestionOf<'order'>, target: string[]) {
	const textOf = (id: string) => question.items.find((i) => i.id === id)?.text ?? id;
	for (let place = 0; place < target.length; place++) {
		const id = target[place] as string;
		while (shownOrder(container).indexOf(id) > place) {
			await fireEvent.click(screen.getByRole('button', { name: `Move “${textOf(id)}” up` }));
		}
	}
	expect(shownOrder(container)).toEqual(target);
}

/** The only response onsubmit was called with. */
function submitted(onsubmit: ReturnType<typeof renderForm>['onsubmit']): unknown {
	expect(onsubmit).toHaveBeenCalledTimes(1);
	return onsubmit.mock.calls[0]?.[0];
}

/** The response has the answer's shape and grades as fully right. */
function expectRight(question: Question, response: unknown) {
	expect(response).toEqual(question.answer);
	expect(gradeResponse(question, response)).toEqual({ valid: true, correct: true, credit: 1 });
}

describe('QuestionForm: a complete draft is submitted in the shape of the answer', () => {
	it('choice: the chosen option id', async () => {
		const { onsubmit } = renderForm(choice);
		await tick('Sun');
		await tick('Rain');
		await check();
		expectRight(choice, submitted(onsubmit));
		expect(alertText()).toBe('');
	});

	it('multi: the ticked option ids, unticked ones left out', async () => {
		const { onsubmit } = renderForm(multi);
		await tick('Mud', 'checkbox');
		await tick('Snow', 'checkbox');
		await tick('Mess', 'checkbox');
		await tick('Snow', 'checkbox');
		await check();
		expectRight(multi, submitted(onsubmit));
	});

	it('order: every item id, in the order shown', async () => {
		const { container, onsubmit } = renderForm(order);
		await arrange(container, order, order.answer);
		await check();
		expectRight(order, submitted(onsubmit));
	});

	it('order: submitting untouched sends the starting order, which is a complete response', async () => {
		const { container, onsubmit } = renderForm(order);
		const start = shownOrder(container);
		await check();
		const response = submitted(onsubmit);
		expect(response).toEqual(start);
		expect(gradeResponse(order, response)).toMatchObject({ valid: true, correct: false });
	});

	it('match: a right id for every left id', async () => {
		const { onsubmit } = renderForm(match);
		await pair('Rain', 'r-dust');
		await pair('Rain', 'r-mud');
		await pair('Sun', 'r-dust');
		await pair('Wind', 'r-leaves');
		await check();
		expectRight(match, submitted(onsubmit));
	});

	it('match: the selects name the labels and offer every right-hand item', () => {
		renderForm(match);
		expect(screen.getByText('Pair each cause with its effect')).toBeTruthy();
		const select = screen.getByLabelText(/Cause:\s*Rain$/) as HTMLSelectElement;
		expect([...select.options].map((o) => o.textContent)).toEqual([
			'Choose the effect…',
			'Mud',
			'Dust',
			'Fallen leaves'
		]);
		expect(select.value).toBe('');
	});

	it('numeric: the number typed', async () => {
		const { onsubmit } = renderForm(numeric);
		await typeNumber('1');
		await check();
		expectRight(numeric, submitted(onsubmit));
	});

	it('evidence: the chosen sentence id, sentences shown as quotations', async () => {
		const { onsubmit } = renderForm(evidence);
		await tick('“It rained.”');
		await check();
		expectRight(evidence, submitted(onsubmit));
	});

	it('source: the chosen source id, options shown by name', async () => {
		const { onsubmit } = renderForm(source);
		// Each option's text, beside its letter (tested in OptionLetter.svelte.test.ts).
		expect(
			screen
				.getAllByRole('radio')
				.map((r) => r.closest('label')?.querySelector('.letter + span')?.textContent?.trim())
		).toEqual(['The Gazette', 'The Herald', 'The Wire']);
		await tick('The Herald');
		await check();
		expectRight(source, submitted(onsubmit));
	});

	it('source: an id missing from the sources is shown as the id', () => {
		renderForm({ ...source, options: ['gazette', 'unknown-outlet'], answer: 'gazette' });
		expect(screen.getByRole('radio', { name: 'unknown-outlet' })).toBeTruthy();
	});

	it('scenario: every scenario weighed, passages on each side', async () => {
		const { onsubmit } = renderForm(scenario);
		await place('A flood', 'The river is high.', 'Supports it');
		await place('A flood', 'More rain is forecast.', 'Supports it');
		await place('A flood', 'The sky cleared.', 'Cuts against it');
		await place('A drought', 'The sky cleared.', 'Supports it');
		await check();
		expectRight(scenario, submitted(onsubmit));
	});

	it('scenario: a passage moved to another side leaves the first, and wrong picks are sent as they stand', async () => {
		const { onsubmit } = renderForm(scenario);
		await place('A flood', 'The sky cleared.', 'Supports it');
		await place('A flood', 'The river is high.', 'Supports it');
		await place('A flood', 'The river is high.', 'Cuts against it');
		await place('A drought', 'The river is high.', 'Supports it');
		await place('A drought', 'The sky cleared.', 'Cuts against it');
		await place('A drought', 'The sky cleared.', 'Neither');
		await check();
		expect(submitted(onsubmit)).toEqual({
			flood: { supports: ['p2'], against: ['p1'] },
			drought: { supports: ['p1'], against: [] }
		});
	});
});

describe('QuestionForm: truefalse sends whether the article supports the statement', () => {
	it('asks the question as its legend', () => {
		renderForm(truefalse);
		expect(
			screen.getByRole('group', { name: 'Say whether the article supports the statement' })
		).toBeTruthy();
	});

	it.each([
		['The article supports it', true],
		['The article does not support it', false]
	])('"%s" sends %s', async (name, response) => {
		const { onsubmit } = renderForm(truefalse);
		await tick(name);
		await check();
		expect(submitted(onsubmit)).toBe(response);
	});

	it('the right one grades fully correct', async () => {
		const { onsubmit } = renderForm(truefalse);
		await tick('The article does not support it');
		await check();
		expectRight(truefalse, submitted(onsubmit));
	});
});

describe('QuestionForm: an incomplete draft is not submitted and says what is missing', () => {
	const cases: Array<[string, Question, string]> = [
		['choice', choice, 'Choose an answer first.'],
		['evidence', evidence, 'Choose an answer first.'],
		['source', source, 'Choose an answer first.'],
		['multi', multi, 'Tick at least one answer first.'],
		['match', match, 'Pair every item first (3 left).'],
		['numeric', numeric, 'Type a number first, using digits.'],
		['scenario', scenario, 'Mark at least one passage that supports each scenario first (2 left).'],
		['truefalse', truefalse, 'Choose an answer first.']
	];

	it.each(cases)('%s, untouched', async (_type, question, message) => {
		const { onsubmit } = renderForm(question);
		expect(alertText()).toBe('');
		await check();
		expect(alertText()).toBe(message);
		expect(onsubmit).not.toHaveBeenCalled();
	});

	it('multi: ticking then unticking every option is still nothing', async () => {
		const { onsubmit } = renderForm(multi);
		await tick('Mud', 'checkbox');
		await tick('Mud', 'checkbox');
		await check();
		expect(alertText()).toBe('Tick at least one answer first.');
		expect(onsubmit).not.toHaveBeenCalled();
	});

	it('match: counts the items still unpaired, including one set back to "Choose…"', async () => {
		const { onsubmit } = renderForm(match);
		await pair('Rain', 'r-mud');
		await check();
		expect(alertText()).toBe('Pair every item first (2 left).');
		await pair('Sun', 'r-dust');
		await pair('Wind', 'r-leaves');
		await pair('Sun', '');
		await check();
		expect(alertText()).toBe('Pair every item first (1 left).');
		expect(onsubmit).not.toHaveBeenCalled();
	});

	it('scenario: a scenario with only opposing passages still needs a supporting one', async () => {
		const { onsubmit } = renderForm(scenario);
		await place('A flood', 'The river is high.', 'Supports it');
		await place('A drought', 'The river is high.', 'Cuts against it');
		await check();
		expect(alertText()).toBe(
			'Mark at least one passage that supports each scenario first (1 left).'
		);
		expect(onsubmit).not.toHaveBeenCalled();
	});

	it('the message goes once the draft is complete and submitted', async () => {
		const { onsubmit } = renderForm(choice);
		await check();
		expect(alertText()).toBe('Choose an answer first.');
		await tick('Rain');
		await check();
		expect(alertText()).toBe('');
		expect(submitted(onsubmit)).toBe('a');
	});
});

describe('QuestionForm: numeric input', () => {
	it.each([
		['10,000', 10000],
		['10 000', 10000],
		['  42  ', 42],
		['2.5', 2.5],
		['-3', -3],
		['0', 0]
	])('accepts %j as %d', async (text, value) => {
		const { onsubmit } = renderForm(numeric);
		await typeNumber(text);
		await check();
		expect(submitted(onsubmit)).toBe(value);
		expect(alertText()).toBe('');
	});

	it.each(['ten', '', '   ', '1.2.3', '12abc', 'Infinity', '1e999'])('rejects %j', async (text) => {
		const { onsubmit } = renderForm(numeric);
		await typeNumber(text);
		await check();
		expect(alertText()).toBe('Type a number first, using digits.');
		expect(onsubmit).not.toHaveBeenCalled();
	});

	// Digit separators alone are no number: stripping them leaves '', and Number('') is 0.
	it.each([',', ' , ', ',,,'])('rejects %j, which holds no digit', async (text) => {
		const { onsubmit } = renderForm(numeric);
		await typeNumber(text);
		await check();
		expect(alertText()).toBe('Type a number first, using digits.');
		expect(onsubmit).not.toHaveBeenCalled();
	});

	it('labels the field with the unit', () => {
		renderForm(numeric);
		expect(screen.getByLabelText(/Your answer, in rains/)).toBe(screen.getByRole('textbox'));
	});
});

describe('QuestionForm: hints and retries', () => {
	it('offers a hint, with its cost, only when canHint', async () => {
		const { onhint, unmount } = renderForm(numeric, { canHint: true });
		const button = screen.getByRole('button', { name: 'Show a hint (costs 3 points)' });
		await fireEvent.click(button);
		expect(onhint).toHaveBeenCalledTimes(1);
		unmount();
		renderForm(numeric, { canHint: false });
		expect(screen.queryByRole('button', { name: /hint/i })).toBeNull();
	});

	it('asking for a hint submits nothing', async () => {
		const { onsubmit } = renderForm(numeric, { canHint: true });
		await fireEvent.click(screen.getByRole('button', { name: 'Show a hint (costs 3 points)' }));
		expect(onsubmit).not.toHaveBeenCalled();
		expect(alertText()).toBe('');
	});

	it('shows the hint text when given, and nothing when not', async () => {
		const { rerender } = renderForm(numeric);
		expect(screen.queryByText(/Hint:/)).toBeNull();
		await rerender({ hint: 'Count them.', canHint: false });
		const hint = screen.getByText('Hint:').closest('p');
		expect(hint?.textContent).toBe('Hint: Count them.');
	});

	it('says the second try is worth less', () => {
		const { unmount } = renderForm(choice, { attempt: 1 });
		expect(screen.queryByText(/Second try/)).toBeNull();
		unmount();
		renderForm(choice, { attempt: 2 });
		expect(screen.getByText('Second try: worth up to 5 points.')).toBeTruthy();
	});
});

describe('QuestionForm: the order question never starts in the answer’s order', () => {
	function orderQuestion(id: string, ids: string[], answer: string[]): QuestionOf<'order'> {
		return {
			...common,
			id,
			type: 'order',
			prompt: 'Order them.',
			items: ids.map((itemId) => ({ id: itemId, text: `Item ${itemId}` })),
			answer
		};
	}

	/** Every permutation of `ids` (n! of them). */
	function permutations(ids: string[]): string[][] {
		if (ids.length <= 1) return [ids];
		return ids.flatMap((id, i) =>
			permutations([...ids.slice(0, i), ...ids.slice(i + 1)]).map((rest) => [id, ...rest])
		);
	}

	it('the tiny pack’s order question', () => {
		const { container } = renderForm(order);
		const start = shownOrder(container);
		expect([...start].sort()).toEqual([...order.answer].sort());
		expect(start).not.toEqual(order.answer);
	});

	it('for every answer of 2 to 4 items', () => {
		let checked = 0;
		for (const n of [2, 3, 4]) {
			const ids = Array.from({ length: n }, (_, i) => `i${i}`);
			for (const answer of permutations(ids)) {
				const question = orderQuestion(`q-order-${n}`, ids, answer);
				const { container, unmount } = renderForm(question);
				const start = shownOrder(container);
				expect([...start].sort(), `${n} items, answer ${answer.join()}`).toEqual(ids);
				expect(start, `${n} items, answer ${answer.join()}`).not.toEqual(answer);
				unmount();
				checked += 1;
			}
		}
		expect(checked).toBe(2 + 6 + 24);
	});

	it('for many item ids, with the items listed in the answer’s order and reversed', () => {
		for (let k = 0; k < 60; k++) {
			const n = 2 + (k % 6);
			const answer = Array.from({ length: n }, (_, i) => `item-${k}-${i}`);
			for (const listed of [answer, [...answer].reverse()]) {
				const { container, unmount } = renderForm(orderQuestion(`q-${k}`, listed, answer));
				expect(shownOrder(container), `q-${k}`).not.toEqual(answer);
				unmount();
			}
		}
	});
});

describe('QuestionForm: the submit button says what happens next', () => {
	it('sends, where the teacher reveals answers later', async () => {
		const onsubmit = vi.fn<(response: unknown) => void>();
		render(QuestionForm, {
			props: {
				question: presentQuestion(choice),
				sources,
				hint: undefined,
				canHint: false,
				attempt: 1,
				submitLabel: 'Send my answer',
				onhint: () => {},
				onsubmit
			}
		});
		expect(screen.queryByRole('button', { name: 'Check my answer' })).toBeNull();
		await tick(choice.options[0]!.text);
		await fireEvent.click(screen.getByRole('button', { name: 'Send my answer' }));
		expect(onsubmit).toHaveBeenCalledWith(choice.options[0]!.id, undefined);
	});
});
