import { json } from '@sveltejs/kit';
import { JoiningBody } from '$lib/classroom/api';
import { setJoiningLocked } from '$lib/server/classroom';
import { hostedSession } from '$lib/server/guard';
import { readBody } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** The host locks joining, or opens it again: `{"locked": true}`. */
export const POST: RequestHandler = async (event) => {
	const session = await hostedSession(event, 'lock joining');
	const { locked } = await readBody(event.request, JoiningBody);
	await setJoiningLocked(session, locked);
	return json({ joiningLocked: locked });
};
