/**
 * What a session's event stream is sent first, whoever serves the stream (the events endpoint, or
 * the front door for a participant's).
 */
import type { FirstEvents } from './hub';
import { dashboardOf } from './live-dashboard';
import { loadSession } from './session-store';
import { pacingOf } from './session-views';

/**
 * Reads the session again once the stream has subscribed: a pacing change committed while the
 * request was on its way is then either in this first state or sent after it, never lost, and
 * never overtaken by an older state (the hub sends a state only if its version is newer). A host
 * is sent the dashboard as well.
 */
export function firstEventsOf(code: string, host: boolean): () => Promise<FirstEvents> {
	return async () => {
		const now = await loadSession(code);
		const state = { version: now.row.version, pacing: pacingOf(now) };
		return { state, more: host ? [['dashboard', await dashboardOf(now)]] : [] };
	};
}
