/**
 * Helpers for the classroom API tests: a small client over either Playwright's `request` fixture
 * (the suite's server) or `fetch` (a server a test starts itself), the real pack with right,
 * wrong and badly shaped responses whose points are worked out here from the scoring rules (not
 * by calling the grader), an SSE reader, and a way to start and stop `node build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, type APIRequestContext } from '@playwright/test';
import { loadPack } from '../../src/lib/content/loader.ts';
import type { Pack, Question } from '../../src/lib/content/pack.ts';

/** The store the project's web server runs on (its `store` option in playwright.config.ts). */
export interface StoreOptions {
	store: 'sqlite' | 'postgres';
}

/** Playwright's `test`, with the project's store. */
export const test = base.extend<StoreOptions>({ store: ['sqlite', { option: true }] });

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILD = join(ROOT, 'build');
export const SCENARIO = 'mali-russia';

/** The real pack, loaded as the app loads it. */
export function realPack(): Pack {
	const { pack, problems } = loadPack(join(ROOT, 'content', SCENARIO));
	if (!pack) throw new Error(`content/${SCENARIO} does not load: ${JSON.stringify(problems)}`);
	return pack;
}

export const pack = realPack();
/** Every question, in the order the session machine walks them (`next`). */
export const questions: Question[] = pack.steps.flatMap((s) => s.questions);
export const questionById = new Map(questions.map((q) => [q.id, q]));
export const MAX_POINTS_PER_QUESTION = 10;

/** A response, with the points and correctness the scoring rules give it. */
export interface Graded {
	response: unknown;
	points: number;
	correct: boolean;
}

const points = (credit: number) => Math.round(credit * MAX_POINTS_PER_QUESTION);

/** The question's own answer: fully correct, 10 points. */
export function rightResponse(q: Question): Graded {
	return { response: structuredClone(q.answer), points: 10, correct: true };
}

/**
 * A valid-shaped response that is not fully right, with its points derived here from the rules in
 * docs/SCORING.md (not by calling the grader). Variant 0: single choices and sets all wrong; an
 * order with its first two items swapped (n−2 of n in place); a matching with two pairs swapped
 * (n−2 of n right); a scenario answer with one supporting passage swapped for a stray one.
 * Variant 1: other wrong choices; a set with an extra option; the order reversed; a matching with
 * one left item given another's partner ((n−1)/n, 3/4 → 7.5 → 8 points); every scenario backed
 * with its supporting passages only. Scenario credit: see `scenarioCredit`.
 */
export function wrongResponse(q: Question, variant: 0 | 1 = 0): Graded {
	switch (q.type) {
		case 'choice':
		case 'evidence': {
			const others = q.options.filter((o) => o.id !== q.answer);
			const other = variant === 0 ? others[0] : others[others.length - 1];
			return { response: other!.id, points: 0, correct: false };
		}
		case 'source': {
			const others = q.options.filter((id) => id !== q.answer);
			return { response: variant === 0 ? others[0]! : others.at(-1)!, points: 0, correct: false };
		}
		case 'multi': {
			const extra = q.options.find((o) => !q.answer.includes(o.id))!.id;
			const response =
				variant === 1
					? [...q.answer, extra]
					: q.answer.length > 1
						? q.answer.slice(0, -1)
						: [extra];
			return { response, points: 0, correct: false };
		}
		case 'numeric':
			return {
				response: variant === 0 ? q.answer + q.tolerance + 1 : q.answer - q.tolerance - 0.5,
				points: 0,
				correct: false
			};
		case 'order': {
			const [a, b, ...rest] = q.answer;
			const response = variant === 0 ? [b!, a!, ...rest] : [...q.answer].reverse();
			const inPlace = response.filter((id, i) => q.answer[i] === id).length;
			return { response, points: points(inPlace / q.answer.length), correct: false };
		}
		case 'match': {
			const keys = Object.keys(q.answer);
			const [k1, k2] = keys as [string, string];
			const response =
				variant === 0
					? { ...q.answer, [k1]: q.answer[k2]!, [k2]: q.answer[k1]! }
					: { ...q.answer, [k1]: q.answer[k2]! };
			if (response[k1] === q.answer[k1]) throw new Error(`${q.id}: cannot swap equal pairs`);
			const right = keys.filter((k) => response[k] === q.answer[k]).length;
			return { response, points: points(right / keys.length), correct: false };
		}
		case 'scenario': {
			// Variant 0: the first scenario's last supporting passage swapped for a stray one.
			// Variant 1: every scenario backed by its supporting passages only, none against.
			const picks = structuredClone(q.answer);
			const first = q.scenarios[0]!;
			if (variant === 0) {
				const taken = new Set([...picks[first.id]!.supports, ...picks[first.id]!.against]);
				const stray = q.passages.find((p) => !taken.has(p.id))!.id;
				picks[first.id]!.supports = [...picks[first.id]!.supports.slice(0, -1), stray];
			} else {
				for (const id of Object.keys(picks)) picks[id]!.against = [];
			}
			return { response: picks, points: points(scenarioCredit(q, picks)), correct: false };
		}
		case 'truefalse':
			return { response: !q.answer, points: 0, correct: false };
	}
}

