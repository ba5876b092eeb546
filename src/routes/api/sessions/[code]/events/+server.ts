import { error } from '@sveltejs/kit';
import { dashboardOf, identify, pacingOf } from '$lib/server/classroom';
import { sessionFromUrl } from '$lib/server/http';
import { eventStream } from '$lib/server/hub';
import type { RequestHandler } from './$types';

/** Server-Sent Events: hosts get live aggregates, participants get pacing changes. */
export const GET: RequestHandler = async (event) => {
	const session = await sessionFromUrl(event);
	const caller = await identify(event, session);
	if (!caller.host && !caller.participant)
		error(401, 'Join the session (or host it) to follow its events.');
	const state: [string, unknown] = ['state', pacingOf(session)];
	const address = event.getClientAddress();
	return caller.host
		? eventStream(session.row.code, 'host', [state, ['dashboard', dashboardOf(session)]], address)
		: eventStream(session.row.code, 'participant', [state], address);
};
