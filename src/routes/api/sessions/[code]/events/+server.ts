import { error } from '@sveltejs/kit';
import { identify } from '$lib/server/caller';
import { sessionFromUrl } from '$lib/server/http';
import { eventStream } from '$lib/server/hub';
import { dashboardOf } from '$lib/server/live-dashboard';
import { clientAddress } from '$lib/server/origin';
import { loadSession } from '$lib/server/session-store';
import { pacingOf } from '$lib/server/session-views';
import type { RequestHandler } from './$types';

/** Server-Sent Events: hosts get live aggregates, participants get pacing changes. */
export const GET: RequestHandler = async (event) => {
	const session = await sessionFromUrl(event);
	const caller = await identify(event, session);
	if (!caller.host && !caller.participant)
		error(401, 'Join the session (or host it) to follow its events.');
	const { code } = session.row;
	// Read again once the stream has subscribed: a pacing change committed while this request
	// was on its way is then either in this first state or sent after it, never lost, and never
	// overtaken by an older state (the hub sends a state only if its version is newer).
	const first = async () => {
		const now = await loadSession(code);
		const state = { version: now.row.version, pacing: pacingOf(now) };
		return {
			state,
			more: caller.host ? [['dashboard', await dashboardOf(now)] as [string, unknown]] : []
		};
	};
	const address = clientAddress(event);
	const reader = caller.host
		? { role: 'host' as const }
		: { role: 'participant' as const, participantId: caller.participant?.id };
	// adapter-node's request: its socket carries the stream's messages once the head is out.
	return eventStream(code, reader, first, address, event.platform?.req);
};
