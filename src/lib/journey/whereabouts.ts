/**
 * Where a stored journey has got to, in words ("Link 2 of 5: … · question 3 of 4"), for the
 * "Continue" buttons. Reads the stored entry without the machine or XState, so that the home
 * page can offer to continue without loading the player.
 */
import {
	INTRO,
	journeyKey,
	REVIEW,
	STORAGE_FORMAT,
	SUMMARY,
	type KeyValueStore
} from './journey.keys';

/** What the description needs to know of a pack: its version and each link's questions. */
export interface PackOutline {
	id: string;
	version: string;
	links: ReadonlyArray<{ id: string; title: string; questionIds: readonly string[] }>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The top-level state of a persisted snapshot's value: a link id, summary, review or intro. */
function stageOf(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (isRecord(value)) return Object.keys(value)[0] ?? null;
	return null;
}

/**
 * Where the pack's stored journey is, in words; null when nothing is in progress (nothing
 * stored, still at the intro, stored for another version or format, or unreadable).
 */
export function journeyWhereabouts(store: KeyValueStore, pack: PackOutline): string | null {
	let entry: unknown;
	try {
		entry = JSON.parse(store.getItem(journeyKey(pack.id)) ?? 'null');
	} catch {
		return null;
	}
	if (
		!isRecord(entry) ||
		entry.format !== STORAGE_FORMAT ||
		entry.version !== pack.version ||
		!isRecord(entry.snapshot)
	) {
		return null;
	}
	const stage = stageOf(entry.snapshot.value);
	if (stage === SUMMARY) return 'your summary';
	if (stage === REVIEW) return 'your review of missed questions';
	const index = pack.links.findIndex((link) => link.id === stage);
	if (stage === null || stage === INTRO || index < 0) return null;
	const link = pack.links[index]!;
	const where = `Link ${index + 1} of ${pack.links.length}: ${link.title}`;
	const reading = isRecord(entry.snapshot.value) && entry.snapshot.value[stage] === 'reading';
	const context = isRecord(entry.snapshot.context) ? entry.snapshot.context : {};
	const at = link.questionIds.indexOf(String(context.questionId));
	return reading || at < 0 ? where : `${where} · question ${at + 1} of ${link.questionIds.length}`;
}
