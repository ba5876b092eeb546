/**
 * One drag gesture, by mouse, pen or finger (Pointer Events): follows the pointer from a
 * pointerdown until it is lifted or the browser takes the gesture over (pointercancel, e.g. to
 * scroll). The controls that use it keep their buttons, radios and selects: dragging is a
 * shortcut for pointer users, never the only way.
 */

export interface DragHandlers {
	/** The pointer moved by (dx, dy) CSS pixels since it went down. */
	move?: (dx: number, dy: number, event: PointerEvent) => void;
	/** The pointer was lifted after moving by (dx, dy); `event` says where. */
	drop: (dx: number, dy: number, event: PointerEvent) => void;
	/** The gesture ended without a drop (cancelled by the browser). */
	cancel?: () => void;
}

/** Movements shorter than this are taps, not drags, and drop nothing. */
export const DRAG_THRESHOLD = 8;

/** Starts following a drag from `down` (a primary-button pointerdown on the dragged element). */
export function followDrag(down: PointerEvent, handlers: DragHandlers): void {
	if (down.button !== 0) return;
	const { pointerId, clientX: x0, clientY: y0 } = down;
	let dragging = false;

	const onMove = (event: PointerEvent) => {
		if (event.pointerId !== pointerId) return;
		const dx = event.clientX - x0;
		const dy = event.clientY - y0;
		if (!dragging && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
		dragging = true;
		event.preventDefault();
		handlers.move?.(dx, dy, event);
	};
	const finish = (event: PointerEvent) => {
		if (event.pointerId !== pointerId) return;
		window.removeEventListener('pointermove', onMove);
		window.removeEventListener('pointerup', finish);
		window.removeEventListener('pointercancel', finish);
		if (event.type === 'pointerup' && dragging) {
			// A drag that starts and ends on one label would also click it: that click is not meant.
			window.addEventListener('click', swallow, { capture: true, once: true });
			setTimeout(() => window.removeEventListener('click', swallow, { capture: true }));
			handlers.drop(event.clientX - x0, event.clientY - y0, event);
		} else {
			handlers.cancel?.();
		}
	};
	// On the window, not the element: the pointer may leave it, and capturing the pointer would
	// send a tap's click to the element instead of the radio or button that was tapped.
	window.addEventListener('pointermove', onMove);
	window.addEventListener('pointerup', finish);
	window.addEventListener('pointercancel', finish);
}

function swallow(event: Event) {
	event.preventDefault();
	event.stopPropagation();
}

/** The element under the pointer (capture aside) that carries `attribute`, or null. */
export function dropTargetAt(event: PointerEvent, attribute: string): HTMLElement | null {
	const under = document.elementFromPoint(event.clientX, event.clientY);
	return under?.closest<HTMLElement>(`[${attribute}]`) ?? null;
}
