import { error, json } from '@sveltejs/kit';
import * as v from 'valibot';
import { env } from '$env/dynamic/private';
import { injectFault } from '$lib/server/db';
import { readBody } from '$lib/server/http';
import type { RequestHandler } from './$types';

const FaultBody = v.object({ fault: v.picklist(['none', 'readonly', 'full']) });

/**
 * Fault injection for the storage tests. It exists only when the server is started with
 * CAUSEWAY_TEST_FAULTS=1; everywhere else it is a 404 like any unknown path.
 */
export const POST: RequestHandler = async ({ request }) => {
	if (env.CAUSEWAY_TEST_FAULTS !== '1') error(404, 'Not found');
	const { fault } = await readBody(request, FaultBody);
	injectFault(fault);
	return json({ fault });
};
