import { json } from '@sveltejs/kit';
import { ControlBody } from '$lib/classroom/api';
import { controlSession } from '$lib/server/classroom';
import { hostedSession } from '$lib/server/guard';
import { readBody } from '$lib/server/http';
import { pacingOf } from '$lib/server/session-views';
import type { RequestHandler } from './$types';

/** The host paces the session: start, open a question, reveal it, next, end. */
export const POST: RequestHandler = async (event) => {
	const session = await hostedSession(event, 'pace it');
	const { action, questionId } = await readBody(event.request, ControlBody);
	const snapshot = await controlSession(session, action, questionId);
	return json(pacingOf({ ...session, snapshot }));
};
