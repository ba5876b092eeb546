/**
 * sendStatements against a small LRS stand-in on 127.0.0.1: it checks the xAPI version header,
 * Basic auth and JSON array bodies, stores statements by id the way an LRS does (a known id with
 * the same content is not stored again; with other content it is a 409), and can be told to fail
 * requests, so that retries, back-off and refusals are seen from the LRS's side.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { countingListener, internalSpellings } from '../../../tests/lib/internal-addresses';
import { buildReport } from '$lib/classroom/report';
import { tinyPack } from '$lib/journey/fixture';
import { fetch as undiciFetch } from 'undici';
import { ConfigError } from './config';
import { LrsFailed, sendStatements, type SendOptions } from './lrs';
import { isBlockedAddress, LrsRefused, parseAllowedHosts } from './lrs-address';
import { nameUuid, eachStatement, type Statement } from './xapi';

interface SeenRequest {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	body: string;
	status: number;
	/** When it arrived (performance.now()). */
	at: number;
}

interface StandIn {
	/** The xAPI endpoint, with a trailing slash. */
	endpoint: string;
	requests: SeenRequest[];
	/** Statements by id, as stored. */
	stored: Map<string, Statement>;
	/**
	 * What to answer the next requests before looking at them, in order: a status, or null to
	 * handle the request normally.
	 */
	script: Array<number | null>;
	close(): Promise<void>;
}

const open: StandIn[] = [];

afterEach(async () => {
	await Promise.all(open.splice(0).map((lrs) => lrs.close()));
});