/**
 * A scenario response's credit by the rules in docs/SCORING.md, worked out here: for each scenario,
 * (passages on the side the question puts them − passages on a side they do not belong to) ÷
 * the passages the question puts on either side, at least 0; the mean over every scenario.
 */
export function scenarioCredit(
	q: Extract<Question, { type: 'scenario' }>,
	picks: Record<string, { supports: string[]; against: string[] }>
): number {
	const each = q.scenarios.map((s) => {
		const mine = picks[s.id]!;
		const against = s.against ?? [];
		const right =
			mine.supports.filter((id) => s.supports.includes(id)).length +
			mine.against.filter((id) => against.includes(id)).length;
		const stray = mine.supports.length + mine.against.length - right;
		return Math.max(0, (right - stray) / (s.supports.length + against.length));
	});
	return each.reduce((n, c) => n + c, 0) / each.length;
}

/** A response of the wrong shape for the question's type: the server must refuse it with 400. */
export function badShapeResponse(q: Question): unknown {
	switch (q.type) {
		case 'choice':
		case 'evidence':
		case 'source':
			return 42;
		case 'multi':
			return 'not-a-list';
		case 'order':
			return { first: 'x' };
		case 'match':
			return ['a', 'b'];
		case 'numeric':
			return String(q.answer);
		case 'scenario':
			// The earlier shape, one scenario and its evidence: no longer a response.
			return { scenario: q.scenarios[0]!.id, evidence: [q.passages[0]!.id] };
		case 'truefalse':
			return String(q.answer);
	}
}

/**
 * A response of the right shape naming an option the question does not have: 400 too. Undefined
 * for types that have no options to name (numbers, true or false).
 */
export function unknownOptionResponse(q: Question): unknown {
	switch (q.type) {
		case 'choice':
		case 'evidence':
		case 'source':
			return 'no-such-option';
		case 'multi':
		case 'order':
			return ['no-such-option', 'another-missing'];
		case 'match':
			return { 'no-such-left': 'no-such-right' };
		case 'numeric':
		case 'truefalse':
			return undefined;
		case 'scenario':
			return {
				...structuredClone(q.answer),
				'no-such-scenario': { supports: [q.passages[0]!.id], against: [] }
			};
	}
}

/* ------------------------------------------------------------------ transport */

export interface Reply {
	status: number;
	contentType: string;
	text: string;
	/** The body parsed as JSON, or undefined when it is not JSON. */
	json: unknown;
	headers: Record<string, string>;
}

