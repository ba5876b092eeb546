import { json } from '@sveltejs/kit';
import { CreateSessionBody } from '$lib/classroom/api';
import { createSession } from '$lib/server/classroom';
import { publicOrigin, readBody } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Creates a session: the host token is in the answer, once. */
export const POST: RequestHandler = async ({ request, url }) => {
	const body = await readBody(request, CreateSessionBody);
	const { code, hostToken } = await createSession(body);
	const origin = publicOrigin(url);
	return json(
		{ code, hostToken, hostUrl: `${origin}/host/${code}`, joinUrl: `${origin}/join/${code}` },
		{ status: 201 }
	);
};
