/**
 * Sends statements to a school's learning record store. Statements keep their stable ids, so a
 * batch sent twice (after a time-out, say) is stored once: an LRS answers a repeated id with the
 * same content without storing it again. Failures that may pass (network, 429, 5xx) are retried
 * with back-off; a refusal (other 4xx, or a redirect) is reported at once, by its status alone.
 */
import { fetch as undiciFetch } from 'undici';
import {
	checkedAddresses,
	LrsRefused,
	pinnedAgent,
	systemResolver,
	type LrsPolicy,
	type Resolver
} from './lrs-address';
import type { Statement } from './xapi';

/** The LRS failed or refused the statements (HTTP 502 to the teacher). */
export class LrsFailed extends Error {}

export interface LrsTarget {
	/** The LRS's xAPI endpoint, e.g. https://lrs.example/xapi/ (statements are POSTed to …/statements). */
	endpoint: string;
	username?: string;
	password?: string;
}

export interface SendOutcome {
	sent: number;
	batches: number;
	attempts: number;
}

/** Statements per POST: LRSs commonly accept batches of this size. */
const BATCH = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SendOptions {
	tries?: number;
	backoffMs?: number;
	/** Which private hosts the administrator allows (LRS_ALLOWED_HOSTS). */
	policy?: LrsPolicy;
	resolve?: Resolver;
	fetchImpl?: typeof undiciFetch;
}

/** What the teacher is told about an answer of the LRS: its status, never its body. */
function refusal(status: number): string {
	if (status >= 300 && status < 400)
		return `The LRS answered with a redirect (HTTP ${status}); redirects are not followed, so give its final address.`;
	if (status === 401 || status === 403)
		return `The LRS refused the statements (HTTP ${status}): check the username and password.`;
	return `The LRS refused the statements (HTTP ${status}).`;
}

/** `items` in arrays of up to `size`, each made only when the one before has been used. */
function* batchesOf<T>(items: Iterable<T>, size: number): Generator<T[]> {
	let batch: T[] = [];
	for (const item of items) {
		batch.push(item);
		if (batch.length === size) {
			yield batch;
			batch = [];
		}
	}
	if (batch.length > 0) yield batch;
}

/**
 * POSTs every statement, in batches, retrying each batch up to `tries` times. The host is checked
 * and resolved once before anything is sent (LrsRefused), and every request goes to the checked
 * addresses; no redirect is followed. `statements` is read a batch at a time as batches are sent:
 * a class of 2,000 answering 39 questions has 82,000 statements, and made all at once they held
 * the server's thread for seconds.
 */
export async function sendStatements(
	target: LrsTarget,
	statements: Iterable<Statement>,
	{
		tries = 4,
		backoffMs = 250,
		policy = { allowedHosts: new Set() },
		resolve = systemResolver,
		fetchImpl = undiciFetch
	}: SendOptions = {}
): Promise<SendOutcome> {
	const url = new URL(
		'statements',
		target.endpoint.endsWith('/') ? target.endpoint : `${target.endpoint}/`
	);
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		throw new LrsRefused('The LRS endpoint must be an http or https URL.');
	const addresses = await checkedAddresses(url, policy, resolve);
	// Opens no connection until a batch is sent: a session with no statement sends nothing.
	const dispatcher = pinnedAgent(url.hostname, addresses, policy);
	try {
		return await postBatches(url, target, batchesOf(statements, BATCH), {
			tries,
			backoffMs,
			dispatcher,
			fetchImpl
		});
	} finally {
		await dispatcher.close();
	}
}

async function postBatches(
	url: URL,
	target: LrsTarget,
	batches: Iterable<Statement[]>,
	{
		tries,
		backoffMs,
		dispatcher,
		fetchImpl
	}: {
		tries: number;
		backoffMs: number;
		dispatcher: ReturnType<typeof pinnedAgent>;
		fetchImpl: typeof undiciFetch;
	}
): Promise<SendOutcome> {
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'x-experience-api-version': '1.0.3'
	};
	if (target.username !== undefined) {
		headers.authorization = `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}`;
	}
	let attempts = 0;
	let posted = 0;
	let sent = 0;
	for (const batch of batches) {
		for (let attempt = 1; ; attempt++) {
			attempts += 1;
			let status = 0;
			try {
				const response = await fetchImpl(url, {
					method: 'POST',
					headers,
					body: JSON.stringify(batch),
					redirect: 'manual',
					dispatcher,
					signal: AbortSignal.timeout(15_000)
				});
				status = response.status;
				// The body is not read, let alone passed on: what a server answers is not ours to echo.
				await response.body?.cancel();
				if (response.ok) break;
			} catch (error) {
				const refused = causedByRefusal(error);
				if (refused) throw refused;
			}
			const mayPass = status === 0 || status === 429 || status >= 500;
			if (!mayPass || attempt >= tries) {
				throw new LrsFailed(
					status
						? refusal(status)
						: 'The LRS could not be reached (no answer, a refused connection or a time-out).'
				);
			}
			await sleep(backoffMs * 2 ** (attempt - 1));
		}
		posted += 1;
		sent += batch.length;
	}
	return { sent, batches: posted, attempts };
}

/** The LrsRefused behind a failed fetch (undici wraps what the lookup threw), if any. */
function causedByRefusal(error: unknown): LrsRefused | undefined {
	for (let e = error; e instanceof Error; e = e.cause) if (e instanceof LrsRefused) return e;
	return undefined;
}
