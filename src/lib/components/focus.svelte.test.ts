/** focusOn: focus reaches an element of a part that arrives late, and a later move wins. */
import { afterEach, describe, expect, it } from 'vitest';
import { focusOn } from './focus';

/** Resolves after `ms`: a part of the page loaded slowly (far more than a few frames). */
const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function heading(id: string): HTMLElement {
	const element = document.createElement('h1');
	element.id = id;
	element.tabIndex = -1;
	return element;
}

afterEach(() => {
	document.body.replaceChildren();
});

describe('focusOn', () => {
	it('focuses an element that is already there', async () => {
		document.body.append(heading('ready'));
		await focusOn('ready');
		expect(document.activeElement?.id).toBe('ready');
	});

	it('waits for an element that a slow connection brings a second later', async () => {
		document.body.append(document.createElement('p'));
		const moved = focusOn('stage-heading', { newStage: true });
		await later(1000);
		document.body.append(heading('stage-heading'));
		await moved;
		expect(document.activeElement?.id).toBe('stage-heading');
	});

	it('gives way to a move asked for while it waits', async () => {
		const first = focusOn('never-loaded');
		document.body.append(heading('feedback-heading'));
		await focusOn('feedback-heading');
		document.body.append(heading('never-loaded'));
		await first;
		expect(document.activeElement?.id).toBe('feedback-heading');
	});
});
