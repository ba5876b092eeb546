import { describe, expect, it } from 'vitest';
import { createActor, type Snapshot } from 'xstate';
import { tinyPack } from './fixture';
import { createJourneyMachine, type JourneyEvent, type JourneySnapshot } from './journey.machine';
import {
	clearJourney,
	journeyKey,
	restoreJourney,
	saveJourney,
	STORAGE_FORMAT,
	type KeyValueStore
} from './journey.storage';

const machine = createJourneyMachine(tinyPack);
const input = { version: tinyPack.version };
const KEY = journeyKey(tinyPack.id);

/** A Web Storage stand-in over a Map, so tests can look inside it. */
function mapStore(entries: Record<string, string> = {}): {
	store: KeyValueStore;
	map: Map<string, string>;
} {
	const map = new Map(Object.entries(entries));
	const store: KeyValueStore = {
		getItem: (key) => map.get(key) ?? null,
		setItem: (key, value) => void map.set(key, String(value)),
		removeItem: (key) => void map.delete(key)
	};
	return { store, map };
}

const submit = (response: unknown): JourneyEvent => ({ type: 'answer.submit', response });

/** Runs the tiny-pack machine through `events` and returns the actor (started). */
function drive(events: JourneyEvent[]) {
	const actor = createActor(machine, { input }).start();
	for (const event of events) actor.send(event);
	return actor;
}

/**
 * A few steps in: a wrong first try and a right retry at the choice question, then on to the
 * order question, answered partly right; now offered a retry.
 */
const SOME_STEPS: JourneyEvent[] = [
	{ type: 'journey.start' },
	{ type: 'link.continue' },
	submit('b'),
	{ type: 'answer.retry' },
	submit('a'),
	{ type: 'question.next' },
	submit(['x', 'z', 'y'])
];

/** Into the second link, with its hint shown but the question not yet answered. */
const TO_HINT: JourneyEvent[] = [
	{ type: 'journey.start' },
	{ type: 'link.continue' },
	submit('a'),
	{ type: 'question.next' },
	submit(['x', 'y', 'z']),
	{ type: 'question.next' },
	{ type: 'link.continue' },
	{ type: 'hint.request' }
];

/** The persisted snapshot after `events`, as plain JSON (what the store would hold). */
function persisted(events: JourneyEvent[] = SOME_STEPS): Record<string, unknown> {
	const actor = drive(events);
	const snapshot = actor.getPersistedSnapshot();
	actor.stop();
	return JSON.parse(JSON.stringify(snapshot)) as Record<string, unknown>;
}

/** A stored entry as saveJourney writes it, for tests to spoil one part of. */
function entry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		format: STORAGE_FORMAT,
		packId: tinyPack.id,
		version: tinyPack.version,
		snapshot: persisted(),
		...overrides
	};
}

/** The persisted snapshot with its context changed by `change`. */
function withContext(change: (context: Record<string, unknown>) => void): Record<string, unknown> {
	const snapshot = persisted();
	const context = structuredClone(snapshot.context) as Record<string, unknown>;
	change(context);
	return { ...snapshot, context };
}

function resume(snapshot: Snapshot<unknown>) {
	return createActor(machine, { snapshot, input }).start();
}

