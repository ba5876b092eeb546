import { tick } from 'svelte';

/** Counts the moves asked for: a move waiting for its element gives way to any later one. */
let asked = 0;

/**
 * Moves focus to an element once the DOM shows the new state. An element of a part loaded on
 * demand (a journey's stages, the first time) may appear much later on a slow connection: the
 * move waits for it however long that takes, unless another move is asked for meanwhile. A new
 * stage also brings the page back to its top, so that the progress strip and the "question k of
 * n" line are in view, as on a new page.
 */
export async function focusOn(id: string, { newStage = false } = {}): Promise<void> {
	const move = ++asked;
	// The id may still name the element of the state before: let the DOM catch up first.
	await tick();
	const element = document.getElementById(id) ?? (await appearing(id, () => move !== asked));
	if (!element || move !== asked) return;
	element.focus({ preventScroll: newStage });
	if (newStage) window.scrollTo({ top: 0 });
}

/**
 * The element with this id once the DOM has one; null as soon as a change of the DOM finds the
 * wait `superseded`.
 */
function appearing(id: string, superseded: () => boolean): Promise<HTMLElement | null> {
	return new Promise((resolve) => {
		const observer = new MutationObserver(() => {
			const element = superseded() ? null : document.getElementById(id);
			if (element || superseded()) {
				observer.disconnect();
				resolve(element);
			}
		});
		observer.observe(document.body, { childList: true, subtree: true });
	});
}
