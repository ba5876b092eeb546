import { error, json } from '@sveltejs/kit';
import { AnswerBody } from '$lib/classroom/api';
import { identify } from '$lib/server/caller';
import { submitAnswer } from '$lib/server/classroom';
import { readBody, sessionFromUrl } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** A participant's answer, graded and committed before it is acknowledged. */
export const POST: RequestHandler = async (event) => {
	const session = await sessionFromUrl(event);
	const caller = await identify(event, session);
	if (!caller.participant)
		error(caller.host ? 403 : 401, 'Only a participant of this session can answer.');
	const body = await readBody(event.request, AnswerBody);
	return json(await submitAnswer(session, caller.participant, body));
};
