/**
 * Live events for classroom sessions, over Server-Sent Events. Each process holds the open
 * streams it serves in memory (on PostgreSQL, the facts of other processes reach them through
 * `live-events.ts`); state changes are pushed to everyone in a session, newest only, and the
 * host's aggregates are recomputed at most once per `DASHBOARD_INTERVAL_MS` however fast answers
 * arrive, so that 300 students answering at once cost a handful of recomputations. A dashboard
 * grows with the class, so the pause after each one also grows with its size: a host's stream
 * carries at most DASHBOARD_BYTES_PER_SECOND of dashboards however fast people join.
 */

import { AsyncResource } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { json } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { DEFAULT_DASHBOARD_BYTES_PER_SECOND, positiveSetting } from './config';

/** One open event stream. */
export interface Listener {
	role: 'host' | 'participant';
	/** The participant reading a participant's stream, so that removing them can close it. */
	participantId?: string;
	/** Writes one SSE message to the stream. */
	send: (message: SseMessage) => void;
	/** Ends the stream (its session was deleted, or its participant removed). */
	close: () => void;
	/** The version of the last state this stream was sent: an older one is never sent after it. */
	stateVersion: number;
}

const encoder = new TextEncoder();
const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * One SSE message, encoded once however many streams it goes to, and framed once as a chunk of
 * an HTTP/1.1 chunked body for the streams written straight to their sockets (see `eventStream`).
 */
export class SseMessage {
	#chunk: Buffer | undefined;
	constructor(readonly bytes: Uint8Array) {}

	/** The message as one chunk of a `Transfer-Encoding: chunked` body. */
	get chunk(): Buffer {
		return (this.#chunk ??= Buffer.concat([
			Buffer.from(`${this.bytes.byteLength.toString(16)}\r\n`, 'latin1'),
			this.bytes,
			CRLF
		]));
	}
}

