import { error, json } from '@sveltejs/kit';
import { LrsBody } from '$lib/classroom/api';
import { statementsOf } from '$lib/server/exports';
import { hostedSession } from '$lib/server/guard';
import { publicOrigin, readBody } from '$lib/server/http';
import { checkEndpoint, sendStatements } from '$lib/server/lrs';
import { env } from '$env/dynamic/private';
import type { RequestHandler } from './$types';

/** Sends the session's statements to the teacher's LRS (host only). */
export const POST: RequestHandler = async (event) => {
	const session = await hostedSession(event, 'send its statements');
	const target = await readBody(event.request, LrsBody);
	const statements = await statementsOf(session, publicOrigin(event.url));
	try {
		await checkEndpoint(target.endpoint, env.LRS_ALLOW_PRIVATE === '1');
	} catch (refusal) {
		error(400, refusal instanceof Error ? refusal.message : 'That LRS address is not allowed.');
	}
	try {
		return json(await sendStatements(target, statements));
	} catch (failure) {
		error(502, failure instanceof Error ? failure.message : 'The LRS could not be reached.');
	}
};
