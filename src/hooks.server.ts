import { json, text, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { env } from '$env/dynamic/private';
import {
	ConfigError,
	DEFAULT_PG_POOL_SIZE,
	parseAnswerKeyMode,
	parseDatabaseUrl,
	parseWarmUpAnswers,
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
import { openFrontDoor } from '$lib/server/front-door';
import { cancelDashboards } from '$lib/server/hub';
import { startLiveEvents } from '$lib/server/live-events';
import { parseAllowedHosts } from '$lib/server/lrs-address';
import { compressed } from '$lib/server/compression';
import { preloadsInHead } from '$lib/server/preload-links';
import { isCrossSite, SECURITY_HEADERS } from '$lib/server/request-policy';
import { warmUp } from '$lib/server/warm-up';

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
		const warmUpAnswers = parseWarmUpAnswers(env.WARM_UP_ANSWERS);
		await openDatabase(config, {
			poolSize: positiveSetting(env.PG_POOL_SIZE, DEFAULT_PG_POOL_SIZE)
		});
		// Before the server listens (adapter-node awaits this hook first), on a scratch database.
		if (!dev) await warmUp(warmUpAnswers);
		const liveEvents = await startLiveEvents(config);
		openFrontDoor();
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

/** Headers every response carries, the refusals made here included. */
function withSecurityHeaders(response: Response): Response {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
	return response;
}

export const handle: Handle = async ({ event, resolve }) => {
	const { request, url } = event;
	const head = {
		method: request.method,
		origin: request.headers.get('origin'),
		contentType: request.headers.get('content-type'),
		host: url.host
	};
	if (isCrossSite(head)) {
		const message = `Cross-site ${event.request.method} requests are refused.`;
		return withSecurityHeaders(
			event.url.pathname.startsWith('/api/')
				? json({ message }, { status: 403 })
				: text(message, { status: 403 })
		);
	}
	const response = await resolve(event, preloadsInHead());
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
