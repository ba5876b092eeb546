/**
 * Keeps a learner's journey on the device: the machine's persisted snapshot, wrapped with the
 * storage format and the pack version it was made with. Anything unreadable, or made for another
 * version of the content, is dropped with a short notice rather than resumed into a broken state.
 */
import { createActor, type Snapshot } from 'xstate';
import type { Pack } from '$lib/content/pack';
import type { JourneyMachine } from './journey.machine';
import { journeyKey, STORAGE_FORMAT, type KeyValueStore } from './journey.keys';

export { journeyKey, STORAGE_FORMAT, type KeyValueStore };

interface StoredJourney {
	format: number;
	packId: string;
	version: string;
	snapshot: Snapshot<unknown>;
}

/** Stores the persisted snapshot of a pack's journey. Storage that is full or off is not an error. */
export function saveJourney(
	store: KeyValueStore,
	pack: Pick<Pack, 'id' | 'version'>,
	snapshot: Snapshot<unknown>
): boolean {
	const entry: StoredJourney = {
		format: STORAGE_FORMAT,
		packId: pack.id,
		version: pack.version,
		snapshot
	};
	try {
		store.setItem(journeyKey(pack.id), JSON.stringify(entry));
		return true;
	} catch {
		return false;
	}
}

/** Forgets a pack's journey. */
export function clearJourney(store: KeyValueStore, packId: string): void {
	try {
		store.removeItem(journeyKey(packId));
	} catch {
		// Storage that is off has nothing to forget.
	}
}

/** What restoring found: a persisted snapshot to resume, nothing stored, or a stored journey dropped and why. */
export type Restored =
	| { kind: 'resumed'; snapshot: Snapshot<unknown> }
	| { kind: 'none' }
	| { kind: 'dropped'; notice: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** An answer record as the machine writes it: tries with a numeric credit, and the hint flag. */
function isAnswerRecord(value: unknown): boolean {
	return (
		isRecord(value) &&
		typeof value.hintUsed === 'boolean' &&
		Array.isArray(value.attempts) &&
		value.attempts.every(
			(a) => isRecord(a) && typeof a.credit === 'number' && a.credit >= 0 && a.credit <= 1
		)
	);
}

/**
 * Reads a pack's stored journey and checks that the machine accepts it: the right format and
 * content version, a state that exists, answers only to questions that exist. Whatever fails a
 * check is removed from storage so that the next visit starts clean.
 */
export function restoreJourney(
	store: KeyValueStore,
	pack: Pick<Pack, 'id' | 'version' | 'steps'>,
	machine: JourneyMachine
): Restored {
	let raw: string | null;
	try {
		raw = store.getItem(journeyKey(pack.id));
	} catch {
		return { kind: 'none' };
	}
	if (raw === null) return { kind: 'none' };
	const drop = (notice: string): Restored => {
		clearJourney(store, pack.id);
		return { kind: 'dropped', notice };
	};
	let entry: unknown;
	try {
		entry = JSON.parse(raw);
	} catch {
		return drop('Your saved progress could not be read, so this journey starts afresh.');
	}
	if (
		!isRecord(entry) ||
		entry.format !== STORAGE_FORMAT ||
		entry.packId !== pack.id ||
		!isRecord(entry.snapshot)
	) {
		return drop('Your saved progress was in an old format, so this journey starts afresh.');
	}
	if (entry.version !== pack.version) {
		return drop(
			'This story’s questions have changed since your last visit, so your journey starts afresh.'
		);
	}
	try {
		const actor = createActor(machine, {
			snapshot: entry.snapshot as Snapshot<unknown>,
			input: { version: pack.version }
		});
		const snapshot = actor.getSnapshot();
		const questionIds = new Set(pack.steps.flatMap((s) => s.questions.map((q) => q.id)));
		const answersKnown = [snapshot.context.answers, snapshot.context.reviewAnswers].every(
			(book) =>
				isRecord(book) &&
				Object.entries(book).every(([id, record]) => questionIds.has(id) && isAnswerRecord(record))
		);
		const { questionId, reviewQueue, revisitLinkId } = snapshot.context;
		const questionKnown = questionId === null || questionIds.has(questionId);
		const reviewKnown =
			Array.isArray(reviewQueue) && reviewQueue.every((id) => questionIds.has(id));
		const revisitKnown = revisitLinkId === null || pack.steps.some((s) => s.id === revisitLinkId);
		if (
			snapshot.status !== 'active' ||
			!answersKnown ||
			!questionKnown ||
			!reviewKnown ||
			!revisitKnown ||
			snapshot.context.version !== pack.version
		) {
			return drop('Your saved progress did not match this story, so this journey starts afresh.');
		}
		return { kind: 'resumed', snapshot: entry.snapshot as Snapshot<unknown> };
	} catch {
		return drop('Your saved progress could not be resumed, so this journey starts afresh.');
	}
}
