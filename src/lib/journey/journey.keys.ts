/**
 * The names a stored journey is found and read by: its storage key and format, and the
 * top-level states outside the links. Apart from the machine and the storage module, so that a
 * page can read where a journey is without loading either (or XState).
 */

/** Bump when the stored shape changes in a way old entries cannot be read with (2: scenario exploration). */
export const STORAGE_FORMAT = 2;

/** The part of the Web Storage API the journey modules use, so that tests can hand them a Map. */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The storage key of a pack's journey. */
export function journeyKey(packId: string): string {
	return `causeway:journey:${packId}`;
}

/** State ids outside the links. */
export const INTRO = 'intro';
export const SUMMARY = 'summary';
export const REVIEW = 'review';