function encodeEvent(event: string, data: unknown): SseMessage {
	return new SseMessage(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
}

const DASHBOARD_INTERVAL_MS = 150;
const DASHBOARD_BYTES_PER_SECOND = positiveSetting(
	env.DASHBOARD_BYTES_PER_SECOND,
	DEFAULT_DASHBOARD_BYTES_PER_SECOND
);

const listeners = new Map<string, Set<Listener>>();
const pendingDashboards = new Map<string, ReturnType<typeof setTimeout>>();
/** When each session's next dashboard may go out, by the size of the last one sent. */
const dashboardDue = new Map<string, number>();

/** The sessions with streams open in this process. */
export function sessionsWithStreams(): string[] {
	return [...listeners.keys()];
}

/** How often every open stream gets a ping, which keeps proxies from closing an idle stream. */
const PING_INTERVAL_MS = 25_000;
let pinging: ReturnType<typeof setInterval> | undefined;

/**
 * Pings every open stream of this process from one timer, while any is open: a timer per stream
 * would cost each of 2,000 streams memory of its own for the same effect.
 */
function keepPinging(): void {
	if (pinging) return;
	const ping = encodeEvent('ping', {});
	pinging = setInterval(() => {
		if (listeners.size === 0) {
			clearInterval(pinging);
			pinging = undefined;
			return;
		}
		for (const set of listeners.values()) for (const listener of set) listener.send(ping);
	}, PING_INTERVAL_MS);
	// It keeps no process alive on its own.
	pinging.unref();
}

/** Adds a stream to a session; returns the function that removes it. */
export function subscribe(code: string, listener: Listener): () => void {
	let set = listeners.get(code);
	if (!set) listeners.set(code, (set = new Set()));
	set.add(listener);
	return () => {
		set.delete(listener);
		if (set.size > 0) return;
		listeners.delete(code);
		dashboardDue.delete(code);
	};
}

/** Streams open on a session, by role. */
export function listenerCount(code: string, role?: Listener['role']): number {
	return [...(listeners.get(code) ?? [])].filter((l) => !role || l.role === role).length;
}

/** Sends an event to every stream of a session, or only to one role's; returns its size in bytes. */
export function publish(
	code: string,
	event: string,
	data: unknown,
	role?: Listener['role']
): number {
	const message = encodeEvent(event, data);
	for (const listener of listeners.get(code) ?? []) {
		if (!role || listener.role === role) listener.send(message);
	}
	return message.bytes.byteLength;
}

/**
 * Sends a session's state to each of its streams that has not had this version or a newer one:
 * facts from several processes, or a stream's first state read while a change committed, may
 * arrive out of order, and the newest must win.
 */
export function publishState(code: string, version: number, pacing: unknown): void {
	let message: SseMessage | undefined;
	for (const listener of listeners.get(code) ?? []) {
		if (listener.stateVersion >= version) continue;
		listener.stateVersion = version;
		listener.send((message ??= encodeEvent('state', pacing)));
	}
}

/** Ends the streams of a session that `which` picks (all of them by default). */
export function closeStreams(code: string, which: (listener: Listener) => boolean = () => true) {
	for (const listener of [...(listeners.get(code) ?? [])]) if (which(listener)) listener.close();
}

/**
 * Schedules the host dashboard of a session to be recomputed and sent; calls arriving while one
 * is pending are folded into it.
 */
export function scheduleDashboard(code: string, compute: () => Promise<unknown>): void {
	if (pendingDashboards.has(code) || listenerCount(code, 'host') === 0) return;
	const wait = Math.max(DASHBOARD_INTERVAL_MS, (dashboardDue.get(code) ?? 0) - Date.now());
	pendingDashboards.set(
		code,
		setTimeout(() => {
			pendingDashboards.delete(code);
			compute().then(
				(dashboard) => {
					const bytes = publish(code, 'dashboard', dashboard, 'host');
					dashboardDue.set(code, Date.now() + (bytes * 1000) / DASHBOARD_BYTES_PER_SECOND);
				},
				(error: unknown) => console.error(`Dashboard of ${code} failed:`, error)
			);
		}, wait)
	);
}

/** Drops every dashboard waiting to be sent: the server is stopping and its database closing. */
export function cancelDashboards(): void {
	for (const timer of pendingDashboards.values()) clearTimeout(timer);
	pendingDashboards.clear();
}

/**
 * Open event streams allowed from one address. Generous, because a whole school can sit behind
 * one address; what it stops is one machine opening streams until the server runs out of memory.
 */
const STREAMS_PER_ADDRESS = positiveSetting(env.SSE_MAX_PER_ADDRESS, 500);
const streamsByAddress = new Map<string, number>();

/**
 * Bytes a stream may have waiting to be sent before it is given up. A client that stops reading
 * (a script that never reads, a phone whose connection stalled) would otherwise make the server
 * keep every message sent to it for as long as the connection lasts. One that merely fell behind
 * loses nothing: its EventSource reconnects by itself and is sent the session as it is now. At
 * the dashboard's byte budget this is about two seconds behind.
 */
export const STREAM_BACKLOG_BYTES = 256 * 1024;

/**
 * An async context outside every request, in which streams are made. SvelteKit keeps each
 * request's event in an AsyncLocalStorage, and Node gives every promise made during a request a
 * reference to it: a web stream made in the request keeps a promise for as long as it is open, and
 * with it the request's whole event (its Request, URL, cookies and closures). That was about half
 * of the server's memory per open stream (a heap snapshot with 1,000 streams open, issue 17).
 * This module is first evaluated at server start (`hooks.server.ts` imports it), outside any
 * request.
 */
const outsideRequests = new AsyncResource('causeway.event-streams');

/** What a stream is sent first: the session's state as stored (with its version), then more. */
export interface FirstEvents {
	state: { version: number; pacing: unknown };
	more: Array<[string, unknown]>;
}

/** The head of every event stream's response. */
const STREAM_HEADERS = {
	'content-type': 'text/event-stream; charset=utf-8',
	'cache-control': 'no-store',
	connection: 'keep-alive',
	'x-accel-buffering': 'no'
} as const;

const TOO_MANY_STREAMS = 'Too many live connections from this address.';
/** Seconds a refused stream waits before trying again. */
const TOO_MANY_STREAMS_RETRY = '10';

/** What an event stream begins with: how long its EventSource waits before reconnecting. */
const RETRY = encoder.encode('retry: 2000\n\n');

/**
 * Counts a stream against `address`: the function that uncounts it, or undefined (nothing
 * counted) when the address has too many open. A count kept per process: behind a load balancer
 * each process allows as many.
 */
function admit(address: string): (() => void) | undefined {
	const open = streamsByAddress.get(address) ?? 0;
	if (open >= STREAMS_PER_ADDRESS) {
		return undefined;
	}
	streamsByAddress.set(address, open + 1);
	return () => {
		const left = (streamsByAddress.get(address) ?? 1) - 1;
		if (left > 0) streamsByAddress.set(address, left);
		else streamsByAddress.delete(address);
	};
}

/** Streams open from `address` in this process (what SSE_MAX_PER_ADDRESS caps). */
export function openStreamsFrom(address: string): number {
	return streamsByAddress.get(address) ?? 0;
}

/** Where one stream's messages go. */
interface Sink {
	/** Writes one message; false when the client is given up instead (too far behind). */
	write(message: SseMessage): boolean;
	/** Ends the response. */
	end(): void;
}

/**
 * Registers a stream with the hub until the returned function is called (the client went away)
 * or it is closed. It subscribes before `first` reads what it is sent first, so that nothing
 * published meanwhile is missed; a state published meanwhile that is newer than the one read
 * wins (see `publishState`).
 */
function attach(
	code: string,
	reader: Pick<Listener, 'role' | 'participantId'>,
	first: () => Promise<FirstEvents>,
	release: () => void,
	sink: Sink
): () => void {
	let done = false;
	const cleanup = () => {
		if (done) return;
		done = true;
		unsubscribe();
		release();
	};
	const send = (message: SseMessage) => {
		if (!done && !sink.write(message)) cleanup();
	};
	const close = () => {
		cleanup();
		sink.end();
	};
	const listener: Listener = { ...reader, send, close, stateVersion: -1 };
	const unsubscribe = subscribe(code, listener);
	keepPinging();
	first().then(
		({ state, more }) => {
			if (done) return;
			if (state.version > listener.stateVersion) {
				listener.stateVersion = state.version;
				send(encodeEvent('state', state.pacing));
			}
			for (const [event, data] of more) send(encodeEvent(event, data));
		},
		(failure: unknown) => {
			// The session was deleted on the way, or the database failed: the client reconnects.
			console.error(`The first events of a stream of ${code} failed:`, failure);
			close();
		}
	);
	return cleanup;
}

/**
 * Writes a message to an HTTP/1.1 response's socket as one chunk of its chunked body, or gives
 * the client up (false) when it has fallen too far behind.
 */
function writeChunk(socket: Socket, message: SseMessage): boolean {
	if (socket.destroyed) return true;
	if (socket.writableLength > STREAM_BACKLOG_BYTES) {
		socket.destroy();
		return false;
	}
	socket.write(message.chunk);
	return true;
}

/**
 * An SSE response whose stream is registered with the hub until the client goes away, or a 429
 * when `address` already has too many streams open. SvelteKit's way, for the streams the front
 * door leaves to it (see `eventStreamTo` for the other).
 *
 * Given adapter-node's request (`connection`, an HTTP/1.1 GET), messages go straight to its
 * socket as chunks once the response's head is out: one write of the same framed bytes per
 * stream, where a web stream costs each stream a queued chunk, a promise and a write through the
 * response for every message, which is what a question reaching 2,000 phones spent its time on.
 * Until then, and without a socket (`vite dev`, another adapter), messages go through the web
 * stream. Either way the response is ended by the web stream, so its last chunk is Node's.
 */
export function eventStream(
	code: string,
	reader: Pick<Listener, 'role' | 'participantId'>,
	first: () => Promise<FirstEvents>,
	address: string,
	connection?: IncomingMessage
): Response {
	const release = admit(address);
	if (!release) {
		return json(
			{ message: TOO_MANY_STREAMS },
			{ status: 429, headers: { 'retry-after': TOO_MANY_STREAMS_RETRY } }
		);
	}
	// Node frames the body of an HTTP/1.1 response without a length as chunks; HEAD has no body.
	const socket =
		connection?.method === 'GET' && connection.httpVersion === '1.1'
			? connection.socket
			: undefined;
	const bytesWrittenBefore = socket?.bytesWritten ?? 0;
	let direct = false;
	let cleanup = () => {};
	const stream = outsideRequests.runInAsyncScope(() => openStream());
	function openStream() {
		return new ReadableStream<Uint8Array>(
			{
				start(controller) {
					controller.enqueue(RETRY);
					cleanup = attach(code, reader, first, release!, {
						write(message) {
							if (direct) return writeChunk(socket!, message);
							if (-(controller.desiredSize ?? 0) > STREAM_BACKLOG_BYTES) {
								// An error, not a close: what is queued is dropped and the response ends now.
								controller.error(new Error('The client stopped reading this event stream.'));
								return false;
							}
							try {
								controller.enqueue(message.bytes);
								return true;
							} catch {
								return false;
							}
						},
						end() {
							try {
								controller.close();
							} catch {
								// already closed by the client
							}
						}
					});
				},
				// With no chunk held back (high-water mark 0), this runs only once the response has read
				// every message queued so far and waits for more: adapter-node has written the head and
				// each of them to the socket by then, so what follows may go to the socket directly. The
				// bytes written since the stream began make sure of it, whoever reads this body.
				pull() {
					if (socket && !socket.destroyed && socket.bytesWritten > bytesWrittenBefore)
						direct = true;
				},
				cancel() {
					cleanup();
				}
			},
			// Counted in bytes: how far a client that stopped reading is behind (see write).
			new ByteLengthQueuingStrategy({ highWaterMark: 0 })
		);
	}
	return new Response(stream, { headers: STREAM_HEADERS });
}

/**
 * The front door's way (front-door.ts): a stream written to Node's response itself, with no web
 * Request, Response or stream around it. Those were most of what an open stream held: about
 * 16 KB each through SvelteKit against about 2 KB this way (`npm run bench`, issue 17). Only for
 * an HTTP/1.1 GET, whose body Node frames as chunks. `headers` are added to the response's head.
 */
export function eventStreamTo(
	res: ServerResponse,
	code: string,
	reader: Pick<Listener, 'role' | 'participantId'>,
	first: () => Promise<FirstEvents>,
	address: string,
	headers: Record<string, string>
): void {
	// The client left while the caller was looked up: its response has closed already, and a
	// stream registered now would never hear of it (nor give its address's place back).
	if (res.destroyed || !res.socket || res.socket.destroyed) return;
	const release = admit(address);
	if (!release) {
		const body = JSON.stringify({ message: TOO_MANY_STREAMS });
		res.writeHead(429, {
			...headers,
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(body),
			'retry-after': TOO_MANY_STREAMS_RETRY
		});
		res.end(body);
		return;
	}
	const socket = res.socket;
	const bytesWrittenBefore = socket?.bytesWritten ?? 0;
	res.writeHead(200, { ...STREAM_HEADERS, ...headers });
	res.write(RETRY);
	// Once the head is on the socket, messages go to it as chunks, framed once for every stream.
	// A head still held back (a response before this one on the connection is unfinished) keeps
	// them going through the response, which orders them after it.
	const direct = socket !== null && socket.bytesWritten > bytesWrittenBefore;
	const cleanup = attach(code, reader, first, release, {
		write(message) {
			if (direct) return writeChunk(socket, message);
			if (res.writableLength > STREAM_BACKLOG_BYTES) {
				res.destroy();
				return false;
			}
			res.write(message.bytes);
			return true;
		},
		end: () => res.end()
	});
	res.on('close', cleanup);
}
