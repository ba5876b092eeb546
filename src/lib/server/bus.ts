/**
 * The facts of the other server processes, on PostgreSQL: one connection of this process LISTENs
 * on the facts channel (no second service to run). A notification sent while it is disconnected
 * is lost, so after every reconnection this process reads again what it serves (`resyncAll`).
 */
import pg from 'pg';
import type { Fact } from './facts';
import { FACTS_CHANNEL, PROCESS_ID } from './postgres-store';

/** How long to wait before connecting again, at first and at most. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5000;

export interface FactListener {
	/** Stops listening for good. */
	stop(): Promise<void>;
}

/**
 * Listens for the facts other processes commit, passing each to `apply`; calls `resync` whenever
 * facts may have been missed (every connection after the first). Resolves once listening.
 */
export async function listenForFacts(
	url: string,
	apply: (fact: Fact) => void,
	resync: () => void
): Promise<FactListener> {
	let client: pg.Client | undefined;
	let stopped = false;
	let retryMs = RETRY_FIRST_MS;
	let retry: ReturnType<typeof setTimeout> | undefined;

	const onNotification = (message: pg.Notification) => {
		if (message.channel !== FACTS_CHANNEL || !message.payload) return;
		try {
			const { from, fact } = JSON.parse(message.payload) as { from: string; fact: Fact };
			// This process acted on its own facts when they committed.
			if (from !== PROCESS_ID) apply(fact);
		} catch (failure) {
			console.error('A fact could not be read:', failure);
		}
	};

	const connect = async (): Promise<void> => {
		// TCP keep-alive: a connection the network dropped without a word is noticed, not trusted.
		const next = new pg.Client({ connectionString: url, keepAlive: true });
		next.on('notification', onNotification);
		// Lost (the server restarted, the network dropped): connect again, then read again.
		const lost = (reason: unknown) => {
			if (client !== next) return;
			client = undefined;
			if (!stopped) {
				console.error('Lost the PostgreSQL connection that hears other processes:', reason);
				scheduleReconnect();
			}
		};
		next.on('error', lost);
		next.on('end', () => lost('the connection ended'));
		await next.connect();
		await next.query(`LISTEN ${FACTS_CHANNEL}`);
		client = next;
		retryMs = RETRY_FIRST_MS;
	};

	const scheduleReconnect = () => {
		retry = setTimeout(() => {
			connect().then(resync, (failure: unknown) => {
				console.error('Listening for other processes failed; trying again:', failure);
				retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
				scheduleReconnect();
			});
		}, retryMs);
	};

	await connect();
	return {
		async stop() {
			stopped = true;
			clearTimeout(retry);
			const closing = client;
			client = undefined;
			await closing?.end();
		}
	};
}
