import type { Handle, ServerInit } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { ConfigError, parseDatabaseUrl } from '$lib/server/config';
import { openDatabase } from '$lib/server/db';

export const init: ServerInit = async () => {
	try {
		openDatabase(parseDatabaseUrl(env.DATABASE_URL));
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		// A setting the person starting the server must change: say what, and stop cleanly.
		console.error(`Causeway cannot start: ${error.message}`);
		process.exit(78);
	}
};

export const handle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	return response;
};
