/**
 * Load generators for the classroom server: answer submissions, joins, and live-event fan-out.
 * Plain `node:http` with a keep-alive agent; every loop is bounded in count and in time, and all
 * traffic goes to the 127.0.0.1 servers the bench started.
 *
 * Several server processes on one database (PostgreSQL) are measured by passing one client per
 * process (`Servers`): participant i joins, answers and listens through process i mod N, as a load
 * balancer without sticky sessions would spread a class, and the host's requests and stream go to
 * the first process.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Question } from '../src/lib/content/pack.ts';

export interface Reply {
	status: number;
	body: string;
	ms: number;
}

export interface Client {
	base: URL;
	agent: http.Agent;
	/**
	 * Requests sent again because the server had closed their kept-alive socket just as they were
	 * written to it (Node's documented race: `reusedSocket` and ECONNRESET). Reported, not hidden.
	 */
	resent: number;
	request(method: string, path: string, body?: unknown, token?: string): Promise<Reply>;
	close(): void;
}

/** One server process's client, or one per process, the host's first. */
export type Servers = Client | readonly Client[];

/** The clients of `servers`, the host's first. */
function clientsOf(servers: Servers): readonly Client[] {
	return 'request' in servers ? [servers] : servers;
}

/** The client through which participant `i` reaches the servers. */
const clientFor = (clients: readonly Client[], i: number) => clients[i % clients.length]!;

/** How many times a request cut off on a kept-alive socket is sent again. */
const MAX_RESENDS = 5;

/** A JSON client over one keep-alive agent of at most `sockets` connections. */
export function client(baseURL: string, sockets = 100): Client {
	const base = new URL(baseURL);
	const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
	const self: Client = {
		base,
		agent,
		resent: 0,
		request(method, path, body, token) {
			const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
			// What a phone's `fetch` sends: with it, a refusal comes back as JSON, not as a page.
			const headers: Record<string, string | number> = { accept: '*/*' };
			if (payload) {
				headers['content-type'] = 'application/json';
				headers['content-length'] = payload.length;
			}
			if (token) headers.authorization = `Bearer ${token}`;
			const started = performance.now();
			const send = (resends: number): Promise<Reply> =>
				new Promise<Reply>((resolve, reject) => {
					const req = http.request(
						{ host: base.hostname, port: base.port, path, method, agent, headers },
						(res) => {
							const chunks: Buffer[] = [];
							res.on('data', (c: Buffer) => chunks.push(c));
							res.on('end', () =>
								resolve({
									status: res.statusCode ?? 0,
									body: Buffer.concat(chunks).toString(),
									ms: performance.now() - started
								})
							);
							res.on('error', reject);
						}
					);
					req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
					req.on('error', (failure: NodeJS.ErrnoException) => {
						// The server closed the kept-alive socket as this request went out on it (most
						// likely one left idle past the server's keep-alive timeout), so it was never
						// processed: send it again. The agent may hand out another such socket, hence
						// more than once.
						if (resends < MAX_RESENDS && req.reusedSocket && failure.code === 'ECONNRESET') {
							self.resent += 1;
							resolve(send(resends + 1));
						} else reject(failure);
					});
					req.end(payload);
				});
			return send(0);
		},
		close() {
			agent.destroy();
		}
	};
	return self;
}