export interface SendOptions {
	/** A value sent as JSON with content-type application/json. */
	data?: unknown;
	/** A raw body, sent as is (set content-type yourself in `headers`). */
	raw?: string;
	token?: string;
	headers?: Record<string, string>;
}

export type Send = (method: 'GET' | 'POST', path: string, options?: SendOptions) => Promise<Reply>;

function headersFor(options: SendOptions): Record<string, string> {
	const headers: Record<string, string> = {};
	if (options.data !== undefined) headers['content-type'] = 'application/json';
	if (options.token) headers.authorization = `Bearer ${options.token}`;
	return { ...headers, ...(options.headers ?? {}) };
}

function parse(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** A transport over Playwright's request fixture (relative paths against baseURL). */
export function playwrightSend(request: APIRequestContext): Send {
	return async (method, path, options = {}) => {
		const body = options.raw ?? (options.data !== undefined ? JSON.stringify(options.data) : '');
		const response = await request.fetch(path, {
			method,
			headers: headersFor(options),
			data: method === 'POST' ? body : undefined,
			failOnStatusCode: false,
			maxRedirects: 0
		});
		const text = await response.text();
		const headers = response.headers();
		return {
			status: response.status(),
			contentType: headers['content-type'] ?? '',
			text,
			json: parse(text),
			headers
		};
	};
}

/** A transport over fetch, for a server a test starts itself. */
export function fetchSend(baseURL: string): Send {
	return async (method, path, options = {}) => {
		const body = options.raw ?? (options.data !== undefined ? JSON.stringify(options.data) : '');
		const response = await fetch(new URL(path, baseURL), {
			method,
			headers: headersFor(options),
			body: method === 'POST' ? body : undefined,
			redirect: 'manual'
		});
		const text = await response.text();
		const headers: Record<string, string> = {};
		response.headers.forEach((value, key) => (headers[key] = value));
		return {
			status: response.status,
			contentType: headers['content-type'] ?? '',
			text,
			json: parse(text),
			headers
		};
	};
}

/* ------------------------------------------------------------------ API calls */

export type Mode = 'self-paced' | 'teacher-paced';

export interface Created {
	code: string;
	hostToken: string;
	hostUrl: string;
	joinUrl: string;
}

export interface Joined {
	participantId: string;
	participantToken: string;
	nickname: string;
}

export interface Pacing {
	status: 'lobby' | 'running' | 'ended';
	mode: Mode;
	openQuestionId: string | null;
	/** Teacher-paced, running: the question last opened, open or revealed; otherwise null. */
	currentQuestionId: string | null;
	revealed: string[];
}

export interface AnswerResult {
	answerId: string;
	questionId: string;
	correct: boolean;
	points: number;
	maxPoints: number;
	explanation?: string;
	evidence?: string[];
}

export interface ResultsAnswer {
	answerId: string;
	questionId: string;
	response: unknown;
	correct: boolean;
	points: number;
	maxPoints: number;
	answeredAt: string;
}

export interface Results {
	code: string;
	scenario: string;
	status: Pacing['status'];
	maxPoints: number;
	participants: Array<{
		participantId: string;
		nickname: string;
		joinedAt: string;
		answers: ResultsAnswer[];
		totals: { answered: number; correct: number; points: number; maxPoints: number };
	}>;
}

function expectStatus(reply: Reply, status: number, what: string): void {
	if (reply.status !== status) {
		throw new Error(
			`${what}: expected ${status}, got ${reply.status}: ${reply.text.slice(0, 300)}`
		);
	}
}

let nicknameCounter = 0;
/** A nickname unlikely to clash, at most 32 characters. */
export function uniqueNickname(prefix = 'p'): string {
	nicknameCounter += 1;
	return `${prefix}-${process.pid % 10000}-${nicknameCounter}-${Math.random().toString(36).slice(2, 6)}`.slice(
		0,
		32
	);
}

/** The classroom API over one transport; each call checks the status it expects. */
export class Classroom {
	constructor(readonly send: Send) {}

	async create(mode: Mode, title?: string): Promise<Created> {
		const reply = await this.send('POST', '/api/sessions', {
			data: { scenario: SCENARIO, mode, ...(title === undefined ? {} : { title }) }
		});
		expectStatus(reply, 201, 'create session');
		return reply.json as Created;
	}

	async join(code: string, nickname = uniqueNickname()): Promise<Joined> {
		const reply = await this.send('POST', `/api/sessions/${code}/join`, { data: { nickname } });
		expectStatus(reply, 201, `join ${code} as ${nickname}`);
		return { ...(reply.json as Omit<Joined, 'nickname'>), nickname };
	}

	control(code: string, token: string, action: string, questionId?: string): Promise<Reply> {
		return this.send('POST', `/api/sessions/${code}/control`, {
			token,
			data: questionId === undefined ? { action } : { action, questionId }
		});
	}

	async pace(code: string, token: string, action: string, questionId?: string): Promise<Pacing> {
		const reply = await this.control(code, token, action, questionId);
		expectStatus(reply, 200, `control ${action} ${questionId ?? ''}`);
		return reply.json as Pacing;
	}

	answer(
		code: string,
		token: string,
		questionId: string,
		response: unknown,
		answerId: string = crypto.randomUUID(),
		extra: Record<string, unknown> = {}
	): Promise<Reply> {
		return this.send('POST', `/api/sessions/${code}/answers`, {
			token,
			data: { answerId, questionId, response, ...extra }
		});
	}

	view(code: string, token?: string): Promise<Reply> {
		return this.send('GET', `/api/sessions/${code}`, { token });
	}

	async results(code: string, hostToken: string): Promise<Results> {
		const reply = await this.send('GET', `/api/sessions/${code}/results`, { token: hostToken });
		expectStatus(reply, 200, 'results');
		return reply.json as Results;
	}
}

/* ------------------------------------------------------------------ SSE */

export interface SseEvent {
	event: string;
	data: unknown;
}

/**
 * An open event stream read with fetch: `next(name)` waits for the next event of that name (or
 * any event), failing after `timeoutMs`; `close()` aborts the request.
 */
export interface EventReader {
	status: number;
	contentType: string;
	/** Every event received so far, in order, including `retry:` lines as event "retry". */
	seen: SseEvent[];
	next(name?: string, timeoutMs?: number): Promise<SseEvent>;
	close(): void;
}

export async function openEvents(url: string, token?: string): Promise<EventReader> {
	const controller = new AbortController();
	const response = await fetch(url, {
		headers: token ? { authorization: `Bearer ${token}` } : {},
		signal: controller.signal
	});
	const seen: SseEvent[] = [];
	let cursor = 0;
	let wake: (() => void) | undefined;
	let ended = false;
	const reader = response.body?.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	void (async () => {
		try {
			for (;;) {
				const { done, value } = await reader!.read();
				if (done) break;
				buffer += decoder.decode(value, { stream: true });
				let cut: number;
				while ((cut = buffer.indexOf('\n\n')) !== -1) {
					const block = buffer.slice(0, cut);
					buffer = buffer.slice(cut + 2);
					let event = 'message';
					const data: string[] = [];
					for (const line of block.split('\n')) {
						if (line.startsWith('event:')) event = line.slice(6).trim();
						else if (line.startsWith('data:')) data.push(line.slice(5).trim());
						else if (line.startsWith('retry:')) event = 'retry';
					}
					seen.push({
						event,
						data: event === 'retry' ? block.slice(6).trim() : parse(data.join('\n'))
					});
					wake?.();
				}
			}
		} catch {
			// aborted
		} finally {
			ended = true;
			wake?.();
		}
	})();
	return {
		status: response.status,
		contentType: response.headers.get('content-type') ?? '',
		seen,
		async next(name, timeoutMs = 5_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				while (cursor < seen.length) {
					const candidate = seen[cursor++]!;
					if (!name || candidate.event === name) return candidate;
				}
				if (ended) throw new Error(`the stream ended before an event "${name ?? '*'}"`);
				const left = deadline - Date.now();
				if (left <= 0) throw new Error(`no event "${name ?? '*'}" within ${timeoutMs} ms`);
				await new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, left);
					wake = () => {
						clearTimeout(timer);
						resolve();
					};
				});
			}
		},
		close() {
			controller.abort();
			if (!response.body) return;
			reader?.cancel().catch(() => {});
		}
	};
}

