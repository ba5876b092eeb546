import { removeParticipant } from '$lib/server/classroom';
import { hostedSession } from '$lib/server/guard';
import type { RequestHandler } from './$types';

/** The host removes a participant with every answer they gave; their token stops working. */
export const DELETE: RequestHandler = async (event) => {
	const session = await hostedSession(event, 'remove a participant');
	await removeParticipant(session, event.params.participantId);
	return new Response(null, { status: 204 });
};
