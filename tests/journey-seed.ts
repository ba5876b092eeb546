/** Journeys made by the machine itself and stored as the page saves them, to start e2e tests mid-way. */
import type { Page } from '@playwright/test';
import { createActor } from 'xstate';
import { createJourneyMachine, type JourneyEvent } from '../src/lib/journey/journey.machine';
import { STORAGE_FORMAT } from '../src/lib/journey/journey.storage';
import { pack, STORAGE_KEY } from './helpers';

/** The events that answer every question of the first `links` links right, then stop at the next reading. */
export function eventsThrough(links: number): JourneyEvent[] {
	return [
		{ type: 'journey.start', at: Date.now() },
		...pack.steps
			.slice(0, links)
			.flatMap((step) => [
				{ type: 'link.continue' } as const,
				...step.questions.flatMap((q) => [
					{ type: 'answer.submit', response: q.answer } as const,
					{ type: 'question.next' } as const
				])
			])
	];
}

/** The stored entry (under STORAGE_KEY) of a journey made by the machine itself from `events`. */
export function storedJourney(events: JourneyEvent[]): string {
	const actor = createActor(createJourneyMachine(pack), {
		input: { version: pack.version }
	}).start();
	for (const event of events) actor.send(event);
	const entry = {
		format: STORAGE_FORMAT,
		packId: pack.id,
		version: pack.version,
		snapshot: actor.getPersistedSnapshot()
	};
	actor.stop();
	return JSON.stringify(entry);
}

/** Stores a journey made by the machine itself, as the page would have saved it. */
export async function seed(page: Page, events: JourneyEvent[]) {
	await page.addInitScript(
		([key, value]) => {
			if (!sessionStorage.getItem('seeded')) {
				localStorage.setItem(key, value);
				sessionStorage.setItem('seeded', '1');
			}
		},
		[STORAGE_KEY, storedJourney(events)] as const
	);
}

/** Every question right up to the last one's feedback: one Continue finishes the attempt. */
export function eventsToLastFeedback(): JourneyEvent[] {
	const last = pack.steps.at(-1);
	const events = [
		...eventsThrough(pack.steps.length - 1),
		{ type: 'link.continue' } as const,
		...(last?.questions ?? []).flatMap((q) => [
			{ type: 'answer.submit', response: q.answer } as const,
			{ type: 'question.next' } as const
		])
	];
	return events.slice(0, -1);
}
