import { describe, expect, it } from 'vitest';
import { parseTypedNumber } from './typed-number';

describe('parseTypedNumber', () => {
	it.each([
		['924', 924],
		[' 62 ', 62],
		['10,000', 10000],
		['1,234,567.5', 1234567.5],
		['2 000', 2000],
		['1.5', 1.5],
		['1,5', 1.5],
		['-3', -3],
		['492.1', 492.1]
	])('reads %j as %d', (text, value) => {
		expect(parseTypedNumber(text)).toBe(value);
	});

	it.each([
		'',
		' ',
		',',
		',,,',
		'ten',
		'0x10',
		'1e3',
		'1.2.3',
		'12,34,5',
		'$10',
		'Infinity',
		'NaN'
	])('refuses %j', (text) => {
		expect(parseTypedNumber(text)).toBeUndefined();
	});
});
