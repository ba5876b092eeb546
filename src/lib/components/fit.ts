/**
 * Fits a box's text to the box: the largest font size (up to a ceiling) at which nothing in it
 * overflows. A projector has no scroll bar anyone can reach, so every question, from a two-option
 * choice to a nine-passage scenario, must fit the screen at whatever size lets it fit.
 */

/** Font sizes tried, in CSS pixels: never smaller than can be read from the back of a class. */
export const FIT_MIN_PX = 12;

/** Whether the box's content fits inside it. */
const fits = (node: HTMLElement) =>
	node.scrollHeight <= node.clientHeight + 1 && node.scrollWidth <= node.clientWidth + 1;

/**
 * A Svelte attachment-style action: sets `font-size` on `node` by bisection between FIT_MIN_PX
 * and `max` (pixels), again whenever the box resizes or its content changes.
 */
export function fitText(node: HTMLElement, max: () => number) {
	let frame = 0;
	const fit = () => {
		cancelAnimationFrame(frame);
		let low = FIT_MIN_PX;
		let high = Math.max(FIT_MIN_PX, max());
		node.style.fontSize = `${high}px`;
		if (!fits(node)) {
			for (let step = 0; step < 10 && high - low > 0.5; step++) {
				const middle = (low + high) / 2;
				node.style.fontSize = `${middle}px`;
				if (fits(node)) low = middle;
				else high = middle;
			}
			node.style.fontSize = `${Math.floor(low)}px`;
		}
		node.dataset.fitted = node.style.fontSize;
	};
	const later = () => {
		cancelAnimationFrame(frame);
		frame = requestAnimationFrame(fit);
	};
	const resizes = new ResizeObserver(later);
	resizes.observe(node);
	// Changing the font size changes neither the children nor the text: no loop.
	const changes = new MutationObserver(later);
	changes.observe(node, { childList: true, subtree: true, characterData: true });
	fit();
	return () => {
		cancelAnimationFrame(frame);
		resizes.disconnect();
		changes.disconnect();
	};
}