/** The q-quantile (0..1) of `values` by the nearest-rank method. */
export function quantile(values: readonly number[], q: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** Runs `count` tasks with at most `limit` in flight; stops starting new ones after `deadlineMs`. */
async function pool(
	count: number,
	limit: number,
	deadlineMs: number,
	task: (index: number) => Promise<void>
): Promise<number> {
	let next = 0;
	const stopAt = Date.now() + deadlineMs;
	await Promise.all(
		Array.from({ length: Math.min(limit, count) }, async () => {
			while (next < count && Date.now() < stopAt) await task(next++);
		})
	);
	return next;
}

/** When task `i` of a run offered at `ratePerSecond` from `started` is due; resolves then. */
async function dueAt(started: number, i: number, ratePerSecond: number): Promise<number> {
	const due = started + (i * 1000) / ratePerSecond;
	const wait = due - performance.now();
	if (wait > 0) await new Promise((r) => setTimeout(r, wait));
	return due;
}

export async function createSession(c: Client, mode: 'self-paced' | 'teacher-paced') {
	const reply = await c.request('POST', '/api/sessions', { scenario: 'mali-russia', mode });
	if (reply.status !== 201) throw new Error(`create session: ${reply.status} ${reply.body}`);
	return JSON.parse(reply.body) as { code: string; hostToken: string };
}

export async function control(c: Client, code: string, hostToken: string, action: string) {
	const reply = await c.request('POST', `/api/sessions/${code}/control`, { action }, hostToken);
	if (reply.status !== 200) throw new Error(`control ${action}: ${reply.status} ${reply.body}`);
	return reply;
}

/**
 * Joins `count` participants into `code`, `concurrency` at a time (participant i through process
 * i mod N); every join must be a 201.
 */
export async function joinMany(servers: Servers, code: string, count: number, concurrency = 100) {
	const clients = clientsOf(servers);
	const tokens: string[] = new Array(count);
	const times: number[] = [];
	const errors: string[] = [];
	const started = performance.now();
	await pool(count, concurrency, 120_000, async (i) => {
		const reply = await clientFor(clients, i).request('POST', `/api/sessions/${code}/join`, {
			nickname: `bench-${i}`
		});
		times.push(reply.ms);
		if (reply.status === 201)
			tokens[i] = (JSON.parse(reply.body) as { participantToken: string }).participantToken;
		else if (errors.length < 5) errors.push(`${reply.status} ${reply.body.slice(0, 200)}`);
	});
	const seconds = (performance.now() - started) / 1000;
	return {
		tokens: tokens.filter(Boolean),
		stats: {
			count: times.length,
			ok: tokens.filter(Boolean).length,
			errors: times.length - tokens.filter(Boolean).length,
			concurrency,
			rps: round(times.length / seconds),
			p50Ms: round(quantile(times, 0.5)),
			p99Ms: round(quantile(times, 0.99)),
			maxMs: round(Math.max(...times))
		},
		errorSamples: errors
	};
}

/**
 * Answers through POST /api/sessions/:code/answers (graded and committed before the reply) over
 * `concurrency` connections, with the host's dashboard stream open as in a real class:
 * `participants` people each answer every question of the pack with its right answer, until all
 * are sent or `deadlineMs` passes.
 *
 * Without `ratePerSecond` the connections send as fast as the server answers (a closed loop: the
 * most it sustains, where each request also waits behind the other 99). With it, answer i is due
 * at start + i / rate, and its latency runs from when it was due, not from when a connection was
 * free to send it, so a server that falls behind is charged for the wait (no coordinated omission).
 */
export async function answersBench(
	servers: Servers,
	questions: Question[],
	participants: number,
	concurrency = 100,
	deadlineMs = 60_000,
	ratePerSecond?: number
) {
	const clients = clientsOf(servers);
	const host = clients[0]!;
	const resentSoFar = () => clients.reduce((n, c) => n + c.resent, 0);
	const session = await createSession(host, 'self-paced');
	const joined = await joinMany(clients, session.code, participants, concurrency);
	if (joined.tokens.length !== participants)
		throw new Error(`answers bench: joins failed ${joined.errorSamples.join('; ')}`);
	await control(host, session.code, session.hostToken, 'start');
	// The teacher's dashboard is open, as in a real class: the server keeps it up to date.
	const dashboard = await openSse(
		host.base,
		`/api/sessions/${session.code}/events`,
		session.hostToken,
		() => {},
		'dashboard'
	);
	// Task i: participant i % P answers question floor(i / P): consecutive requests come from different people.
	const total = participants * questions.length;
	const times: number[] = [];
	const statuses = new Map<number, number>();
	const errorSamples: string[] = [];
	const resentBefore = resentSoFar();
	const started = performance.now();
	await pool(total, concurrency, deadlineMs, async (i) => {
		const due = ratePerSecond ? await dueAt(started, i, ratePerSecond) : performance.now();
		const person = i % participants;
		const q = questions[Math.floor(i / participants)]!;
		const reply = await clientFor(clients, person).request(
			'POST',
			`/api/sessions/${session.code}/answers`,
			{ answerId: randomUUID(), questionId: q.id, response: q.answer },
			joined.tokens[person]!
		);
		times.push(performance.now() - due);
		statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
		if (reply.status !== 200 && errorSamples.length < 5)
			errorSamples.push(`${reply.status} ${reply.body.slice(0, 200)}`);
	});
	const seconds = (performance.now() - started) / 1000;
	dashboard.close();
	return {
		count: times.length,
		errors: times.length - (statuses.get(200) ?? 0),
		concurrency,
		...(ratePerSecond ? { offeredRps: ratePerSecond } : {}),
		seconds: round(seconds, 2),
		rps: round(times.length / seconds),
		p50Ms: round(quantile(times, 0.5)),
		p90Ms: round(quantile(times, 0.9)),
		p99Ms: round(quantile(times, 0.99)),
		maxMs: round(Math.max(...times)),
		dashboardUpdates: dashboard.arrivals.length,
		resent: resentSoFar() - resentBefore,
		statuses: Object.fromEntries(statuses),
		errorSamples
	};
}

/**
 * The framework's floor at a given rate: `GET path` (as `floorBench`) offered at `ratePerSecond`
 * for `seconds` over at most `concurrency` connections, each latency counted from when its request
 * was due, as `answersBench` counts an answer's. What the framework alone leaves of a latency
 * target at that rate: an answer cannot cost less than an empty 404.
 */
export async function floorAtRate(
	c: Client,
	path: string,
	ratePerSecond: number,
	seconds: number,
	concurrency = 100
) {
	const total = Math.round(ratePerSecond * seconds);
	const times: number[] = [];
	const statuses = new Map<number, number>();
	const started = performance.now();
	await pool(total, concurrency, (seconds + 5) * 1000, async (i) => {
		const due = await dueAt(started, i, ratePerSecond);
		const reply = await c.request('GET', path);
		times.push(performance.now() - due);
		statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
	});
	const elapsed = (performance.now() - started) / 1000;
	return {
		path,
		count: times.length,
		offeredRps: ratePerSecond,
		rps: round(times.length / elapsed),
		p50Ms: round(quantile(times, 0.5)),
		p90Ms: round(quantile(times, 0.9)),
		p99Ms: round(quantile(times, 0.99)),
		maxMs: round(Math.max(...times)),
		statuses: Object.fromEntries(statuses)
	};
}

/**
 * The framework's floor: `GET path` (an unknown API path, answered with a JSON 404 by a
 * catch-all route, touching no database) over `concurrency` connections as fast as the server
 * answers, for `seconds`. What every request costs before any of our work is done.
 */
export async function floorBench(c: Client, path: string, concurrency = 100, seconds = 5) {
	const times: number[] = [];
	const statuses = new Map<number, number>();
	const started = performance.now();
	const stopAt = Date.now() + seconds * 1000;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (Date.now() < stopAt) {
				const reply = await c.request('GET', path);
				times.push(reply.ms);
				statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
			}
		})
	);
	const elapsed = (performance.now() - started) / 1000;
	return {
		path,
		count: times.length,
		concurrency,
		rps: round(times.length / elapsed),
		p50Ms: round(quantile(times, 0.5)),
		p99Ms: round(quantile(times, 0.99)),
		statuses: Object.fromEntries(statuses)
	};
}

