import { describe, expect, it } from 'vitest';
import { locatePassage, normalizePassage } from './text.ts';

describe('normalizePassage', () => {
	it('straightens curly and other typographic quotes', () => {
		expect(normalizePassage('“Hi,” she said. ‘Yes’ „no‟ 5″ 3′ ‚x‛')).toBe(
			`"Hi," she said. 'Yes' "no" 5" 3' 'x'`
		);
	});

	it('collapses runs of white space, line breaks included, and trims', () => {
		expect(normalizePassage('  one \t two\n\n three\u00a0 four  ')).toBe('one two three four');
	});

	it('changes nothing else: case, dashes and other punctuation stay', () => {
		expect(normalizePassage('Mali — Russia – 2025 - «ok» `x`')).toBe(
			'Mali — Russia – 2025 - «ok» `x`'
		);
	});
});

describe('locatePassage', () => {
	const paragraph =
		'“In September, Al-Qaeda and its allies controlled all the roads,” The Insider reports.';

	it('finds a passage with straight quotes in a paragraph with curly ones, with offsets into the original', () => {
		const range = locatePassage(
			paragraph,
			'"In September, Al-Qaeda and its allies controlled all the roads,"'
		);
		expect(range).toEqual({ start: 0, end: 65 });
		expect(paragraph.slice(range?.start, range?.end)).toBe(
			'“In September, Al-Qaeda and its allies controlled all the roads,”'
		);
	});

	it('finds a passage in the middle and maps the end past collapsed white space', () => {
		const text = 'First   sentence.\nSecond  line here,   and  more.';
		const range = locatePassage(text, 'Second line here, and more.');
		expect(range).toEqual({ start: 18, end: text.length });
		expect(text.slice(range?.start, range?.end)).toBe('Second  line here,   and  more.');
	});

	it('treats white space inside the passage as equal to any run in the paragraph', () => {
		const text = 'Farmers, angry at the rationing,\nblocked the main road.';
		expect(locatePassage(text, 'angry at the rationing,   blocked')).toEqual({ start: 9, end: 40 });
	});

	it('does not match when one letter differs', () => {
		expect(locatePassage(paragraph, 'controlled all the roadz')).toBeNull();
	});

	it('does not match a different dash or a different case', () => {
		expect(locatePassage(paragraph, 'Al–Qaeda')).toBeNull();
		expect(locatePassage(paragraph, 'Al—Qaeda')).toBeNull();
		expect(locatePassage(paragraph, 'al-qaeda')).toBeNull();
		expect(locatePassage(paragraph, 'Al-Qaeda')).toEqual({ start: 15, end: 23 });
	});

	it('does not let white space stand in for nothing', () => {
		expect(locatePassage('a well-known road', 'well- known')).toBeNull();
		expect(locatePassage('a well known road', 'wellknown')).toBeNull();
	});

	it('returns null for a blank passage', () => {
		expect(locatePassage(paragraph, '  \n ')).toBeNull();
	});
});
