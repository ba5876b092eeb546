/**
 * A fixed number of slots for costly work: who asks while all are taken waits in line, and past a
 * line of `waiting` is told no at once, so that a flood of requests can neither start unbounded
 * work nor queue without end.
 */
export interface Slots {
	/**
	 * A slot (its release, safe to call more than once) once one is free, or null at once when
	 * the line is full.
	 */
	take(): Promise<(() => void) | null>;
	/** Slots taken now, and callers in line. */
	readonly busy: number;
	readonly waiting: number;
}

export function createSlots(size: number, waiting: number): Slots {
	let busy = 0;
	const line: Array<(release: () => void) => void> = [];
	const releaser = () => {
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const next = line.shift();
			// The slot passes straight to the first in line: nobody arriving meanwhile can take it.
			if (next) next(releaser());
			else busy -= 1;
		};
	};
	return {
		take() {
			if (busy < size) {
				busy += 1;
				return Promise.resolve(releaser());
			}
			if (line.length >= waiting) return Promise.resolve(null);
			return new Promise((resolve) => line.push(resolve));
		},
		get busy() {
			return busy;
		},
		get waiting() {
			return line.length;
		}
	};
}
