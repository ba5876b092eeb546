import { tick } from 'svelte';

/**
 * Moves focus to an element once the DOM shows the new state; waits a few frames for parts
 * that are loaded on demand. A new stage also brings the page back to its top, so that the
 * progress strip and the "question k of n" line are in view, as on a new page.
 */
export async function focusOn(id: string, { newStage = false } = {}): Promise<void> {
	// The id may still name the element of the state before: let the DOM catch up first.
	await tick();
	for (let frame = 0; frame < 30 && !document.getElementById(id); frame++) {
		await new Promise((resolve) => requestAnimationFrame(resolve));
	}
	document.getElementById(id)?.focus({ preventScroll: newStage });
	if (newStage) window.scrollTo({ top: 0 });
}