/** One raw SSE connection: records when each event called `name` arrives. */
interface SseClient {
	arrivals: number[];
	status: number;
	close(): void;
}

function openSse(
	base: URL,
	path: string,
	token: string,
	onEvent: () => void,
	name = 'state'
): Promise<SseClient> {
	return new Promise((resolve, reject) => {
		const arrivals: number[] = [];
		const req = http.get(
			{
				host: base.hostname,
				port: base.port,
				path,
				agent: false,
				headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }
			},
			(res) => {
				const client: SseClient = {
					arrivals,
					status: res.statusCode ?? 0,
					close: () => req.destroy()
				};
				if (res.statusCode !== 200) {
					res.resume();
					resolve(client);
					return;
				}
				let buffer = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					buffer += chunk;
					let cut: number;
					while ((cut = buffer.indexOf('\n\n')) !== -1) {
						const block = buffer.slice(0, cut);
						buffer = buffer.slice(cut + 2);
						if (block.startsWith(`event: ${name}\n`)) {
							arrivals.push(performance.now());
							onEvent();
						}
					}
				});
				res.on('error', () => {});
				resolve(client);
			}
		);
		req.on('error', reject);
		req.setTimeout(60_000, () => req.destroy());
	});
}

/**
 * The CPU time a process has used so far (user + system), in milliseconds. Divided by the requests
 * served, it is a cost per request that another tenant of the machine barely moves, where a rate
 * or a latency would follow their load.
 */
