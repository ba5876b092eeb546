/**
 * When two nicknames are the same name. A class must not hold both "Ana" and "Anа" (the last
 * letter Cyrillic), nor "Bob" and "B0b": a teacher reading the dashboard could not tell them
 * apart, and one student could pass for another. Names are compared by their Unicode confusable
 * skeleton (UTS #39, with the mapping of Unicode's confusables.txt that the `unhomoglyph` package
 * ships), after compatibility folding (full-width letters) and case folding.
 */
import unhomoglyph from 'unhomoglyph';

/** Variation selectors change how a character is drawn, not which one it is. */
const VARIATION_SELECTORS = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;

/** UTS #39 skeleton: decompose, map each character to its prototype, decompose again. */
function skeleton(text: string): string {
	return unhomoglyph(text.normalize('NFD')).normalize('NFD');
}

/**
 * The key under which a session holds one nickname. Case is folded before the skeleton (so "Ian"
 * is "ian", not "lan") and again after it, because some prototypes are capitals ("0" → "O").
 */
export function nicknameKey(nickname: string): string {
	const folded = nickname
		.normalize('NFKC')
		.replace(VARIATION_SELECTORS, '')
		.toLocaleLowerCase('en');
	return skeleton(skeleton(folded).toLocaleLowerCase('en'));
}
