import { error, json } from '@sveltejs/kit';
import { LrsBody } from '$lib/classroom/api';
import { statementsOf } from '$lib/server/exports';
import { hostedSession } from '$lib/server/guard';
import { readBody } from '$lib/server/http';
import { publicOrigin } from '$lib/server/origin';
import { LrsFailed, sendStatements } from '$lib/server/lrs';
import { LrsRefused, parseAllowedHosts } from '$lib/server/lrs-address';
import { sharedLimit } from '$lib/server/shared-limit';
import { env } from '$env/dynamic/private';
import type { RequestHandler } from './$types';

/** Sends allowed per teacher per hour: enough to retry, too few to scan a network with. */
const SENDS_PER_HOUR = Number(env.LRS_SENDS_PER_HOUR) > 0 ? Number(env.LRS_SENDS_PER_HOUR) : 20;
const HOUR_MS = 60 * 60_000;
// Counted across every server process of the deployment (see shared-limit.ts).
const sendsByTeacher = sharedLimit('lrs', SENDS_PER_HOUR, HOUR_MS);

/**
 * Sends the session's statements to the teacher's LRS. Only the host of a session filed under a
 * teacher key may: a session made anonymously has nobody to hold to account or to rate-limit.
 */
export const POST: RequestHandler = async (event) => {
	const session = await hostedSession(event, 'send its statements');
	const target = await readBody(event.request, LrsBody);
	const teacherId = session.row.teacher_id;
	if (teacherId === null)
		error(
			403,
			'Only a session hosted with a teacher key can be sent to an LRS: start it from /host, or create it with your teacher key as the bearer token.'
		);
	if (!(await sendsByTeacher.hit(teacherId)))
		return json(
			{ message: `At most ${SENDS_PER_HOUR} sends to an LRS per hour; try again later.` },
			{ status: 429, headers: { 'retry-after': String(HOUR_MS / 1000) } }
		);
	const statements = await statementsOf(session, publicOrigin(event.url));
	try {
		return json(
			await sendStatements(target, statements, {
				policy: parseAllowedHosts(env.LRS_ALLOWED_HOSTS)
			})
		);
	} catch (failure) {
		if (failure instanceof LrsRefused) error(400, failure.message);
		if (failure instanceof LrsFailed) error(502, failure.message);
		throw failure;
	}
};
