import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Glossed from './Glossed.svelte';

const junta = { term: 'junta', also: [], definition: 'Army officers who took power by force.' };
const sahel = {
	term: 'Sahel',
	also: ['Sahelian'],
	definition: 'The dry land south of the Sahara.'
};
const text = "The Junta and Al-Qaeda's Sahelian branch; the junta again.";

describe('Glossed', () => {
	it('reads exactly as written while closed, each term a native toggle button once', () => {
		const { container } = render(Glossed, { props: { text, entries: [junta, sahel] } });
		expect(container.textContent).toBe(text);
		const buttons = screen.getAllByRole('button');
		expect(buttons.map((b) => b.textContent)).toEqual(['Junta', 'Sahelian']);
		for (const button of buttons) {
			expect(button.getAttribute('type')).toBe('button');
			expect(button.getAttribute('aria-expanded')).toBe('false');
			expect(button.hasAttribute('aria-controls')).toBe(false);
		}
	});

	it('opens the definition right after the term, and closes it again', async () => {
		render(Glossed, { props: { text, entries: [junta, sahel] } });
		const term = screen.getByRole('button', { name: 'Sahelian' });
		await fireEvent.click(term);
		expect(term.getAttribute('aria-expanded')).toBe('true');
		const definition = document.getElementById(term.getAttribute('aria-controls') ?? '');
		expect(definition?.textContent).toBe(`Sahel means: ${sahel.definition}`);
		expect(term.nextElementSibling).toBe(definition);
		await fireEvent.click(term);
		expect(term.getAttribute('aria-expanded')).toBe('false');
		expect(screen.queryByText(sahel.definition)).toBeNull();
	});

	it('shows plain text without a glossary (no provider, no entries)', () => {
		const { container } = render(Glossed, { props: { text } });
		expect(container.textContent).toBe(text);
		expect(screen.queryAllByRole('button')).toHaveLength(0);
	});
});
