import { describe, expect, it } from 'vitest';
import { firstUses, occursIn, splitByGlossary } from './glossary.ts';

const junta = { term: 'junta', also: [], definition: 'Officers who took power.' };
const jihadist = { term: 'jihadist', also: ['jihadists'], definition: 'An armed fighter.' };
const alQaeda = { term: 'Al-Qaeda', also: [], definition: 'A network.' };

describe('occursIn', () => {
	it('finds whole words in any letter case, and not inside other words', () => {
		expect(occursIn('junta', 'The Junta ruled.')).toBe(true);
		expect(occursIn('junta', 'The juntas ruled.')).toBe(false);
		expect(occursIn('Al-Qaeda', "Al-Qaeda's Sahelian branch")).toBe(true);
		expect(occursIn('refining', 'a gold-refining plant')).toBe(true);
		expect(occursIn('a.b', 'aXb')).toBe(false);
	});
});

describe('splitByGlossary', () => {
	it('marks the first occurrence of each entry, by any of its forms, and keeps every character', () => {
		const text = 'Jihadists attacked; the junta said jihadist raids and the junta would fail.';
		const pieces = splitByGlossary(text, [junta, jihadist]);
		expect(pieces.map((p) => p.text).join('')).toBe(text);
		expect(pieces.filter((p) => p.entry).map((p) => [p.text, p.entry?.term])).toEqual([
			['Jihadists', 'jihadist'],
			['junta', 'junta']
		]);
	});

	it('prefers the longest form and leaves text without terms whole', () => {
		const long = { term: 'Africa Corps', also: [], definition: 'x' };
		const short = { term: 'Africa', also: [], definition: 'y' };
		expect(splitByGlossary('the Africa Corps', [short, long])).toEqual([
			{ text: 'the ' },
			{ text: 'Africa Corps', entry: long }
		]);
		expect(splitByGlossary('Nothing here.', [alQaeda])).toEqual([{ text: 'Nothing here.' }]);
		expect(splitByGlossary('Al-Qaeda', [])).toEqual([{ text: 'Al-Qaeda' }]);
	});
});

describe('firstUses', () => {
	it('gives each entry to the first text of the run that uses it, by any form', () => {
		const uses = firstUses(
			[
				{ id: 'p1', text: 'The junta ruled.' },
				{ id: 'p2', text: 'The junta fought jihadists.' },
				{ id: 'p3', text: 'A jihadist and Al-Qaeda.' }
			],
			[junta, jihadist, alQaeda]
		);
		expect([...uses].map(([id, entries]) => [id, entries.map((e) => e.term)])).toEqual([
			['p1', ['junta']],
			['p2', ['jihadist']],
			['p3', ['Al-Qaeda']]
		]);
	});
});
