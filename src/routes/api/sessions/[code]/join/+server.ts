import { json } from '@sveltejs/kit';
import { JoinBody } from '$lib/classroom/api';
import { joinSession } from '$lib/server/classroom';
import { readBody, sessionFromUrl } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Joins under a nickname; the participant token is in the answer, once. */
export const POST: RequestHandler = async (event) => {
	const session = await sessionFromUrl(event);
	const { nickname } = await readBody(event.request, JoinBody);
	const { participantId, participantToken } = await joinSession(session, nickname);
	return json({ participantId, participantToken }, { status: 201 });
};
