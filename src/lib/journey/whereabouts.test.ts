import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { tinyPack } from './fixture';
import { createJourneyMachine, type JourneyEvent } from './journey.machine';
import { journeyKey, saveJourney, type KeyValueStore } from './journey.storage';
import { journeyWhereabouts } from './whereabouts';

const machine = createJourneyMachine(tinyPack);
const outline = {
	id: tinyPack.id,
	version: tinyPack.version,
	links: tinyPack.steps.map((s) => ({ ...s, questionIds: s.questions.map((q) => q.id) }))
};
const [rain, mud] = tinyPack.steps;

/** A store holding the journey reached by `events`, saved as the player saves it. */
function storeAfter(events: JourneyEvent[]): KeyValueStore & { map: Map<string, string> } {
	const map = new Map<string, string>();
	const store = {
		map,
		getItem: (key: string) => map.get(key) ?? null,
		setItem: (key: string, value: string) => void map.set(key, value),
		removeItem: (key: string) => void map.delete(key)
	};
	const actor = createActor(machine, { input: { version: tinyPack.version } }).start();
	for (const event of events) actor.send(event);
	saveJourney(store, tinyPack, actor.getPersistedSnapshot());
	actor.stop();
	return store;
}

const answer = (id: string): JourneyEvent => ({
	type: 'answer.submit',
	response: tinyPack.steps.flatMap((s) => s.questions).find((q) => q.id === id)!.answer
});

describe('journeyWhereabouts', () => {
	it('says nothing when no journey is stored or it is still at the intro', () => {
		expect(journeyWhereabouts(storeAfter([]), outline)).toBeNull();
		const empty = storeAfter([]);
		empty.map.clear();
		expect(journeyWhereabouts(empty, outline)).toBeNull();
	});

	it('names the link while reading it, and the question once asking', () => {
		expect(journeyWhereabouts(storeAfter([{ type: 'journey.start' }]), outline)).toBe(
			`Link 1 of ${tinyPack.steps.length}: ${rain!.title}`
		);
		const second = storeAfter([
			{ type: 'journey.start' },
			{ type: 'link.continue' },
			answer(rain!.questions[0]!.id),
			{ type: 'question.next' }
		]);
		expect(journeyWhereabouts(second, outline)).toBe(
			`Link 1 of ${tinyPack.steps.length}: ${rain!.title} · question 2 of ${rain!.questions.length}`
		);
		const next = storeAfter([
			{ type: 'journey.start' },
			{ type: 'link.continue' },
			...rain!.questions.flatMap((q) => [answer(q.id), { type: 'question.next' } as const])
		]);
		expect(journeyWhereabouts(next, outline)).toBe(
			`Link 2 of ${tinyPack.steps.length}: ${mud!.title}`
		);
	});

	it('ignores a journey of another version, another format, or one that is not JSON', () => {
		const store = storeAfter([{ type: 'journey.start' }]);
		expect(journeyWhereabouts(store, { ...outline, version: 'v0' })).toBeNull();
		const entry = JSON.parse(store.map.get(journeyKey(tinyPack.id))!);
		store.map.set(journeyKey(tinyPack.id), JSON.stringify({ ...entry, format: 1 }));
		expect(journeyWhereabouts(store, outline)).toBeNull();
		store.map.set(journeyKey(tinyPack.id), '{not json');
		expect(journeyWhereabouts(store, outline)).toBeNull();
	});
});
