import { error, json } from '@sveltejs/kit';
import { ControlBody } from '$lib/classroom/api';
import { controlSession, identify, pacingOf } from '$lib/server/classroom';
import { readBody, sessionFromUrl } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** The host paces the session: start, open a question, reveal it, next, end. */
export const POST: RequestHandler = async (event) => {
	const session = await sessionFromUrl(event);
	const caller = await identify(event, session);
	if (!caller.host)
		error(caller.participant ? 403 : 401, 'Only the host of this session can pace it.');
	const { action, questionId } = await readBody(event.request, ControlBody);
	const snapshot = await controlSession(session, action, questionId);
	return json(pacingOf({ ...session, snapshot }));
};
