import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import OrderList from './OrderList.svelte';

const items = [
	{ id: 'a', text: 'Alpha' },
	{ id: 'b', text: 'Bravo' },
	{ id: 'c', text: 'Charlie' },
	{ id: 'd', text: 'Delta' }
];

function renderList(order: string[] = ['a', 'b', 'c', 'd']) {
	return render(OrderList, { props: { legend: 'Put them in order', items, order } });
}

const up = (text: string) => screen.getByRole('button', { name: `Move “${text}” up` });
const down = (text: string) => screen.getByRole('button', { name: `Move “${text}” down` });

/** Item texts in the order shown. */
function shown(container: HTMLElement): string[] {
	return [...container.querySelectorAll('li .text')].map((el) => el.textContent ?? '');
}

/** The visible position numbers, 1..n. */
function positions(container: HTMLElement): string[] {
	return [...container.querySelectorAll('li .position')].map((el) => el.textContent ?? '');
}

function liveRegion(container: HTMLElement): HTMLElement {
	const region = container.querySelector<HTMLElement>('[aria-live="polite"]');
	if (!region) throw new Error('no live region');
	return region;
}

describe('OrderList', () => {
	it('shows the items in the given order, under the legend, numbered', () => {
		const { container } = renderList(['c', 'a', 'd', 'b']);
		expect(screen.getByRole('group', { name: 'Put them in order' })).toBeTruthy();
		expect(shown(container)).toEqual(['Charlie', 'Alpha', 'Delta', 'Bravo']);
		expect(positions(container)).toEqual(['1', '2', '3', '4']);
		expect(liveRegion(container).textContent).toBe('');
	});

	it('disables only the first item’s up button and the last item’s down button', () => {
		renderList();
		expect((up('Alpha') as HTMLButtonElement).disabled).toBe(true);
		expect((down('Delta') as HTMLButtonElement).disabled).toBe(true);
		for (const text of ['Bravo', 'Charlie', 'Delta']) {
			expect((up(text) as HTMLButtonElement).disabled, `up ${text}`).toBe(false);
		}
		for (const text of ['Alpha', 'Bravo', 'Charlie']) {
			expect((down(text) as HTMLButtonElement).disabled, `down ${text}`).toBe(false);
		}
		expect(screen.getAllByRole('button')).toHaveLength(8);
	});

	it('moves an item up and announces its new place', async () => {
		const { container } = renderList();
		await fireEvent.click(up('Charlie'));
		expect(shown(container)).toEqual(['Alpha', 'Charlie', 'Bravo', 'Delta']);
		expect(liveRegion(container).textContent).toBe('“Charlie” is now number 2 of 4.');
	});

	it('moves an item down and announces its new place', async () => {
		const { container } = renderList();
		await fireEvent.click(down('Alpha'));
		expect(shown(container)).toEqual(['Bravo', 'Alpha', 'Charlie', 'Delta']);
		expect(liveRegion(container).textContent).toBe('“Alpha” is now number 2 of 4.');
	});

	it('moves an item all the way to either end, updating which buttons are disabled', async () => {
		const { container } = renderList();
		await fireEvent.click(up('Delta'));
		await fireEvent.click(up('Delta'));
		await fireEvent.click(up('Delta'));
		expect(shown(container)).toEqual(['Delta', 'Alpha', 'Bravo', 'Charlie']);
		expect(liveRegion(container).textContent).toBe('“Delta” is now number 1 of 4.');
		expect((up('Delta') as HTMLButtonElement).disabled).toBe(true);
		expect((up('Alpha') as HTMLButtonElement).disabled).toBe(false);
		expect((down('Charlie') as HTMLButtonElement).disabled).toBe(true);
		expect((down('Delta') as HTMLButtonElement).disabled).toBe(false);

		await fireEvent.click(down('Alpha'));
		await fireEvent.click(down('Alpha'));
		expect(shown(container)).toEqual(['Delta', 'Bravo', 'Charlie', 'Alpha']);
		expect(liveRegion(container).textContent).toBe('“Alpha” is now number 4 of 4.');
		expect((down('Alpha') as HTMLButtonElement).disabled).toBe(true);
		expect(positions(container)).toEqual(['1', '2', '3', '4']);
	});

	it('a disabled button does nothing', async () => {
		const { container } = renderList();
		await fireEvent.click(up('Alpha'));
		await fireEvent.click(down('Delta'));
		expect(shown(container)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta']);
		expect(liveRegion(container).textContent).toBe('');
	});

	it('keeps the keyboard on the item that moved', async () => {
		renderList();
		await fireEvent.click(up('Charlie'));
		expect(document.activeElement).toBe(up('Charlie'));
		// Alpha, Charlie, Bravo, Delta
		await fireEvent.click(down('Alpha'));
		expect(document.activeElement).toBe(down('Alpha'));
	});

	it('at either end, keeps the keyboard on the button that still works', async () => {
		renderList();
		await fireEvent.click(up('Bravo'));
		// Bravo is first now: its up button is disabled.
		expect(document.activeElement).toBe(down('Bravo'));
		await fireEvent.click(down('Charlie'));
		// Charlie is last now: its down button is disabled.
		expect(document.activeElement).toBe(up('Charlie'));
	});

	it('works with two items', async () => {
		const { container } = render(OrderList, {
			props: { legend: 'Two', items: items.slice(0, 2), order: ['b', 'a'] }
		});
		expect((up('Bravo') as HTMLButtonElement).disabled).toBe(true);
		expect((down('Alpha') as HTMLButtonElement).disabled).toBe(true);
		await fireEvent.click(down('Bravo'));
		expect(shown(container)).toEqual(['Alpha', 'Bravo']);
		expect(liveRegion(container).textContent).toBe('“Bravo” is now number 2 of 2.');
	});
});