export function cpuMs(pid: number): number {
	try {
		// Fields after the command name (which may hold spaces, hence from the last ')').
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
		// utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return NaN;
	}
}

/**
 * CPU time the hypervisor gave to someone else while this machine's CPUs wanted to run (the
 * `steal` column of /proc/stat, all CPUs, in milliseconds; NaN where the kernel does not say).
 * A paced run's tail follows it: while a CPU is taken away, requests queue however little they
 * cost, the framework's empty 404 as much as an answer.
 */
export function stealMs(): number {
	try {
		const total = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
		// cpu user nice system idle iowait irq softirq steal …, in clock ticks (100 a second).
		return total[0] === 'cpu' && total[8] !== undefined ? Number(total[8]) * 10 : NaN;
	} catch {
		return NaN;
	}
}

/** `run`'s result, with the CPU time stolen from this machine while it ran (see `stealMs`). */
export async function measuringSteal<R extends object>(
	run: () => Promise<R>
): Promise<R & { stealMs: number }> {
	const before = stealMs();
	const result = await run();
	return { ...result, stealMs: stealMs() - before };
}

/**
 * Has each server (started by `startServer`) collect its garbage, and gives the collections
 * time to finish: a full collection of a few hundred megabytes takes well under a second.
 */
export async function collectGarbage(pids: readonly number[]): Promise<void> {
	for (const pid of pids) process.kill(pid, 'SIGUSR2');
	await new Promise((resolve) => setTimeout(resolve, 1_000));
}

/** Resident memory of a process from /proc (Linux), in MB. */
export function rssMb(pid: number): number {
	try {
		const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
		return line ? round(Number(line[1]) / 1024) : NaN;
	} catch {
		return NaN;
	}
}

/**
 * `clients` participants join one teacher-paced session (the joins figure) and each opens its
 * event stream; then the host paces the session `actions` times, and for each action the time
 * from sending it to the `state` event's arrival at each client is recorded. The RSS of each
 * server process (`serverPids`, in the order of `servers`) is read before the streams open and
 * with every client connected. With several processes, participant i's stream is on process
 * i mod N while the host paces through the first: the others hear of it from the database.
 */
