import { download } from '$lib/server/exports';
import { hostedSession } from '$lib/server/guard';
import type { RequestHandler } from './$types';

/** One row per participant: totals and points per link and skill (host only). */
export const GET: RequestHandler = async (event) => {
	const session = await hostedSession(event, 'export its totals');
	return download(
		{ kind: 'totals', session },
		'text/csv; charset=utf-8',
		`causeway-${session.row.code}-totals.csv`
	);
};
