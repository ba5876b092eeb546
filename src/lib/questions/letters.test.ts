import { describe, expect, it } from 'vitest';
import { optionLetter } from './letters';

describe('optionLetter', () => {
	it('counts A to Z, then on as CSS upper-alpha does', () => {
		expect([0, 1, 2, 25].map(optionLetter)).toEqual(['A', 'B', 'C', 'Z']);
		expect([26, 27, 51, 52, 701, 702].map(optionLetter)).toEqual([
			'AA',
			'AB',
			'AZ',
			'BA',
			'ZZ',
			'AAA'
		]);
	});
});