/* ------------------------------------------------------------------ own servers */

export interface OwnServer {
	child: ChildProcess;
	port: number;
	baseURL: string;
	output: { stdout: string; stderr: string };
	exited: Promise<number | null>;
}

/**
 * Starts `node build` on `port` with its own database (a SQLite file, or a postgres:// URL) and
 * waits until /healthz answers with a status `ready` accepts (200 unless told otherwise).
 * `settings` are added to its environment.
 */
export async function startServer(
	port: number,
	database: string,
	ready: (status: number) => boolean = (status) => status === 200,
	settings: Record<string, string> = {}
): Promise<OwnServer> {
	if (!existsSync(join(BUILD, 'index.js'))) {
		throw new Error(`${BUILD} has no index.js: run \`npx vite build\` first.`);
	}
	await assertPortFree(port);
	// The developer's own ORIGIN or ADDRESS_HEADER would change what the tests see; `settings` may set them.
	const inherited: NodeJS.ProcessEnv = { ...process.env };
	delete inherited.ORIGIN;
	delete inherited.ADDRESS_HEADER;
	const env: NodeJS.ProcessEnv = {
		...inherited,
		PORT: String(port),
		HOST: '127.0.0.1',
		DATABASE_URL: database.startsWith('postgres') ? database : `sqlite:${database}`,
		// As playwright.config.ts: the warm-up runs, shorter.
		WARM_UP_ANSWERS: '200',
		...settings
	};
	const child = spawn(process.execPath, [BUILD], {
		cwd: ROOT,
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const output = { stdout: '', stderr: '' };
	child.stdout?.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
	let exitCode: number | null | undefined;
	void exited.then((c) => (exitCode = c ?? -1));
	const baseURL = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline) {
		if (exitCode !== undefined) {
			throw new Error(`node build exited (${exitCode}) before answering:\n${output.stderr}`);
		}
		try {
			const reply = await fetch(`${baseURL}/healthz`);
			if (ready(reply.status)) return { child, port, baseURL, output, exited };
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	child.kill('SIGKILL');
	throw new Error(`node build did not answer on ${port} within 20 s:\n${output.stderr}`);
}

/**
 * Throws if something already listens on `port`: the server a test starts there could not bind
 * it, and the test would be served by whatever holds it (see tests/lib/ports.ts).
 */
export async function assertPortFree(port: number): Promise<void> {
	const taken = await new Promise<boolean>((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
	if (taken)
		throw new Error(
			`Port ${port} is in use: a server this test started there would not be the one answering. Stop what listens on it, or move the tests' ports (tests/lib/ports.ts).`
		);
}

/** Stops a server this test started: SIGTERM, then SIGKILL after 5 s. Safe to call twice. */
export async function stopServer(server: OwnServer | undefined): Promise<void> {
	if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
	server.child.kill('SIGTERM');
	const ended = await Promise.race([
		server.exited.then(() => true),
		new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000))
	]);
	if (!ended) {
		server.child.kill('SIGKILL');
		await server.exited;
	}
}

/** Runs `task` over `items` with at most `limit` running at once, keeping the order of results. */
export async function pool<T, R>(
	items: readonly T[],
	limit: number,
	task: (item: T, index: number) => Promise<R>
): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await task(items[index]!, index);
		}
	});
	await Promise.all(workers);
	return results;
}