describe('saveJourney and restoreJourney', () => {
	it('round-trips a journey a few steps in: same state, same answers', () => {
		const { store, map } = mapStore();
		const actor = drive(SOME_STEPS);
		const before: JourneySnapshot = actor.getSnapshot();
		expect(before.value).toEqual({ rain: 'retryOffer' });

		expect(saveJourney(store, tinyPack, actor.getPersistedSnapshot())).toBe(true);
		expect([...map.keys()]).toEqual([KEY]);
		expect(JSON.parse(map.get(KEY) ?? '')).toMatchObject({
			format: STORAGE_FORMAT,
			packId: 'tiny',
			version: 'v1'
		});

		const restored = restoreJourney(store, tinyPack, machine);
		if (restored.kind !== 'resumed') throw new Error(`expected resumed, got ${restored.kind}`);
		const resumed = resume(restored.snapshot);
		const after = resumed.getSnapshot();
		expect(after.value).toEqual(before.value);
		expect(after.context).toEqual(before.context);
		expect(after.context.answers['q-choice']?.attempts.map((a) => a.credit)).toEqual([0, 1]);
		expect(after.context.answers['q-order']?.attempts).toHaveLength(1);
		expect(map.has(KEY)).toBe(true);
	});

	it('the resumed journey carries on where it stopped', () => {
		const { store } = mapStore();
		saveJourney(store, tinyPack, drive(SOME_STEPS).getPersistedSnapshot());
		const restored = restoreJourney(store, tinyPack, machine);
		if (restored.kind !== 'resumed') throw new Error(`expected resumed, got ${restored.kind}`);
		const actor = resume(restored.snapshot);
		actor.send({ type: 'answer.retry' }); // q-order was wrong on the first try
		expect(actor.getSnapshot().value).toEqual({ rain: 'asking' });
		actor.send(submit(['x', 'y', 'z']));
		actor.send({ type: 'question.next' });
		expect(actor.getSnapshot().value).toEqual({ mud: 'reading' });
		expect(actor.getSnapshot().context.questionId).toBe('q-numeric');
	});

	it('keeps a hint that was shown', () => {
		const { store } = mapStore();
		const actor = drive(TO_HINT);
		expect(actor.getSnapshot().value).toEqual({ mud: 'asking' });
		saveJourney(store, tinyPack, actor.getPersistedSnapshot());
		const restored = restoreJourney(store, tinyPack, machine);
		if (restored.kind !== 'resumed') throw new Error(`expected resumed, got ${restored.kind}`);
		const after = resume(restored.snapshot).getSnapshot();
		expect(after.value).toEqual({ mud: 'asking' });
		expect(after.context.answers['q-numeric']).toEqual({ attempts: [], hintUsed: true });
	});

	it('round-trips the intro, the summary and a review round', () => {
		const toSummary: JourneyEvent[] = [
			...TO_HINT,
			submit(1),
			{ type: 'question.next' },
			{ type: 'link.continue' },
			submit(['m']),
			{ type: 'answer.reveal' },
			{ type: 'question.next' }
		];
		for (const [events, value] of [
			[[], 'intro'],
			[toSummary, 'summary'],
			[[...toSummary, { type: 'review.start' }, submit(['m', 'n'])], { review: 'feedback' }]
		] as const) {
			const { store } = mapStore();
			const actor = drive([...events]);
			expect(actor.getSnapshot().value).toEqual(value);
			saveJourney(store, tinyPack, actor.getPersistedSnapshot());
			const restored = restoreJourney(store, tinyPack, machine);
			if (restored.kind !== 'resumed') throw new Error(`expected resumed at ${String(value)}`);
			const after = resume(restored.snapshot).getSnapshot();
			expect(after.value).toEqual(value);
			expect(after.context).toEqual(actor.getSnapshot().context);
		}
	});

	it('nothing stored: none', () => {
		const { store, map } = mapStore({ [journeyKey('other')]: JSON.stringify(entry()) });
		expect(restoreJourney(store, tinyPack, machine)).toEqual({ kind: 'none' });
		expect(map.size).toBe(1);
	});

	it('stores each pack under its own key', () => {
		expect(journeyKey('tiny')).toBe('causeway:journey:tiny');
		expect(journeyKey('mali-russia')).not.toBe(journeyKey('tiny'));
	});

	it('clearJourney forgets the pack’s journey only', () => {
		const { store, map } = mapStore({ [KEY]: 'x', [journeyKey('other')]: 'y' });
		clearJourney(store, tinyPack.id);
		expect([...map.keys()]).toEqual([journeyKey('other')]);
	});
});

