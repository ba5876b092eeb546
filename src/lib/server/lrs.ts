/**
 * Sends statements to a school's learning record store. Statements keep their stable ids, so a
 * batch sent twice (after a time-out, say) is stored once: an LRS answers a repeated id with the
 * same content without storing it again. Failures that may pass (network, 429, 5xx) are retried
 * with back-off; a refusal (other 4xx) is reported at once.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Statement } from './xapi';

/** Whether an IP address is loopback, private, link-local or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
	const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
	if (isIP(v4) === 4) {
		const [a = 0, b = 0] = v4.split('.').map(Number);
		return (
			a === 0 ||
			a === 10 ||
			a === 127 ||
			(a === 100 && b >= 64 && b < 128) ||
			(a === 169 && b === 254) ||
			(a === 172 && b >= 16 && b < 32) ||
			(a === 192 && b === 168) ||
			a >= 224
		);
	}
	const v6 = address.toLowerCase();
	return (
		v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('ff')
	);
}

/**
 * Refuses an LRS on a private or loopback address unless `allowPrivate`: any host can ask the
 * server to post statements, and the server must not become a way into its own network. A school
 * whose LRS sits on its own network sets LRS_ALLOW_PRIVATE=1.
 */
export async function checkEndpoint(endpoint: string, allowPrivate: boolean): Promise<void> {
	if (allowPrivate) return;
	const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
	const addresses = isIP(host)
		? [host]
		: (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
	if (addresses.length === 0) throw new Error(`The LRS host ${host} could not be found.`);
	if (addresses.some(isPrivateAddress)) {
		throw new Error(
			`The LRS address ${host} is on a private network; the server's administrator can allow that with LRS_ALLOW_PRIVATE=1.`
		);
	}
}

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

/** POSTs every statement, in batches, retrying each batch up to `tries` times. */
export async function sendStatements(
	target: LrsTarget,
	statements: readonly Statement[],
	{
		tries = 4,
		backoffMs = 250,
		fetchImpl = fetch
	}: { tries?: number; backoffMs?: number; fetchImpl?: typeof fetch } = {}
): Promise<SendOutcome> {
	const url = new URL(
		'statements',
		target.endpoint.endsWith('/') ? target.endpoint : `${target.endpoint}/`
	);
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'x-experience-api-version': '1.0.3'
	};
	if (target.username !== undefined) {
		headers.authorization = `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}`;
	}
	let attempts = 0;
	let batches = 0;
	for (let start = 0; start < statements.length; start += BATCH) {
		const batch = statements.slice(start, start + BATCH);
		for (let attempt = 1; ; attempt++) {
			attempts += 1;
			let status = 0;
			let detail: string;
			try {
				const response = await fetchImpl(url, {
					method: 'POST',
					headers,
					body: JSON.stringify(batch),
					signal: AbortSignal.timeout(15_000)
				});
				status = response.status;
				if (response.ok) break;
				detail = (await response.text()).slice(0, 200);
			} catch (error) {
				detail = error instanceof Error ? error.message : String(error);
			}
			const mayPass = status === 0 || status === 429 || status >= 500;
			if (!mayPass || attempt >= tries) {
				throw new Error(
					status
						? `The LRS refused the statements (HTTP ${status}): ${detail || 'no reason given'}`
						: `The LRS could not be reached: ${detail || 'no answer'}`
				);
			}
			await sleep(backoffMs * 2 ** (attempt - 1));
		}
		batches += 1;
	}
	return { sent: statements.length, batches, attempts };
}
