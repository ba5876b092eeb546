/**
 * The answer path warmed before the server takes its first request.
 *
 * Why: a fresh Node process runs its code in V8's interpreter until each function has been
 * called often enough to be compiled. A class that starts answering the moment the server is up
 * pays for that: over the first 3 s at 1,500 answers/s an answer cost 0.80–0.91 ms of the server's
 * CPU against 0.64–0.66 ms warm, and the queue that built took seconds to drain. Warmed with 4,000
 * answers, 0.70–0.78 ms (docs/BENCHMARKS.md, session 12): more than half of the difference, not all
 * (real clients' requests differ from the warm-up's, and V8 adapts its compiled code to them).
 *
 * How: on a scratch SQLite database of its own, in a temporary folder, a session is made and a
 * class joined, and every question of every pack is answered, right, through the front door
 * itself on a loopback server: Node's HTTP parsing and writing, the front door's checks, the
 * session and token look-ups, the body's schema, the grader of every question type and the group
 * commit all run as they will for a class (only SQLite's prepared statements are the scratch
 * database's own: the server's are prepared at their first use). The server's own database,
 * opened first (so that a setting to fix is said at once), is set aside meanwhile; the scratch
 * one is then closed and deleted: nothing of it is stored, announced or kept, and no address or
 * limit has seen it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { env } from '$env/dynamic/private';
import { createSession, controlSession, joinSession } from './classroom';
import { allPacks } from './content';
import { withScratchDatabase } from './db';
import { serveBeforeSvelteKit } from './front-door';
import { questionsOf } from '$lib/content/pack';
import { loadSession } from './session-store';

/** Answers in flight at once, so that they share group commits as a class's do. */
const IN_FLIGHT = 25;

/** What the warm-up did, shown on /healthz. */
const done = { answers: 0, ms: 0 };

/** How many answers the warm-up sent through the front door, and how long it took. */
export function warmUpDone(): Readonly<typeof done> {
	return { ...done };
}

/**
 * Warms the answer path with about `answers` answers (none when 0), on a scratch database in place
 * of the server's own, before the server takes requests. A failure is said and otherwise
 * ignored: a cold server is slower, not wrong.
 */
export async function warmUp(answers: number): Promise<void> {
	if (answers <= 0) return;
	const started = performance.now();
	let folder: string | undefined;
	try {
		folder = mkdtempSync(join(tmpdir(), 'causeway-warm-up-'));
		await withScratchDatabase(join(folder, 'warm-up.sqlite'), async () => {
			const packs = allPacks();
			for (const pack of packs) {
				const classSize = Math.ceil(answers / packs.length / questionsOf(pack).length);
				done.answers += await answerThroughFrontDoor(pack.id, classSize);
			}
		});
	} catch (failure) {
		console.warn('Warming the answer path failed; the first answers will be slower:', failure);
	} finally {
		if (folder) rmSync(folder, { recursive: true, force: true });
		done.ms = Math.round(performance.now() - started);
	}
}

/**
 * Makes a self-paced session of `scenario`, joins `classSize` participants, and sends every
 * question's right answer from each; returns how many the front door served.
 */
async function answerThroughFrontDoor(scenario: string, classSize: number): Promise<number> {
	const server = createServer((req, res) =>
		serveBeforeSvelteKit(req, res, () => res.writeHead(404).end())
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
	let served = 0;
	try {
		const { code } = await createSession({ scenario, mode: 'self-paced' });
		// As many as MAX_PARTICIPANTS lets in.
		const joined = (
			await Promise.allSettled(
				Array.from({ length: classSize }, async (_, i) =>
					joinSession(await loadSession(code), `warm-up ${i}`)
				)
			)
		).flatMap((join) => (join.status === 'fulfilled' ? [join.value] : []));
		const session = await loadSession(code);
		await controlSession(session, 'start');
		const sends = questionsOf(session.pack).flatMap((question) =>
			joined.map(({ participantToken }) => ({
				token: participantToken,
				questionId: question.id,
				response: question.answer
			}))
		);
		let next = 0;
		await Promise.all(
			Array.from({ length: IN_FLIGHT }, async () => {
				while (next < sends.length) {
					const { token, ...answer } = sends[next++]!;
					const status = await post(port, agent, `/api/sessions/${code}/answers`, token, {
						answerId: randomUUID(),
						...answer
					});
					if (status === 200) served += 1;
				}
			})
		);
	} finally {
		agent.destroy();
		await new Promise((resolve) => server.close(resolve));
	}
	return served;
}

/** POSTs `body` as a participant's browser would, headers and all; resolves with the status. */
function post(
	port: number,
	agent: Agent,
	path: string,
	token: string,
	body: unknown
): Promise<number> {
	const json = JSON.stringify(body);
	const headers: Record<string, string> = {
		accept: '*/*',
		authorization: `Bearer ${token}`,
		'content-type': 'application/json',
		'content-length': String(Buffer.byteLength(json))
	};
	// Behind a proxy the front door reads the caller's address from this header (docs/DEPLOY.md).
	if (env.ADDRESS_HEADER) headers[env.ADDRESS_HEADER.toLowerCase()] = '127.0.0.1';
	return new Promise((resolve, reject) => {
		const req = request(
			{ host: '127.0.0.1', port, method: 'POST', path, agent, headers },
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			}
		);
		req.on('error', reject);
		req.end(json);
	});
}
