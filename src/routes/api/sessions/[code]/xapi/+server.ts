import { download } from '$lib/server/exports';
import { hostedSession } from '$lib/server/guard';
import { publicOrigin } from '$lib/server/origin';
import type { RequestHandler } from './$types';

/** The session's xAPI 1.0.3 statements as a JSON array (host only). */
export const GET: RequestHandler = async (event) => {
	const session = await hostedSession(event, 'export its statements');
	return download(
		{ kind: 'xapi', session, origin: publicOrigin(event.url) },
		'application/json',
		`causeway-${session.row.code}-xapi.json`
	);
};
