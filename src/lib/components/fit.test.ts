import { describe, expect, it } from 'vitest';
import { largestFitting } from './fit';

/** Sizes as fitText tries them for a ceiling of 77.14 px (a 1080p screen): 12 … 77, 77.14. */
const SIZES = [...Array.from({ length: 66 }, (_, i) => 12 + i), 77.14];
const HINTS = [undefined, 12, 17, 24, 30, 45, 77, 77.14, 90];
/** How what text needs grows with its size: as assumed (2), or not. */
const POWERS = [0.7, 1, 2, 3];

/**
 * A box whose content fits up to `limit` px and needs (size / limit) ** power of the box beyond
 * it, or (`stuck`) a pixel too much whatever the size; it counts the trials (in a page, layouts).
 */
function box(limit: number, power = 2, stuck = false) {
	const tried: number[] = [];
	return {
		tried,
		needAt: (size: number) => {
			tried.push(size);
			if (size <= limit) return 1;
			return stuck ? 1.001 : (size / limit) ** power;
		}
	};
}
const truth = (limit: number) => [...SIZES].reverse().find((s) => s <= limit) ?? SIZES[0];
const LIMITS = Array.from({ length: 141 }, (_, i) => 10 + i / 2);

describe('largestFitting', () => {
	it('finds the largest size that fits from any hint, however the content grows', () => {
		for (const limit of LIMITS)
			for (const hint of HINTS) {
				for (const power of POWERS)
					expect(largestFitting(SIZES, box(limit, power).needAt, hint), `${limit} ^${power}`).toBe(
						truth(limit)
					);
				expect(largestFitting(SIZES, box(limit, 2, true).needAt, hint), `${limit} stuck`).toBe(
					truth(limit)
				);
			}
	});

	it('tries the ceiling once when the text fits at it', () => {
		const b = box(100);
		expect(largestFitting(SIZES, b.needAt)).toBe(77.14);
		expect(b.tried).toEqual([77.14]);
	});

	it('settles in two trials when the room the text needs has not changed', () => {
		const b = box(32.5);
		expect(largestFitting(SIZES, b.needAt, 32)).toBe(32);
		expect(b.tried).toEqual([32, 33]);
	});

	it('takes the smallest size when nothing fits', () => {
		expect(largestFitting(SIZES, box(5).needAt)).toBe(12);
		expect(largestFitting(SIZES, box(5).needAt, 12)).toBe(12);
	});

	it('needs three trials from the ceiling for text that grows as assumed, a few more than a bisection at worst', () => {
		const bisection = Math.ceil(Math.log2(SIZES.length));
		// Limits between whole sizes: at a whole one, rounding decides which side an estimate falls.
		for (const limit of LIMITS.filter((l) => l >= 12 && l < 77).map((l) => l + 0.25)) {
			const assumed = box(limit);
			largestFitting(SIZES, assumed.needAt);
			expect(assumed.tried.length, `${limit}`).toBeLessThanOrEqual(3);
			for (const b of [box(limit, 0.7), box(limit, 3), box(limit, 2, true)]) {
				largestFitting(SIZES, b.needAt);
				expect(b.tried.length, `${limit}: ${b.tried.join(' ')}`).toBeLessThanOrEqual(bisection + 5);
			}
		}
	});
});
