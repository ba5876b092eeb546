import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '$lib/journey/journey.storage';
import { enqueueAnswer, pendingAnswers, settleAnswer, type PendingAnswer } from './outbox';

/** A Web Storage stand-in over a Map, so tests can look inside it. */
function mapStore(entries: Record<string, string> = {}) {
	const map = new Map(Object.entries(entries));
	const store: KeyValueStore = {
		getItem: (key) => map.get(key) ?? null,
		setItem: (key, value) => void map.set(key, String(value)),
		removeItem: (key) => void map.delete(key)
	};
	return { store, map };
}

/** Storage that is switched off: every call throws, as Safari's private mode used to. */
const brokenStore: KeyValueStore = {
	getItem: () => {
		throw new Error('SecurityError');
	},
	setItem: () => {
		throw new Error('QuotaExceededError');
	},
	removeItem: () => {
		throw new Error('SecurityError');
	}
};

const CODE = 'ABC234';
const ME = 'participant-1';
const KEY = `causeway:outbox:${CODE}:${ME}`;

const pending = (answerId: string, questionId: string, response: unknown = 'a'): PendingAnswer => ({
	answerId,
	questionId,
	response
});

describe('the answer outbox', () => {
	it('is empty at first', () => {
		const { store } = mapStore();
		expect(pendingAnswers(store, CODE, ME)).toEqual([]);
	});

	it('keeps enqueued answers, oldest first, under the session and participant`s key', () => {
		const { store, map } = mapStore();
		const first = pending('id-1', 'q1', 'a');
		const second = pending('id-2', 'q2', ['x', 'y']);
		expect(enqueueAnswer(store, CODE, ME, first)).toBe(first);
		expect(enqueueAnswer(store, CODE, ME, second)).toBe(second);
		expect(pendingAnswers(store, CODE, ME)).toEqual([first, second]);
		expect([...map.keys()]).toEqual([KEY]);
		expect(JSON.parse(map.get(KEY) ?? '')).toEqual([first, second]);
	});

	it('returns the answer already pending for a question, so a retry keeps its answerId', () => {
		const { store } = mapStore();
		const original = pending('id-1', 'q1', 'a');
		enqueueAnswer(store, CODE, ME, original);
		const again = enqueueAnswer(store, CODE, ME, pending('id-2', 'q1', 'b'));
		expect(again).toEqual(original);
		expect(again.answerId).toBe('id-1');
		expect(pendingAnswers(store, CODE, ME)).toEqual([original]);
	});

	it('settles an answer by its answerId and forgets the key once nothing is pending', () => {
		const { store, map } = mapStore();
		enqueueAnswer(store, CODE, ME, pending('id-1', 'q1'));
		enqueueAnswer(store, CODE, ME, pending('id-2', 'q2'));
		settleAnswer(store, CODE, ME, 'id-1');
		expect(pendingAnswers(store, CODE, ME)).toEqual([pending('id-2', 'q2')]);
		settleAnswer(store, CODE, ME, 'id-2');
		expect(pendingAnswers(store, CODE, ME)).toEqual([]);
		expect(map.has(KEY)).toBe(false);
	});

	it('ignores settling an answerId that is not pending', () => {
		const { store } = mapStore();
		enqueueAnswer(store, CODE, ME, pending('id-1', 'q1'));
		settleAnswer(store, CODE, ME, 'id-unknown');
		expect(pendingAnswers(store, CODE, ME)).toEqual([pending('id-1', 'q1')]);
	});

	it('takes a new answer for a question once its earlier one is settled', () => {
		const { store } = mapStore();
		enqueueAnswer(store, CODE, ME, pending('id-1', 'q1'));
		settleAnswer(store, CODE, ME, 'id-1');
		expect(enqueueAnswer(store, CODE, ME, pending('id-2', 'q1')).answerId).toBe('id-2');
	});

	it('keeps sessions and participants apart', () => {
		const { store, map } = mapStore();
		enqueueAnswer(store, CODE, ME, pending('id-1', 'q1'));
		enqueueAnswer(store, CODE, 'participant-2', pending('id-2', 'q1'));
		enqueueAnswer(store, 'XYZ789', ME, pending('id-3', 'q1'));
		expect(pendingAnswers(store, CODE, ME).map((p) => p.answerId)).toEqual(['id-1']);
		expect(pendingAnswers(store, CODE, 'participant-2').map((p) => p.answerId)).toEqual(['id-2']);
		expect(pendingAnswers(store, 'XYZ789', ME).map((p) => p.answerId)).toEqual(['id-3']);
		expect(map.size).toBe(3);
	});

	it('survives a reload: a fresh read of the same storage sees what was queued', () => {
		const { map } = mapStore();
		enqueueAnswer(mapStoreOver(map), CODE, ME, pending('id-1', 'q1', { scenario: 's' }));
		expect(pendingAnswers(mapStoreOver(map), CODE, ME)).toEqual([
			pending('id-1', 'q1', { scenario: 's' })
		]);
	});
});

/** Another store over the same Map: what a reloaded page would see. */
function mapStoreOver(map: Map<string, string>): KeyValueStore {
	return {
		getItem: (key) => map.get(key) ?? null,
		setItem: (key, value) => void map.set(key, value),
		removeItem: (key) => void map.delete(key)
	};
}

describe('the answer outbox over bad storage', () => {
	it('reads corrupt storage as empty', () => {
		for (const junk of ['{', 'null', '42', '"text"', '{"answerId":"x","questionId":"q"}']) {
			const { store } = mapStore({ [KEY]: junk });
			expect(pendingAnswers(store, CODE, ME), junk).toEqual([]);
		}
	});

	it('drops entries that are not answers and keeps the rest', () => {
		const good = pending('id-1', 'q1');
		const { store } = mapStore({
			[KEY]: JSON.stringify([
				null,
				7,
				'text',
				{ answerId: 1, questionId: 'q2' },
				{ answerId: 'id-3' },
				good
			])
		});
		expect(pendingAnswers(store, CODE, ME)).toEqual([good]);
	});

	it('replaces corrupt storage with the new answer on enqueue', () => {
		const { store } = mapStore({ [KEY]: 'not json' });
		enqueueAnswer(store, CODE, ME, pending('id-1', 'q1'));
		expect(pendingAnswers(store, CODE, ME)).toEqual([pending('id-1', 'q1')]);
	});

	it('never throws when storage throws: reads are empty, the answer is still returned', () => {
		const answer = pending('id-1', 'q1');
		expect(pendingAnswers(brokenStore, CODE, ME)).toEqual([]);
		expect(enqueueAnswer(brokenStore, CODE, ME, answer)).toBe(answer);
		expect(() => settleAnswer(brokenStore, CODE, ME, 'id-1')).not.toThrow();
	});

	it('never throws when only writes fail (storage full)', () => {
		const { map } = mapStore();
		const full: KeyValueStore = {
			getItem: (key) => map.get(key) ?? null,
			setItem: () => {
				throw new Error('QuotaExceededError');
			},
			removeItem: () => {
				throw new Error('SecurityError');
			}
		};
		const answer = pending('id-1', 'q1');
		expect(enqueueAnswer(full, CODE, ME, answer)).toBe(answer);
		expect(pendingAnswers(full, CODE, ME)).toEqual([]);
		expect(() => settleAnswer(full, CODE, ME, 'id-1')).not.toThrow();
	});
});