export async function fanoutBench(
	servers: Servers,
	clients: number,
	actions: number,
	serverPids: number | readonly number[],
	readRss: (pid: number) => number
) {
	const processes = clientsOf(servers);
	const host = processes[0]!;
	const pids = [serverPids].flat();
	// Warm-up on a session of its own: the first requests of a fresh server load the route's
	// modules and run cold code, which is not what 2,000 joins into one class measure.
	const warm = await createSession(host, 'teacher-paced');
	const warmJoins = await joinMany(processes, warm.code, 200, 100);
	const session = await createSession(host, 'teacher-paced');
	const joined = await joinMany(processes, session.code, clients, 100);
	if (joined.tokens.length !== clients)
		throw new Error(`fanout: joins failed ${joined.errorSamples.join('; ')}`);
	// Each reading after a full collection: what the joins left as garbage, and when the next
	// collection happens to come, would otherwise decide the figure (13 to 29 KB per stream for
	// the same code, docs/BENCHMARKS.md 2026-12-02).
	await collectGarbage(pids);
	const rssBefore = pids.map(readRss);
	let received = 0;
	let wake: (() => void) | undefined;
	const onEvent = () => {
		received += 1;
		wake?.();
	};
	const streams: SseClient[] = [];
	const connectStarted = performance.now();
	// Open streams 200 at a time; each is its own socket.
	for (let i = 0; i < clients; i += 200) {
		const batch = joined.tokens.slice(i, i + 200);
		streams.push(
			...(await Promise.all(
				batch.map((t, j) =>
					openSse(
						clientFor(processes, i + j).base,
						`/api/sessions/${session.code}/events`,
						t,
						onEvent
					)
				)
			))
		);
	}
	const refused = streams.filter((s) => s.status !== 200).length;
	if (refused > 0)
		throw new Error(
			`fanout: ${refused} event streams refused (status ${streams.find((s) => s.status !== 200)?.status})`
		);
	const waitFor = async (target: number, timeoutMs: number) => {
		const deadline = Date.now() + timeoutMs;
		while (received < target && Date.now() < deadline) {
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
				wake = () => {
					if (received >= target) {
						clearTimeout(timer);
						resolve();
					}
				};
			});
		}
		wake = undefined;
		return received >= target;
	};
	// Every stream gets the initial state first.
	if (!(await waitFor(clients, 30_000)))
		throw new Error(`fanout: only ${received} of ${clients} streams got the initial state`);
	const connectSeconds = (performance.now() - connectStarted) / 1000;
	await control(host, session.code, session.hostToken, 'start');
	await waitFor(clients * 2, 10_000);
	/** Arrival latencies and events lost, for every stream and for the streams of each process. */
	const latencies: number[] = [];
	const latenciesOn = processes.map((): number[] => []);
	const lostOn = processes.map(() => 0);
	const lastArrival: number[] = [];
	const sequence = ['next', 'reveal'];
	// Server CPU over the paced actions (the host's requests and commits included), per event
	// delivered: what delivery costs, whatever else the machine is doing.
	const cpuBefore = pids.map(cpuMs);
	let delivered = 0;
	for (let a = 0; a < actions; a++) {
		const before = received;
		const sent = performance.now();
		await control(host, session.code, session.hostToken, sequence[a % 2]!);
		const ok = await waitFor(before + clients, 10_000);
		const slot = a + 2; // initial state, start, then this action
		let worst = 0;
		streams.forEach((s, i) => {
			const at = s.arrivals[slot];
			const on = i % processes.length;
			if (at === undefined) {
				lostOn[on]! += 1;
				return;
			}
			delivered += 1;
			latencies.push(at - sent);
			latenciesOn[on]!.push(at - sent);
			worst = Math.max(worst, at - sent);
		});
		lastArrival.push(worst);
		if (!ok) break;
		await new Promise((r) => setTimeout(r, 100));
	}
	const cpuSpent = pids.reduce((sum, pid, i) => sum + cpuMs(pid) - cpuBefore[i]!, 0);
	await collectGarbage(pids);
	const rssWith = pids.map(readRss);
	for (const s of streams) s.close();
	const sum = (values: number[]) => round(values.reduce((n, v) => n + v, 0));
	return {
		joins: {
			...joined.stats,
			warmUp: {
				count: warmJoins.stats.count,
				p50Ms: warmJoins.stats.p50Ms,
				p99Ms: warmJoins.stats.p99Ms
			}
		},
		fanout: {
			clients,
			actions,
			connectSeconds: round(connectSeconds, 2),
			p50Ms: round(quantile(latencies, 0.5)),
			p99Ms: round(quantile(latencies, 0.99)),
			maxMs: round(Math.max(...latencies)),
			everyClientP50Ms: round(quantile(lastArrival, 0.5)),
			everyClientMaxMs: round(Math.max(...lastArrival)),
			cpuUsPerDelivery: round((cpuSpent * 1000) / Math.max(1, delivered)),
			lost: sum(lostOn),
			/** Of every server process together. */
			rssMb: sum(rssWith),
			rssMbBeforeStreams: sum(rssBefore),
			/** Each server process: its streams' arrivals (the host paced through the first) and RSS. */
			processes: pids.map((pid, on) => ({
				streams: streams.filter((_, i) => i % processes.length === on).length,
				p50Ms: round(quantile(latenciesOn[on]!, 0.5)),
				p99Ms: round(quantile(latenciesOn[on]!, 0.99)),
				lost: lostOn[on]!,
				rssMbBeforeStreams: rssBefore[on]!,
				rssMb: rssWith[on]!
			}))
		}
	};
}
