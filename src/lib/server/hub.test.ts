/** The hub's promise about state: a stream is never sent an older state after a newer one. */
import { describe, expect, it } from 'vitest';
import { publishState, subscribe, type Listener } from './hub';

function recorder(): Listener & { seen: string[] } {
	const seen: string[] = [];
	const decoder = new TextDecoder();
	return {
		role: 'participant',
		stateVersion: -1,
		seen,
		send: (message) => seen.push(/data: (.*)\n/.exec(decoder.decode(message))?.[1] ?? ''),
		close: () => {}
	};
}

describe('publishState', () => {
	it('sends each stream only states newer than the last it was sent', () => {
		const early = recorder();
		const late = recorder();
		const offEarly = subscribe('HUBONE', early);
		try {
			publishState('HUBONE', 2, { v: 2 });
			// Facts of two processes arriving out of order: the older one is dropped.
			publishState('HUBONE', 1, { v: 1 });
			const offLate = subscribe('HUBONE', late);
			publishState('HUBONE', 2, { v: 2 });
			publishState('HUBONE', 3, { v: 3 });
			offLate();
		} finally {
			offEarly();
		}
		expect(early.seen).toEqual(['{"v":2}', '{"v":3}']);
		expect(late.seen).toEqual(['{"v":2}', '{"v":3}']);
	});
});
