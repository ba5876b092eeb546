import { download } from '$lib/server/exports';
import { hostedSession } from '$lib/server/guard';
import type { RequestHandler } from './$types';

/** One row per answer, for spreadsheets (host only). */
export const GET: RequestHandler = async (event) => {
	const session = await hostedSession(event, 'export its answers');
	return download(
		{ kind: 'answers', session },
		'text/csv; charset=utf-8',
		`causeway-${session.row.code}-answers.csv`
	);
};
