import { error } from '@sveltejs/kit';
import { identify } from '$lib/server/caller';
import { firstEventsOf } from '$lib/server/first-events';
import { sessionFromUrl } from '$lib/server/http';
import { eventStream } from '$lib/server/hub';
import { clientAddress } from '$lib/server/origin';
import type { RequestHandler } from './$types';

/**
 * Server-Sent Events: hosts get live aggregates, participants get pacing changes. Most
 * participants' streams are served before SvelteKit (front-door.ts); this serves the rest.
 */
export const GET: RequestHandler = async (event) => {
	const session = await sessionFromUrl(event);
	const caller = await identify(event, session);
	if (!caller.host && !caller.participant)
		error(401, 'Join the session (or host it) to follow its events.');
	const { code } = session.row;
	const address = clientAddress(event);
	const reader = caller.host
		? { role: 'host' as const }
		: { role: 'participant' as const, participantId: caller.participant?.id };
	// adapter-node's request: its socket carries the stream's messages once the head is out.
	return eventStream(code, reader, firstEventsOf(code, caller.host), address, event.platform?.req);
};
