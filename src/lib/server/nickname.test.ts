/**
 * Nicknames that look alike share a key (and so one session holds only one of them); names that a
 * reader tells apart keep theirs.
 */
import { describe, expect, it } from 'vitest';
import { nicknameKey } from './nickname';

describe('nicknameKey', () => {
	it.each([
		['Ana', 'Anа', 'a Cyrillic а'],
		['Ana', 'АNА', 'Cyrillic capitals'],
		['Ana', 'Αnα', 'Greek alpha'],
		['Ana', 'ana', 'another case'],
		['Ana', 'Ａｎａ', 'full-width letters'],
		['Bob', 'B0b', 'a zero for an o'],
		['Bob', 'Bοb', 'a Greek omicron'],
		['All', 'A11', 'ones for ls'],
		['Tom', 'Torn', 'rn for m'],
		['Zoë', 'Zoë', 'a combining diaeresis'],
		['Ana ❤', 'Ana ❤️', 'a variation selector'],
		['Paul', 'Pаul', 'a Cyrillic а inside']
	])('%s and %s are one name (%s)', (a, b) => {
		expect(nicknameKey(b)).toBe(nicknameKey(a));
	});

	it.each([
		['Ana', 'Ann'],
		['Ana', 'Anna'],
		['Ian', 'Jan'],
		['Zoë', 'Zoe'],
		['李雷', '李雪'],
		['Ana 🦊', 'Ana 🐼']
	])('%s and %s stay two names', (a, b) => {
		expect(nicknameKey(a)).not.toBe(nicknameKey(b));
	});

	it('is stable: a key is its own key', () => {
		for (const name of ['Anа', 'B0b', 'Ａｎａ', 'Torn', 'Zoë'])
			expect(nicknameKey(nicknameKey(name))).toBe(nicknameKey(name));
	});
});