/** Canonical JSON: keys sorted, so that equal statements compare equal. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object')
		return `{${Object.keys(value)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
			.join(',')}}`;
	return JSON.stringify(value);
}

/** Starts a stand-in LRS; with credentials, every request must carry them as Basic auth. */
async function startLrs(credentials?: { username: string; password: string }): Promise<StandIn> {
	const requests: SeenRequest[] = [];
	const stored = new Map<string, Statement>();
	const script: Array<number | null> = [];
	const expectedAuth = credentials
		? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`
		: undefined;
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const answer = (status: number, payload: unknown) => {
				requests.push({
					method: req.method ?? '',
					path: req.url ?? '',
					headers: req.headers,
					body,
					status,
					at: performance.now()
				});
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(payload));
			};
			const scripted = script.shift();
			if (scripted !== undefined && scripted !== null)
				return answer(scripted, { message: `scripted ${scripted}` });
			if (req.method !== 'POST' || req.url !== '/xapi/statements')
				return answer(404, { message: `no ${req.method} ${req.url}` });
			if (req.headers['x-experience-api-version'] !== '1.0.3')
				return answer(400, { message: 'X-Experience-API-Version must be 1.0.3' });
			if (expectedAuth !== undefined && req.headers.authorization !== expectedAuth)
				return answer(401, { message: 'bad credentials' });
			if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
				return answer(400, { message: 'not JSON' });
			let statements: unknown;
			try {
				statements = JSON.parse(body);
			} catch {
				return answer(400, { message: 'body is not JSON' });
			}
			if (!Array.isArray(statements)) return answer(400, { message: 'not an array' });
			const ids = statements.map((s) => (s as { id?: unknown }).id);
			if (!ids.every((id) => typeof id === 'string'))
				return answer(400, { message: 'a statement has no id' });
			if (new Set(ids).size !== ids.length)
				return answer(400, { message: 'an id twice in one batch' });
			for (const s of statements as Statement[]) {
				const known = stored.get(s.id);
				if (known && canonical(known) !== canonical(s))
					return answer(409, { message: `statement ${s.id} exists with other content` });
			}
			for (const s of statements as Statement[]) if (!stored.has(s.id)) stored.set(s.id, s);
			answer(200, ids);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const lrs: StandIn = {
		endpoint: `http://127.0.0.1:${port}/xapi/`,
		requests,
		stored,
		script,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
	open.push(lrs);
	return lrs;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/** Real statements of a small session, and `count` statements made from them with new ids. */
function statements(count: number): Statement[] {
	const participants = [{ id: 'p1', nickname: 'Zoë 🦊', joinedAt: '2025-03-04T10:00:00.000Z' }];
	const answers = [
		{
			answerId: 'a1',
			participantId: 'p1',
			questionId: 'q-choice',
			response: 'a',
			correct: true,
			credit: 1,
			points: 10,
			maxPoints: 10,
			answeredAt: '2025-03-04T10:00:10.000Z'
		}
	];
	const base = [
		...eachStatement({
			origin: 'https://causeway.example',
			code: 'ABC234',
			pack: tinyPack,
			participants,
			report: buildReport(tinyPack, participants, answers),
			endedAt: '2025-03-04T10:10:00.000Z'
		})
	];
	return Array.from({ length: count }, (_, i) => ({
		...base[i % base.length]!,
		id: nameUuid(`lrs-test:${i}`)
	}));
}

/** The stand-ins listen on 127.0.0.1: allowed here as a school allows its own LRS. */
const LOOPBACK: SendOptions = { policy: parseAllowedHosts('127.0.0.1') };

const CREDENTIALS = { username: 'key-1', password: 'sëcret:with colon' };
const target = (lrs: StandIn) => ({ endpoint: lrs.endpoint, ...CREDENTIALS });

describe('sendStatements', () => {
	it('sends 250 statements in batches of 100, retries two 503s with back-off, stores each once', async () => {
		const lrs = await startLrs(CREDENTIALS);
		lrs.script.push(503, 503);
		const all = statements(250);
		const outcome = await sendStatements(target(lrs), all, { ...LOOPBACK, backoffMs: 20 });
		expect(outcome).toEqual({ sent: 250, batches: 3, attempts: 5 });

		expect(lrs.requests.map((r) => r.status)).toEqual([503, 503, 200, 200, 200]);
		for (const r of lrs.requests) {
			expect(r.method).toBe('POST');
			expect(r.path).toBe('/xapi/statements');
			expect(r.headers['x-experience-api-version']).toBe('1.0.3');
			expect(r.headers['content-type']).toBe('application/json');
			expect(r.headers.authorization).toBe(
				`Basic ${Buffer.from('key-1:sëcret:with colon', 'utf8').toString('base64')}`
			);
		}
		// The same first batch three times, then the other two; each a JSON array.
		const sizes = lrs.requests.map((r) => (JSON.parse(r.body) as unknown[]).length);
		expect(sizes).toEqual([100, 100, 100, 100, 50]);
		expect(lrs.requests[0]!.body).toBe(lrs.requests[2]!.body);
		// Back-off doubles: at least 20 ms, then 40 ms, between the tries of the first batch.
		expect(lrs.requests[1]!.at - lrs.requests[0]!.at).toBeGreaterThanOrEqual(19);
		expect(lrs.requests[2]!.at - lrs.requests[1]!.at).toBeGreaterThanOrEqual(39);

		expect(lrs.stored.size).toBe(250);
		expect([...lrs.stored.keys()]).toEqual(all.map((s) => s.id));
		expect([...lrs.stored.values()]).toEqual(all);
	});

	it('makes each batch only as it is sent: a big class is never all in memory at once', async () => {
		const lrs = await startLrs(CREDENTIALS);
		const all = statements(250);
		let made = 0;
		function* oneAtATime() {
			for (const statement of all) {
				made += 1;
				yield statement;
			}
		}
		const madeAtEachPost: number[] = [];
		const outcome = await sendStatements(target(lrs), oneAtATime(), {
			...LOOPBACK,
			fetchImpl: (...args) => {
				madeAtEachPost.push(made);
				return undiciFetch(...args);
			}
		});
		expect(outcome).toEqual({ sent: 250, batches: 3, attempts: 3 });
		expect(madeAtEachPost).toEqual([100, 200, 250]);
		expect([...lrs.stored.keys()]).toEqual(all.map((s) => s.id));
	});

	it('sends nothing, and asks nothing of the LRS, when there is no statement', async () => {
		const lrs = await startLrs(CREDENTIALS);
		const outcome = await sendStatements(target(lrs), [], LOOPBACK);
		expect(outcome).toEqual({ sent: 0, batches: 0, attempts: 0 });
		expect(lrs.requests).toHaveLength(0);
	});

	it('stores nothing new when the same statements are sent twice', async () => {
		const lrs = await startLrs(CREDENTIALS);
		const all = statements(120);
		await sendStatements(target(lrs), all, { ...LOOPBACK, backoffMs: 1 });
		const again = await sendStatements(target(lrs), all, { ...LOOPBACK, backoffMs: 1 });
		expect(again).toEqual({ sent: 120, batches: 2, attempts: 2 });
		expect(lrs.requests.map((r) => r.status)).toEqual([200, 200, 200, 200]);
		expect(lrs.stored.size).toBe(120);
	});

	it('retries a 429 like a 503', async () => {
		const lrs = await startLrs(CREDENTIALS);
		lrs.script.push(429);
		const outcome = await sendStatements(target(lrs), statements(3), { ...LOOPBACK, backoffMs: 1 });
		expect(outcome).toEqual({ sent: 3, batches: 1, attempts: 2 });
		expect(lrs.stored.size).toBe(3);
	});

	it('fails at once on a 400, with the status and a message of ours, never the LRS’s body', async () => {
		const lrs = await startLrs(CREDENTIALS);
		lrs.script.push(400);
		const failure = await sendStatements(target(lrs), statements(3), {
			...LOOPBACK,
			backoffMs: 1
		}).catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(LrsFailed);
		expect((failure as Error).message).toBe('The LRS refused the statements (HTTP 400).');
		expect(lrs.requests).toHaveLength(1);
		expect(lrs.stored.size).toBe(0);
	});

	it('fails at once on a 401 (wrong password), saying to check the credentials', async () => {
		const lrs = await startLrs(CREDENTIALS);
		await expect(
			sendStatements({ ...target(lrs), password: 'wrong' }, statements(3), {
				...LOOPBACK,
				backoffMs: 1
			})
		).rejects.toThrow(
			'The LRS refused the statements (HTTP 401): check the username and password.'
		);
		expect(lrs.requests.map((r) => r.status)).toEqual([401]);
		expect(lrs.stored.size).toBe(0);
	});

	it('fails at once on a 409 (an id the LRS holds with other content)', async () => {
		const lrs = await startLrs(CREDENTIALS);
		const [first] = statements(1);
		await sendStatements(target(lrs), [first!], { ...LOOPBACK, backoffMs: 1 });
		const changed = { ...first!, timestamp: '2030-01-01T00:00:00.000Z' };
		await expect(
			sendStatements(target(lrs), [changed], { ...LOOPBACK, backoffMs: 1 })
		).rejects.toThrow(/\(HTTP 409\)/);
		expect(lrs.requests.map((r) => r.status)).toEqual([200, 409]);
		expect(lrs.stored.get(first!.id)).toEqual(first);
	});

	it('gives up after `tries` server errors, reporting the last one', async () => {
		const lrs = await startLrs(CREDENTIALS);
		lrs.script.push(500, 502, 503, 504, null);
		await expect(
			sendStatements(target(lrs), statements(3), { ...LOOPBACK, tries: 4, backoffMs: 1 })
		).rejects.toThrow('The LRS refused the statements (HTTP 504).');
		expect(lrs.requests.map((r) => r.status)).toEqual([500, 502, 503, 504]);
		expect(lrs.stored.size).toBe(0);
	});

	it('keeps the batches already stored when a later one is refused', async () => {
		const lrs = await startLrs(CREDENTIALS);
		lrs.script.push(null, 400);
		await expect(
			sendStatements(target(lrs), statements(150), { ...LOOPBACK, backoffMs: 1 })
		).rejects.toThrow(/HTTP 400/);
		expect(lrs.requests.map((r) => r.status)).toEqual([200, 400]);
		expect(lrs.stored.size).toBe(100);
	});

	it('fails after `tries` attempts when the connection is refused', async () => {
		const port = await closedPort();
		let calls = 0;
		const counting: typeof undiciFetch = (input, init) => {
			calls += 1;
			return undiciFetch(input, init);
		};
		const started = performance.now();
		await expect(
			sendStatements({ endpoint: `http://127.0.0.1:${port}/xapi`, ...CREDENTIALS }, statements(2), {
				...LOOPBACK,
				tries: 3,
				backoffMs: 10,
				fetchImpl: counting
			})
		).rejects.toThrow(/^The LRS could not be reached /);
		expect(calls).toBe(3);
		// Waited 10 + 20 ms between the three tries.
		expect(performance.now() - started).toBeGreaterThanOrEqual(29);
	});

	it('retries a time-out like a network failure, and gives every request a time limit', async () => {
		const lrs = await startLrs(CREDENTIALS);
		const signals: unknown[] = [];
		let calls = 0;
		const flaky: typeof undiciFetch = (input, init) => {
			calls += 1;
			signals.push(init?.signal);
			if (calls === 1)
				return Promise.reject(
					new DOMException('The operation was aborted due to timeout', 'TimeoutError')
				);
			return undiciFetch(input, init);
		};
		const outcome = await sendStatements(target(lrs), statements(2), {
			...LOOPBACK,
			backoffMs: 1,
			fetchImpl: flaky
		});
		expect(outcome).toEqual({ sent: 2, batches: 1, attempts: 2 });
		expect(signals).toHaveLength(2);
		for (const signal of signals) expect(signal).toBeInstanceOf(AbortSignal);
	});

	it('posts to <endpoint>/statements whether or not the endpoint ends with a slash', async () => {
		const lrs = await startLrs(CREDENTIALS);
		const bare = lrs.endpoint.replace(/\/$/, '');
		await sendStatements({ ...target(lrs), endpoint: bare }, statements(1), {
			...LOOPBACK,
			backoffMs: 1
		});
		await sendStatements(target(lrs), statements(1), { ...LOOPBACK, backoffMs: 1 });
		expect(lrs.requests.map((r) => [r.path, r.status])).toEqual([
			['/xapi/statements', 200],
			['/xapi/statements', 200]
		]);
	});

	it('sends no Authorization header without a username', async () => {
		const lrs = await startLrs();
		await sendStatements({ endpoint: lrs.endpoint }, statements(1), { ...LOOPBACK, backoffMs: 1 });
		expect(lrs.requests).toHaveLength(1);
		expect(lrs.requests[0]!.headers.authorization).toBeUndefined();
		expect(lrs.stored.size).toBe(1);
	});

	it('sends nothing for no statements', async () => {
		const lrs = await startLrs(CREDENTIALS);
		expect(await sendStatements(target(lrs), [], { ...LOOPBACK, backoffMs: 1 })).toEqual({
			sent: 0,
			batches: 0,
			attempts: 0
		});
		expect(lrs.requests).toHaveLength(0);
	});
});

/* ------------------------------------------------- the server is no way into its own network */

/** A resolver of the test's own: these names resolve to loopback, as an attacker's DNS would. */
const hostileResolver = async (hostname: string) => {
	const answers: Record<string, string[]> = {
		'loopback.example.com': ['127.0.0.1'],
		'v6-loopback.example.com': ['::1'],
		'mapped.example.com': ['::ffff:127.0.0.1'],
		// A public address first and a loopback one after: one private address is enough to refuse.
		'mixed.example.com': ['93.184.216.34', '127.0.0.1']
	};
	const found = answers[hostname];
	if (!found) throw new Error(`ENOTFOUND ${hostname}`);
	return found.map((address) => ({ address }));
};

/** Spellings of this machine, and names that a hostile DNS resolves to it. */
function hostileEndpoints(port: number): string[] {
	return [
		...internalSpellings(port),
		...['loopback', 'v6-loopback', 'mapped', 'mixed'].map(
			(name) => `http://${name}.example.com:${port}/`
		)
	];
}

describe('sendStatements: no way into the server’s own network', () => {
	it('refuses every spelling of an internal address before connecting: the listener sees no connection', async () => {
		const listener = await countingListener();
		try {
			const spellings = hostileEndpoints(listener.port);
			expect(spellings.length).toBeGreaterThanOrEqual(30);
			const outcomes: string[] = [];
			for (const endpoint of spellings) {
				const failure = await sendStatements({ endpoint }, statements(1), {
					backoffMs: 1,
					resolve: hostileResolver
				}).catch((e: unknown) => e);
				outcomes.push(
					`${endpoint} → ${failure instanceof LrsRefused ? 'refused' : String(failure)}`
				);
			}
			expect(outcomes).toEqual(spellings.map((endpoint) => `${endpoint} → refused`));
			expect(listener.connections()).toBe(0);
		} finally {
			await listener.close();
		}
	});

	it('reaches the same listener once LRS_ALLOWED_HOSTS names it (the listener can count)', async () => {
		const listener = await countingListener();
		try {
			const failure = await sendStatements(
				{ endpoint: `http://127.0.0.1:${listener.port}/` },
				statements(1),
				{ policy: parseAllowedHosts('127.0.0.1'), tries: 1 }
			).catch((e: unknown) => e);
			expect(failure).toBeInstanceOf(LrsFailed);
			expect(listener.connections()).toBe(1);
		} finally {
			await listener.close();
		}
	});

	it('resolves a name once and connects to the address it checked', async () => {
		const lrs = await startLrs(CREDENTIALS);
		const port = new URL(lrs.endpoint).port;
		const asked: string[] = [];
		// A rebinding DNS: 127.0.0.1 the first time, nothing after. An allowed school host here, so
		// that the first answer is acceptable; a second look-up would fail the send.
		const rebinding = async (hostname: string) => {
			asked.push(hostname);
			return asked.length === 1 ? [{ address: '127.0.0.1' }] : [];
		};
		const outcome = await sendStatements(
			{ endpoint: `http://lrs.school.test:${port}/xapi/`, ...CREDENTIALS },
			statements(150),
			{ policy: parseAllowedHosts('lrs.school.test'), resolve: rebinding, backoffMs: 1 }
		);
		expect(outcome).toEqual({ sent: 150, batches: 2, attempts: 2 });
		expect(asked).toEqual(['lrs.school.test']);
		expect(lrs.requests.map((r) => r.headers.host)).toEqual([
			`lrs.school.test:${port}`,
			`lrs.school.test:${port}`
		]);
	});

	it('follows no redirect: a 307 to loopback is a failure naming the status, and nothing reaches it', async () => {
		const trap = await countingListener();
		const redirecting = createServer((req, res) => {
			res.writeHead(307, { location: `http://127.0.0.1:${trap.port}/xapi/statements` });
			res.end('moved');
		});
		await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
		const { port } = redirecting.address() as AddressInfo;
		try {
			const failure = await sendStatements(
				{ endpoint: `http://127.0.0.1:${port}/xapi/` },
				statements(1),
				{ ...LOOPBACK, backoffMs: 1 }
			).catch((e: unknown) => e);
			expect(failure).toBeInstanceOf(LrsFailed);
			expect((failure as Error).message).toMatch(/redirect \(HTTP 307\)/);
			expect(trap.connections()).toBe(0);
		} finally {
			redirecting.closeAllConnections();
			await new Promise<void>((resolve) => redirecting.close(() => resolve()));
			await trap.close();
		}
	});

	it('never passes on what the remote server answered', async () => {
		const secret = createServer((req, res) => {
			res.writeHead(400, { 'content-type': 'text/plain' });
			res.end('SSH-2.0-OpenSSH_9.2 internal secret');
		});
		await new Promise<void>((resolve) => secret.listen(0, '127.0.0.1', resolve));
		const { port } = secret.address() as AddressInfo;
		try {
			const failure = await sendStatements(
				{ endpoint: `http://127.0.0.1:${port}/` },
				statements(1),
				{
					...LOOPBACK,
					backoffMs: 1
				}
			).catch((e: unknown) => e);
			expect((failure as Error).message).toBe('The LRS refused the statements (HTTP 400).');
			expect((failure as Error).message).not.toMatch(/SSH|secret/);
		} finally {
			secret.closeAllConnections();
			await new Promise<void>((resolve) => secret.close(() => resolve()));
		}
	});

	it('refuses a name that cannot be found, and a scheme other than http(s), before sending', async () => {
		for (const endpoint of ['http://nowhere.example.com/xapi/', 'ftp://127.0.0.1/xapi/'])
			await expect(
				sendStatements({ endpoint }, statements(1), { resolve: hostileResolver })
			).rejects.toBeInstanceOf(LrsRefused);
	});
});

describe('isBlockedAddress', () => {
	it.each([
		['0.0.0.0', 'unspecified'],
		['0.1.2.3', '"this network"'],
		['10.1.2.3', 'private'],
		['100.64.0.1', 'carrier-grade NAT'],
		['100.127.255.254', 'carrier-grade NAT'],
		['127.0.0.1', 'loopback'],
		['127.255.255.254', 'loopback'],
		['169.254.169.254', 'link-local (cloud metadata)'],
		['172.16.0.1', 'private'],
		['172.31.255.255', 'private'],
		['192.0.0.8', 'IETF protocol assignments'],
		['192.0.2.1', 'documentation'],
		['192.168.1.1', 'private'],
		['198.18.0.1', 'benchmarking'],
		['198.51.100.7', 'documentation'],
		['203.0.113.9', 'documentation'],
		['224.0.0.1', 'multicast'],
		['239.255.255.250', 'multicast'],
		['240.0.0.1', 'reserved'],
		['255.255.255.255', 'broadcast'],
		['::', 'unspecified'],
		['::1', 'loopback'],
		['fd00::1', 'unique-local'],
		['fc12:3456::1', 'unique-local'],
		['fe80::1', 'link-local'],
		['febf::1', 'link-local'],
		['ff02::1', 'multicast'],
		['2001:db8::1', 'documentation'],
		['3fff::1', 'documentation'],
		['64:ff9b:1::1', 'local-use NAT64'],
		['::ffff:10.0.0.1', 'IPv4-mapped private'],
		['::ffff:a9fe:a9fe', 'IPv4-mapped link-local, hex'],
		['::ffff:0:c0a8:101', 'IPv4-translated private'],
		['::a00:1', 'IPv4-compatible private'],
		['64:ff9b::a9fe:a9fe', 'NAT64 link-local'],
		['64:ff9b::100.64.0.1', 'NAT64 carrier-grade NAT'],
		['2002:c0a8:101::1', '6to4 private'],
		['::ffff:255.255.255.255', 'IPv4-mapped broadcast'],
		['not an address', 'not an address at all']
	])('%s is blocked (%s)', (address) => {
		expect(isBlockedAddress(address)).toBe(true);
	});

	it.each([
		'93.184.216.34',
		'8.8.8.8',
		'172.32.0.1',
		'100.128.0.1',
		'2606:4700::1111',
		'::ffff:8.8.8.8',
		'64:ff9b::808:808',
		'2002:808:808::1'
	])('%s is public', (address) => {
		expect(isBlockedAddress(address)).toBe(false);
	});
});

describe('parseAllowedHosts (LRS_ALLOWED_HOSTS)', () => {
	it('reads hosts as a URL writes them', () => {
		expect([
			...parseAllowedHosts(' LRS.School.Internal , 10.0.0.5,[::1],0x7f000001,').allowedHosts
		]).toEqual(['lrs.school.internal', '10.0.0.5', '::1', '127.0.0.1']);
		expect(parseAllowedHosts(undefined).allowedHosts.size).toBe(0);
	});

	it.each(['http://lrs.school', 'lrs.school:8080', 'lrs.school/xapi', 'a b'])(
		'refuses %j with a message naming it',
		(entry) => {
			expect(() => parseAllowedHosts(entry)).toThrow(ConfigError);
			expect(() => parseAllowedHosts(entry)).toThrow(entry);
		}
	);
});
