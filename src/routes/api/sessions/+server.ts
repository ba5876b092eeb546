import { json } from '@sveltejs/kit';
import { CreateSessionBody } from '$lib/classroom/api';
import { createSession } from '$lib/server/classroom';
import { readBody, sessionCreationRefusal } from '$lib/server/http';
import { publicOrigin } from '$lib/server/origin';
import { teacherOf } from '$lib/server/teachers';
import type { RequestHandler } from './$types';

/** Creates a session: the host token is in the answer, once. Limited per address (429). */
export const POST: RequestHandler = async (event) => {
	const { request, url } = event;
	const body = await readBody(request, CreateSessionBody);
	const refusal = await sessionCreationRefusal(event);
	if (refusal) return refusal;
	// A script that sends a teacher key as its bearer token files the session under that teacher.
	const teacher = await teacherOf(event);
	const { code, hostToken } = await createSession(body, teacher?.id ?? null);
	const origin = publicOrigin(url);
	return json(
		{ code, hostToken, hostUrl: `${origin}/host/${code}`, joinUrl: `${origin}/join/${code}` },
		{ status: 201 }
	);
};