describe('restoreJourney drops what it cannot resume, with a notice, and removes it', () => {
	const afresh = /starts afresh\.$/;

	const cases: Array<[string, () => string, RegExp?]> = [
		['corrupt JSON', () => '{"format":1,"packId":', /could not be read/],
		['an empty string', () => '', /could not be read/],
		['JSON that is not an object', () => '42'],
		['JSON null', () => 'null'],
		['an array', () => '[]'],
		['another format number', () => JSON.stringify(entry({ format: STORAGE_FORMAT + 1 }))],
		['no format', () => JSON.stringify(entry({ format: undefined }))],
		['another pack id', () => JSON.stringify(entry({ packId: 'other' }))],
		['no snapshot', () => JSON.stringify(entry({ snapshot: undefined }))],
		['a snapshot that is a string', () => JSON.stringify(entry({ snapshot: 'rain' }))],
		[
			'another content version',
			() => JSON.stringify(entry({ version: 'v0' })),
			/questions have changed/
		],
		[
			'a snapshot naming a state that does not exist',
			() => JSON.stringify(entry({ snapshot: { ...persisted(), value: 'nowhere' } }))
		],
		[
			'a snapshot naming a child state that does not exist',
			() => JSON.stringify(entry({ snapshot: { ...persisted(), value: { rain: 'dancing' } } }))
		],
		[
			'a snapshot that has finished in error',
			() => JSON.stringify(entry({ snapshot: { ...persisted(), status: 'error' } }))
		],
		[
			'a snapshot made with another version inside',
			() =>
				JSON.stringify(
					entry({
						snapshot: withContext((c) => {
							c.version = 'v0';
						})
					})
				)
		],
		[
			'answers for an unknown question id',
			() =>
				JSON.stringify(
					entry({
						snapshot: withContext((c) => {
							c.answers = {
								...(c.answers as object),
								'q-ghost': { attempts: [{ response: 'a', credit: 1 }], hintUsed: false }
							};
						})
					})
				)
		],
		[
			'review answers for an unknown question id',
			() =>
				JSON.stringify(
					entry({
						snapshot: withContext((c) => {
							c.reviewAnswers = { 'q-ghost': { attempts: [], hintUsed: false } };
						})
					})
				)
		],
		[
			'a current question that does not exist',
			() =>
				JSON.stringify(
					entry({
						snapshot: withContext((c) => {
							c.questionId = 'q-ghost';
						})
					})
				)
		],
		[
			'an attempt with credit 7',
			() =>
				JSON.stringify(
					entry({
						snapshot: withContext((c) => {
							c.answers = {
								'q-choice': { attempts: [{ response: 'a', credit: 7 }], hintUsed: false }
							};
						})
					})
				)
		],
		[
			'an attempt with a negative credit',
			() =>
				JSON.stringify(
					entry({
						snapshot: withContext((c) => {
							c.answers = {
								'q-choice': { attempts: [{ response: 'a', credit: -0.5 }], hintUsed: false }
							};
						})
					})
				)
		],
		[
			'an attempt whose credit is a string',
			() =>
				JSON.stringify(
					entry({
						snapshot: withContext((c) => {
							c.answers = {
								'q-choice': { attempts: [{ response: 'a', credit: '1' }], hintUsed: false }
							};
						})
					})
				)
		],
		[
			'a hintUsed that is a string',
			() =>
				JSON.stringify(
					entry({
						snapshot: withContext((c) => {
							c.answers = { 'q-numeric': { attempts: [], hintUsed: 'yes' } };
						})
					})
				)
		],
		[
			'attempts that are not a list',
			() =>
				JSON.stringify(
					entry({
						snapshot: withContext((c) => {
							c.answers = { 'q-choice': { attempts: { credit: 1 }, hintUsed: false } };
						})
					})
				)
		],
		[
			'answers that are a list',
			() =>
				JSON.stringify(
					entry({
						snapshot: withContext((c) => {
							c.answers = [];
						})
					})
				)
		],
		['a snapshot without a context', () => JSON.stringify(entry({ snapshot: { value: 'intro' } }))]
	];

	it.each(cases)('%s', (_what, stored, notice) => {
		const { store, map } = mapStore({ [KEY]: stored(), [journeyKey('other')]: 'kept' });
		const restored = restoreJourney(store, tinyPack, machine);
		expect(restored.kind).toBe('dropped');
		if (restored.kind !== 'dropped') return;
		expect(restored.notice).toMatch(afresh);
		if (notice) expect(restored.notice).toMatch(notice);
		expect(map.has(KEY)).toBe(false);
		expect(map.get(journeyKey('other'))).toBe('kept');
		// Dropped once, then nothing is stored.
		expect(restoreJourney(store, tinyPack, machine)).toEqual({ kind: 'none' });
	});

	it('a journey saved by an older version of the pack mentions that the questions changed', () => {
		const { store, map } = mapStore();
		saveJourney(
			store,
			{ id: tinyPack.id, version: 'v0' },
			drive(SOME_STEPS).getPersistedSnapshot()
		);
		const restored = restoreJourney(store, tinyPack, machine);
		expect(restored).toEqual({
			kind: 'dropped',
			notice: expect.stringContaining('questions have changed') as unknown as string
		});
		expect(map.size).toBe(0);
	});
});

