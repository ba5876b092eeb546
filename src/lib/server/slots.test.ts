import { describe, expect, it } from 'vitest';
import { createSlots } from './slots';

describe('createSlots', () => {
	it('gives out `size` slots at once, lines up `waiting` more and refuses the next', async () => {
		const slots = createSlots(2, 1);
		const first = await slots.take();
		const second = await slots.take();
		expect(first).toBeTypeOf('function');
		expect(second).toBeTypeOf('function');
		let thirdGot = false;
		const third = slots.take().then((release) => ((thirdGot = true), release));
		expect(await slots.take()).toBeNull();
		await Promise.resolve();
		expect(thirdGot).toBe(false);
		expect([slots.busy, slots.waiting]).toEqual([2, 1]);

		first!();
		const thirdRelease = await third;
		expect(thirdRelease).toBeTypeOf('function');
		// The freed slot went to the one in line, not back to the pool.
		expect([slots.busy, slots.waiting]).toEqual([2, 0]);
		second!();
		thirdRelease!();
		expect(slots.busy).toBe(0);
	});

	it('counts a release called twice once', async () => {
		const slots = createSlots(1, 0);
		const release = await slots.take();
		release!();
		release!();
		expect(slots.busy).toBe(0);
		const again = await slots.take();
		expect(again).toBeTypeOf('function');
		expect(await slots.take()).toBeNull();
		again!();
	});

	it('serves the line in the order it formed', async () => {
		const slots = createSlots(1, 3);
		const release = await slots.take();
		const order: number[] = [];
		const waiting = [1, 2, 3].map((n) =>
			slots.take().then((r) => {
				order.push(n);
				r!();
			})
		);
		release!();
		await Promise.all(waiting);
		expect(order).toEqual([1, 2, 3]);
		expect(slots.busy).toBe(0);
	});
});
