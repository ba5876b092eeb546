/**
 * Fits a box's text to the box: the largest font size (up to a ceiling) at which nothing in it
 * overflows. A projector has no scroll bar anyone can reach, so every question, from a two-option
 * choice to a nine-passage scenario, must fit the screen at whatever size lets it fit.
 */

/** Font sizes tried, in CSS pixels: never smaller than can be read from the back of a class. */
export const FIT_MIN_PX = 12;

/**
 * How much the content needs at a trial size, as a share of the box: 1 when it fits (a box
 * reports no less than its own size), more when it overflows.
 */
export type Need = number;

/** Whether content that needs this much fits. */
const fitting = (need: Need) => need <= 1;

/** How much the box's content needs of the box, its worse direction (a pixel of rounding allowed). */
function needOf(node: HTMLElement): Need {
	const share = (content: number, box: number) =>
		content <= box + 1 ? 1 : content / Math.max(1, box);
	return Math.max(
		share(node.scrollHeight, node.clientHeight),
		share(node.scrollWidth, node.clientWidth)
	);
}

/**
 * The largest of `sizes` (ascending) at which the content fits, or the smallest when none does,
 * assuming that what fits at one size fits at every smaller one. Each trial costs the page a
 * layout, and one at a size the page has not drawn yet also costs loading the font at that size,
 * so trials are few: from `hint` (the size fitted last, which a live update, a figure ticking up,
 * mostly leaves right: two trials), then where the overflows measured so far say the content
 * would fit and the size above it, then halving.
 */
export function largestFitting(
	sizes: readonly number[],
	needAt: (size: number) => Need,
	hint: number = sizes[sizes.length - 1]!
): number {
	// Every index up to `low` fits (the smallest size is taken even if it does not); none from `high`.
	let low = 0;
	let high = sizes.length;
	let probe = Math.max(
		0,
		sizes.findLastIndex((size) => size <= hint)
	);
	// Estimates past these many could creep down a size at a time: halves then.
	let guesses = 3;
	// Whether the probe is where the answer is expected: the hint, or an estimate.
	let expected = true;
	let overflowed: { size: number; need: Need } | undefined;
	for (;;) {
		const size = sizes[probe]!;
		const need = needAt(size);
		if (fitting(need)) low = probe;
		else high = probe;
		if (high - low <= 1) return sizes[low]!;
		if (fitting(need) && expected) {
			// Just above where the answer was expected, which most often does not fit: then done.
			probe = low + 1;
			expected = false;
		} else if (!fitting(need) && guesses-- > 0) {
			// Text reflows: what it needs grows about as the square of its size (lines get both
			// fewer words and taller), or as the two overflows measured so far say it does.
			const learnt =
				overflowed && Math.log(overflowed.need / need) / Math.log(overflowed.size / size);
			const power = learnt && learnt > 0.5 && learnt < 4 ? learnt : 2;
			const estimate = size * need ** (-1 / power);
			overflowed = { size, need };
			const guess = sizes.findLastIndex((s) => s <= estimate);
			probe = Math.min(high - 1, Math.max(low + 1, guess));
			expected = true;
		} else {
			probe = Math.floor((low + high) / 2);
			expected = false;
		}
	}
}

/** Whole pixels from FIT_MIN_PX up to `max`, and `max` itself last. */
function sizesUpTo(max: number): number[] {
	const sizes = [];
	for (let px = FIT_MIN_PX; px < max; px++) sizes.push(px);
	sizes.push(Math.max(FIT_MIN_PX, max));
	return sizes;
}

/**
 * A Svelte attachment-style action: sets `font-size` on `node` to the largest whole pixel size
 * from FIT_MIN_PX up to the size its stylesheet gives it (or that size itself) at which its
 * content fits, again whenever the box resizes or its content changes. The stylesheet's size is
 * the one the page is first drawn at, so text that fits at once never moves.
 *
 * The first fit is the ResizeObserver's, not the attachment's: a ResizeObserver reports a box
 * once it starts observing it, in the frame after, once the page is laid out and before it is
 * painted. Fitted there, the text is drawn fitted just the same, and the trials' layouts are not
 * added to the page's hydration, the longest task of its load.
 */
export function fitText(node: HTMLElement) {
	let frame = 0;
	let fitted: number | undefined;
	/** The box's size when the text was last fitted (the font size never changes it). */
	let fittedBox = '';
	const boxSize = () => `${node.clientWidth}×${node.clientHeight}`;
	const needAt = (px: number) => {
		node.style.fontSize = `${px}px`;
		const need = needOf(node);
		// Laid out already by needOf: no second layout.
		fittedBox = boxSize();
		return need;
	};
	/** The stylesheet's size: a style lookup, no layout. */
	const ceiling = () => {
		node.style.fontSize = '';
		return parseFloat(getComputedStyle(node).fontSize);
	};
	const fit = () => {
		cancelAnimationFrame(frame);
		fitted = largestFitting(sizesUpTo(ceiling()), needAt, fitted);
		node.style.fontSize = `${fitted}px`;
		node.dataset.fitted = node.style.fontSize;
	};
	const later = () => {
		cancelAnimationFrame(frame);
		frame = requestAnimationFrame(fit);
	};
	// Laid out already when the observer calls: reading the size costs nothing, and a report at
	// the size the text was last fitted to needs no second fit.
	const resizes = new ResizeObserver(() => {
		if (boxSize() !== fittedBox) fit();
	});
	resizes.observe(node);
	// Changing the font size changes neither the children nor the text: no loop.
	const changes = new MutationObserver(later);
	changes.observe(node, { childList: true, subtree: true, characterData: true });
	return () => {
		cancelAnimationFrame(frame);
		resizes.disconnect();
		changes.disconnect();
	};
}
