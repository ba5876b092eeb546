/**
 * Finding glossary terms in text: one matcher for the loader (every term must occur in the pack)
 * and for the page (each term becomes a definition the learner can open), so that what the
 * check accepts is exactly what the page shows. Whole words only, ignoring letter case.
 */
import type { GlossaryEntry } from './schema.ts';

/** A run of text, and the glossary entry it is a form of, if any. */
export interface GlossPiece {
	text: string;
	entry?: GlossaryEntry;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every written form of an entry: its term and its other forms. */
export const formsOf = (entry: GlossaryEntry): string[] => [entry.term, ...entry.also];

const patterns = new Map<string, RegExp>();

/**
 * A whole-word, case-insensitive pattern for the given forms, longest first ("Al-Qaeda's" before
 * "Al-Qaeda"); compiled once per set of forms, since a page checks every paragraph against it.
 * Not global: `test` keeps no state between texts, and `matchAll` copies it with the `g` it needs.
 */
function patternFor(forms: readonly string[]): RegExp {
	const key = forms.join('\0');
	let pattern = patterns.get(key);
	if (!pattern) {
		const sorted = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
		pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${sorted.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
		patterns.set(key, pattern);
	}
	return pattern;
}

/** Whether `form` occurs in `text` as a whole word, in any letter case. */
export function occursIn(form: string, text: string): boolean {
	return patternFor([form]).test(text);
}

/** Whether any form of `entry` occurs in `text`. */
const usedIn = (entry: GlossaryEntry, text: string) => patternFor(formsOf(entry)).test(text);

const formMaps = new WeakMap<readonly GlossaryEntry[], Map<string, GlossaryEntry>>();

/** Each form, lower-cased, to its entry; worked out once per glossary. */
function formMapOf(entries: readonly GlossaryEntry[]): Map<string, GlossaryEntry> {
	let map = formMaps.get(entries);
	if (!map) {
		map = new Map(entries.flatMap((e) => formsOf(e).map((f) => [f.toLowerCase(), e] as const)));
		formMaps.set(entries, map);
	}
	return map;
}

/**
 * Splits `text` into plain runs and glossary terms. Only the first occurrence of each entry is
 * a term, so that a paragraph naming "jihadists" five times offers one definition, not five.
 */
export function splitByGlossary(text: string, entries: readonly GlossaryEntry[]): GlossPiece[] {
	if (entries.length === 0 || text === '') return [{ text }];
	const byForm = formMapOf(entries);
	const pieces: GlossPiece[] = [];
	const used = new Set<GlossaryEntry>();
	let at = 0;
	const pattern = patternFor([...byForm.keys()]);
	for (const match of text.matchAll(new RegExp(pattern.source, 'giu'))) {
		const entry = byForm.get(match[0].toLowerCase());
		if (!entry || used.has(entry)) continue;
		used.add(entry);
		if (match.index > at) pieces.push({ text: text.slice(at, match.index) });
		pieces.push({ text: match[0], entry });
		at = match.index + match[0].length;
	}
	if (at < text.length) pieces.push({ text: text.slice(at) });
	return pieces;
}

/**
 * For each text of a run (the paragraphs of one section), the entries it is the first to use, so
 * that each term is offered once per run, where the reader first meets it.
 */
export function firstUses(
	texts: readonly { id: string; text: string }[],
	entries: readonly GlossaryEntry[]
): Map<string, GlossaryEntry[]> {
	const seen = new Set<GlossaryEntry>();
	return new Map(
		texts.map(({ id, text }) => {
			const fresh = entries.filter((entry) => !seen.has(entry) && usedIn(entry, text));
			fresh.forEach((entry) => seen.add(entry));
			return [id, fresh];
		})
	);
}
