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

/** A whole-word, case-insensitive pattern for the given forms, longest first ("Al-Qaeda's" before "Al-Qaeda"). */
function patternFor(forms: readonly string[]): RegExp {
	const sorted = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
	return new RegExp(`(?<![\\p{L}\\p{N}])(?:${sorted.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

/** Whether `form` occurs in `text` as a whole word, in any letter case. */
export function occursIn(form: string, text: string): boolean {
	return patternFor([form]).test(text);
}

/**
 * Splits `text` into plain runs and glossary terms. Only the first occurrence of each entry is
 * a term, so that a paragraph naming "jihadists" five times offers one definition, not five.
 */
export function splitByGlossary(text: string, entries: readonly GlossaryEntry[]): GlossPiece[] {
	if (entries.length === 0 || text === '') return [{ text }];
	const byForm = new Map(entries.flatMap((e) => formsOf(e).map((f) => [f.toLowerCase(), e])));
	const pieces: GlossPiece[] = [];
	const used = new Set<GlossaryEntry>();
	let at = 0;
	for (const match of text.matchAll(patternFor([...byForm.keys()]))) {
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
			const fresh = entries.filter(
				(entry) => !seen.has(entry) && formsOf(entry).some((form) => occursIn(form, text))
			);
			fresh.forEach((entry) => seen.add(entry));
			return [id, fresh];
		})
	);
}
