/**
 * Finished attempts kept on the device: when, how long, the score, mastery per link and per
 * skill, calibration, and which questions were missed. Versioned, validated with valibot on every
 * read and on import, so a damaged or foreign file is refused with a message and nothing stored is
 * lost. Pure apart from the store it is handed.
 */
import * as v from 'valibot';
import type { Pack } from '$lib/content/pack';
import { SKILLS } from '$lib/content/schema';
import {
	calibrationOf,
	CONFIDENCE_LEVELS,
	masteryByLink,
	masteryBySkill,
	missedQuestionIds,
	scoreOf,
	type AnswerBook
} from './journey.progress';
import type { KeyValueStore } from './journey.storage';

/** Bump when the stored shape changes in a way old entries cannot be read with. */
export const HISTORY_FORMAT = 1;
/** The storage key of the device's history, every pack together. */
export const HISTORY_KEY = 'causeway:history';

const Share = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Name = v.pipe(v.string(), v.maxLength(200));

const AttemptSchema = v.strictObject({
	id: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
	packId: Name,
	version: Name,
	/** ISO dates. */
	startedAt: v.pipe(v.string(), v.isoTimestamp()),
	finishedAt: v.pipe(v.string(), v.isoTimestamp()),
	points: Count,
	maxPoints: Count,
	links: v.array(v.strictObject({ linkId: Name, title: Name, share: Share })),
	skills: v.array(v.strictObject({ skill: v.picklist(SKILLS), share: Share })),
	calibration: v.array(
		v.strictObject({ level: v.picklist(CONFIDENCE_LEVELS), answered: Count, correct: Count })
	),
	/** Question ids not fully right, in the pack's order. */
	missed: v.array(Name)
});
export type FinishedAttempt = v.InferOutput<typeof AttemptSchema>;

const HistorySchema = v.strictObject({
	format: v.literal(HISTORY_FORMAT),
	attempts: v.array(AttemptSchema)
});

/** A finished attempt summarised from its answers; `now` and `startedAt` come from the page's clock. */
export function summariseAttempt(
	pack: Pick<Pack, 'id' | 'version' | 'steps'>,
	answers: AnswerBook,
	startedAt: number,
	finishedAt: number
): FinishedAttempt {
	const score = scoreOf(pack, answers);
	return {
		id: `${pack.id}-${finishedAt}`,
		packId: pack.id,
		version: pack.version,
		startedAt: new Date(startedAt).toISOString(),
		finishedAt: new Date(finishedAt).toISOString(),
		points: score.points,
		maxPoints: score.maxPoints,
		links: masteryByLink(pack, answers).map(({ linkId, title, share }) => ({
			linkId,
			title,
			share
		})),
		skills: masteryBySkill(pack, answers).map(({ skill, share }) => ({ skill, share })),
		calibration: calibrationOf(pack, answers).map(({ level, answered, correct }) => ({
			level,
			answered,
			correct
		})),
		missed: missedQuestionIds(pack, answers)
	};
}

/** Reads the history: every attempt, oldest first; nothing when there is none or it is unreadable. */
export function readHistory(store: KeyValueStore): FinishedAttempt[] {
	try {
		const raw = store.getItem(HISTORY_KEY);
		if (raw === null) return [];
		const parsed = v.safeParse(HistorySchema, JSON.parse(raw));
		return parsed.success ? parsed.output.attempts : [];
	} catch {
		return [];
	}
}

function writeHistory(store: KeyValueStore, attempts: FinishedAttempt[]): boolean {
	try {
		store.setItem(HISTORY_KEY, JSON.stringify({ format: HISTORY_FORMAT, attempts }));
		return true;
	} catch {
		return false;
	}
}

/** Merges attempts into a list: one per id, oldest first. */
function merged(into: FinishedAttempt[], more: FinishedAttempt[]): FinishedAttempt[] {
	const byId = new Map(into.map((a) => [a.id, a]));
	for (const attempt of more) byId.set(attempt.id, attempt);
	return [...byId.values()].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
}

/** Adds a finished attempt. Storage that is full or off is not an error. */
export function recordAttempt(store: KeyValueStore, attempt: FinishedAttempt): boolean {
	return writeHistory(store, merged(readHistory(store), [attempt]));
}

/** The history as a file to download: the same versioned shape as stored. */
export function exportHistory(store: KeyValueStore): string {
	return JSON.stringify({ format: HISTORY_FORMAT, attempts: readHistory(store) }, null, 2);
}

/** What importing a file did. */
export type Imported = { ok: true; added: number } | { ok: false; message: string };

/**
 * Imports an exported file, merging it with what is stored (an attempt already here is kept
 * once). A file that is not a Causeway history changes nothing and says why.
 */
export function importHistory(store: KeyValueStore, text: string): Imported {
	const notOurs: Imported = {
		ok: false,
		message:
			'That file is not a Causeway progress file. Choose the file that “Export to a file” saved (causeway-progress.json). Nothing was changed.'
	};
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		return notOurs;
	}
	const parsed = v.safeParse(HistorySchema, data);
	if (!parsed.success) {
		// Our own file says which format it is in; anything else is some other file.
		const format =
			typeof data === 'object' && data !== null && 'format' in data ? data.format : null;
		if (typeof format !== 'number') return notOurs;
		return {
			ok: false,
			message:
				format > HISTORY_FORMAT
					? 'That progress file was saved by a newer version of Causeway, which this page cannot read yet. Nothing was changed.'
					: 'That progress file is damaged or was changed by hand, so it cannot be read. Nothing was changed.'
		};
	}
	const before = readHistory(store);
	const after = merged(before, parsed.output.attempts);
	if (!writeHistory(store, after)) {
		return {
			ok: false,
			message: 'This browser would not store the progress. Nothing was changed.'
		};
	}
	return { ok: true, added: after.length - before.length };
}

/**
 * Questions to practise, missed most recently first: each question once, placed by the latest
 * attempt that missed it. Only questions of the given pack and version.
 */
export function missedMostRecentFirst(
	attempts: readonly FinishedAttempt[],
	pack: Pick<Pack, 'id' | 'version'>
): string[] {
	const seen = new Set<string>();
	const ids: string[] = [];
	for (const attempt of [...attempts].reverse()) {
		if (attempt.packId !== pack.id || attempt.version !== pack.version) continue;
		for (const id of attempt.missed) {
			if (!seen.has(id)) {
				seen.add(id);
				ids.push(id);
			}
		}
	}
	return ids;
}
