import { json, text, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import {
	ConfigError,
	DEFAULT_PG_POOL_SIZE,
	parseAnswerKeyMode,
	parseDatabaseUrl,
	positiveSetting
} from '$lib/server/config';
import {
	closeDatabase,
	DatabaseInUseError,
	injectFault,
	openDatabase,
	probeWrites,
	storageFault
} from '$lib/server/db';
import { cancelDashboards } from '$lib/server/hub';
import { startLiveEvents } from '$lib/server/live-events';
import { parseAllowedHosts } from '$lib/server/lrs-address';
import { compressed } from '$lib/server/compression';

export const init: ServerInit = async () => {
	let where: string | undefined;
	try {
		parseAnswerKeyMode(env.ANSWER_KEYS);
		const config = parseDatabaseUrl(env.DATABASE_URL);
		// Named without its credentials: the message is printed.
		where =
			config.kind === 'sqlite'
				? config.path
				: `PostgreSQL ${new URL(config.url).host}${new URL(config.url).pathname}`;
		// A mistyped LRS_ALLOWED_HOSTS is said now, not on a teacher's first send.
		parseAllowedHosts(env.LRS_ALLOWED_HOSTS);
		await openDatabase(config, {
			poolSize: positiveSetting(env.PG_POOL_SIZE, DEFAULT_PG_POOL_SIZE)
		});
		const liveEvents = await startLiveEvents(config);
		// adapter-node emits this on SIGTERM or SIGINT once every request is answered. PostgreSQL's
		// pool and LISTEN connection would keep the process alive after that: close them, so that a
		// stop (systemd, a process manager, the tests) ends the process.
		process.once('sveltekit:shutdown', () => {
			cancelDashboards();
			void Promise.all([liveEvents?.stop(), closeDatabase()]);
		});
		// The storage tests' way to start on a database that cannot be written.
		const fault = env.CAUSEWAY_TEST_FAULTS === '1' ? env.CAUSEWAY_TEST_FAULT_AT_START : undefined;
		if (fault === 'readonly' || fault === 'full') {
			injectFault(fault);
			await probeWrites();
		}
	} catch (error) {
		// A setting or a file the person starting the server must fix: say what, and stop cleanly.
		const reason =
			error instanceof ConfigError || error instanceof DatabaseInUseError
				? error.message
				: `the database ${where} could not be opened: ${error instanceof Error ? error.message : String(error)}.`;
		console.error(`Causeway cannot start: ${reason}`);
		process.exit(78);
	}
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * A state-changing request from another site. Browsers send Origin with every POST; a request
 * without it is a script (which authenticates with a bearer token), unless it is a form post.
 * Hosts are compared, not origins: without ORIGIN set, adapter-node assumes https while a
 * classroom server on the local network is reached over plain http.
 */
function isCrossSite(request: Request, url: URL): boolean {
	if (SAFE_METHODS.has(request.method)) return false;
	const origin = request.headers.get('origin');
	if (origin === null) {
		const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
		return FORM_TYPES.includes(type);
	}
	try {
		return new URL(origin).host !== url.host;
	} catch {
		return true;
	}
}

/** Headers every response carries, the refusals made here included. */
function withSecurityHeaders(response: Response): Response {
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	return response;
}

export const handle: Handle = async ({ event, resolve }) => {
	if (isCrossSite(event.request, event.url)) {
		const message = `Cross-site ${event.request.method} requests are refused.`;
		return withSecurityHeaders(
			event.url.pathname.startsWith('/api/')
				? json({ message }, { status: 403 })
				: text(message, { status: 403 })
		);
	}
	const response = await resolve(event);
	if (event.locals.storageFault) {
		// Not the caller's fault and not a bug: say so with 503, so clients retry later.
		const message = event.locals.storageFault;
		const headers = { 'retry-after': '5' };
		return withSecurityHeaders(
			event.url.pathname.startsWith('/api/')
				? json({ message }, { status: 503, headers })
				: text(message, { status: 503, headers })
		);
	}
	return withSecurityHeaders(compressed(event.request, response, event.isDataRequest));
};

export const handleError: HandleServerError = ({ error, event, message }) => {
	const fault = storageFault(error);
	if (fault) {
		event.locals.storageFault = fault;
		console.error(`Storage fault on ${event.request.method} ${event.url.pathname}:`, error);
		return { message: fault };
	}
	console.error(error);
	return { message };
};
