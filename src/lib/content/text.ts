/**
 * How a quoted passage is matched against the article. Authors copy passages by hand, and the
 * article mixes straight and curly quotation marks, so quotes of either kind and runs of white
 * space count as equal. Nothing else does: a changed letter, a different dash or a change of case
 * is a different passage, because the app shows the quote as the article's own words.
 */

/** Typographic double quotes (and the double prime) that stand for `"`. */
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033]/;
/** Typographic single quotes (and the prime) that stand for `'`. */
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032]/;
const WHITE_SPACE = /\s/;

/** A normalised text and, for each of its characters, the index it came from in the original. */
interface Normalized {
	text: string;
	origin: number[];
}

function normalizeWithOrigin(s: string): Normalized {
	let text = '';
	const origin: number[] = [];
	let pendingSpace = -1;
	for (let i = 0; i < s.length; i++) {
		const ch = s.charAt(i);
		if (WHITE_SPACE.test(ch)) {
			// A run of white space becomes one space, emitted only if text follows (this trims).
			if (pendingSpace < 0) pendingSpace = i;
			continue;
		}
		if (pendingSpace >= 0 && text.length > 0) {
			text += ' ';
			origin.push(pendingSpace);
		}
		pendingSpace = -1;
		text += DOUBLE_QUOTES.test(ch) ? '"' : SINGLE_QUOTES.test(ch) ? "'" : ch;
		origin.push(i);
	}
	return { text, origin };
}

/**
 * The form in which passages are compared: curly and other typographic quotes become straight
 * quotes, each run of white space becomes one space, and the ends are trimmed.
 */
export function normalizePassage(s: string): string {
	return normalizeWithOrigin(s).text;
}

/** A passage's place in a paragraph: `text.slice(start, end)` is the passage as the article has it. */
export interface TextRange {
	start: number;
	end: number;
}

/**
 * Finds `passage` in `paragraphText` under {@link normalizePassage} equality and returns its
 * first occurrence as offsets into the original paragraph text (not the normalised one), so the
 * UI can highlight the article's own characters. Null when absent or when the passage is blank.
 */
export function locatePassage(paragraphText: string, passage: string): TextRange | null {
	const needle = normalizePassage(passage);
	if (needle.length === 0) return null;
	const hay = normalizeWithOrigin(paragraphText);
	const at = hay.text.indexOf(needle);
	if (at < 0) return null;
	const first = hay.origin[at];
	// The needle is trimmed, so its last character is never a collapsed space: it maps to exactly one original character.
	const last = hay.origin[at + needle.length - 1];
	if (first === undefined || last === undefined) return null;
	return { start: first, end: last + 1 };
}

/**
 * A passage of the article in quotation marks. A passage that itself opens with the article's
 * own quotation mark keeps it: the text stays exactly as the article gives it.
 */
export function quoted(passage: string): string {
	return /^["“]/.test(passage) ? passage : `“${passage}”`;
}