describe('restoreJourney drops a review round it could not carry on', () => {
	// These resume today (journey.storage.ts checks answers and questionId, not reviewQueue): a
	// queue naming a question that does not exist leaves the review stuck asking it, and a queue
	// that is not a list breaks the summary, which calls reviewQueue.filter.
	const reviewing = (reviewQueue: unknown) => ({
		...persisted(),
		value: { review: 'asking' },
		context: { ...(persisted().context as object), questionId: 'q-choice', reviewQueue }
	});

	it.each([
		['a review queue naming an unknown question', reviewing(['q-choice', 'q-ghost'])],
		[
			'a review queue that is not a list',
			{
				...persisted(),
				value: 'summary',
				context: { ...(persisted().context as object), reviewQueue: 'q-choice' }
			}
		]
	])('%s', (_what, snapshot) => {
		const { store, map } = mapStore({ [KEY]: JSON.stringify(entry({ snapshot })) });
		const restored = restoreJourney(store, tinyPack, machine);
		expect(restored.kind).toBe('dropped');
		expect(map.has(KEY)).toBe(false);
	});

	it('a review queue of known questions resumes', () => {
		const { store } = mapStore({
			[KEY]: JSON.stringify(entry({ snapshot: reviewing(['q-choice', 'q-order']) }))
		});
		expect(restoreJourney(store, tinyPack, machine).kind).toBe('resumed');
	});
});

describe('storage that is off or full is not an error', () => {
	const throwing = (what: string) => () => {
		throw new DOMException(what, 'SecurityError');
	};

	it('getItem and setItem throw (private mode): restore gives none, save gives false', () => {
		const store: KeyValueStore = {
			getItem: throwing('no storage'),
			setItem: throwing('no storage'),
			removeItem: throwing('no storage')
		};
		expect(restoreJourney(store, tinyPack, machine)).toEqual({ kind: 'none' });
		expect(saveJourney(store, tinyPack, drive(SOME_STEPS).getPersistedSnapshot())).toBe(false);
		expect(() => clearJourney(store, tinyPack.id)).not.toThrow();
	});

	it('setItem throws a quota error: save gives false and keeps what was stored', () => {
		const { store, map } = mapStore({ [KEY]: 'earlier' });
		const full: KeyValueStore = {
			...store,
			setItem: () => {
				throw new DOMException('full', 'QuotaExceededError');
			}
		};
		expect(saveJourney(full, tinyPack, drive(SOME_STEPS).getPersistedSnapshot())).toBe(false);
		expect(map.get(KEY)).toBe('earlier');
	});

	it('a bad entry that cannot be removed is still dropped, without throwing', () => {
		const { store } = mapStore({ [KEY]: 'not json' });
		const stuck: KeyValueStore = { ...store, removeItem: throwing('no removing') };
		const restored = restoreJourney(stuck, tinyPack, machine);
		expect(restored.kind).toBe('dropped');
	});
});
