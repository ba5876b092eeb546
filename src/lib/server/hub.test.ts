/**
 * The hub's promises: a stream is never sent an older state after a newer one, and what a stream
 * is sent arrives whole and in order however it is written.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setResponse } from '@sveltejs/kit/node';
import { describe, expect, it } from 'vitest';
import {
	closeStreams,
	eventStream,
	eventStreamTo,
	listenerCount,
	openStreamsFrom,
	publish,
	publishState,
	STREAM_BACKLOG_BYTES,
	subscribe,
	type FirstEvents,
	type Listener
} from './hub';

function recorder(): Listener & { seen: string[] } {
	const seen: string[] = [];
	const decoder = new TextDecoder();
	return {
		role: 'participant',
		stateVersion: -1,
		seen,
		send: (message) => seen.push(/data: (.*)\n/.exec(decoder.decode(message.bytes))?.[1] ?? ''),
		close: () => {}
	};
}

describe('publishState', () => {
	it('sends each stream only states newer than the last it was sent', () => {
		const early = recorder();
		const late = recorder();
		const offEarly = subscribe('HUBONE', early);
		try {
			publishState('HUBONE', 2, { v: 2 });
			// Facts of two processes arriving out of order: the older one is dropped.
			publishState('HUBONE', 1, { v: 1 });
			const offLate = subscribe('HUBONE', late);
			publishState('HUBONE', 2, { v: 2 });
			publishState('HUBONE', 3, { v: 3 });
			offLate();
		} finally {
			offEarly();
		}
		expect(early.seen).toEqual(['{"v":2}', '{"v":3}']);
		expect(late.seen).toEqual(['{"v":2}', '{"v":3}']);
	});
});

/**
 * A stream served the way adapter-node serves it (`setResponse` of `@sveltejs/kit/node`, the
 * request as `platform.req`), read as raw bytes: the messages after the head go straight to the
 * socket as chunks of the chunked body, and the body is still well formed and complete.
 */
describe('eventStream over a Node server', () => {
	/** Serves `code`'s stream; records what went through the response rather than the socket. */
	async function serve(code: string, first: FirstEvents) {
		const throughResponse: string[] = [];
		const server = createServer((req, res) => {
			const write = res.write.bind(res) as (chunk: Uint8Array) => boolean;
			res.write = ((chunk: Uint8Array) => {
				throughResponse.push(Buffer.from(chunk).toString());
				return write(chunk);
			}) as typeof res.write;
			const response = eventStream(code, { role: 'host' }, async () => first, 'test', req);
			// Published before the response is even handed to Node: queued, then sent in order.
			publish(code, 'early', 1);
			void setResponse(res, response);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return { server, port, throughResponse };
	}

	/**
	 * Sends `request` on a new socket; once the stream's first events are in, publishes three
	 * `later` events and closes `code`'s streams; resolves with every byte the server sent.
	 */
	function readStream(port: number, request: string, code: string) {
		return new Promise<string>((resolve, reject) => {
			let received = '';
			let published = false;
			const socket = connect(port, '127.0.0.1', () => socket.write(request));
			socket.on('data', (data) => {
				received += data.toString('latin1');
				if (!published && received.includes('event: dashboard')) {
					published = true;
					// Let the response ask for more, as it does once it has written what it was given.
					setTimeout(() => {
						for (const n of [1, 2, 3]) publish(code, 'later', n);
						closeStreams(code);
					}, 20);
				}
				// A chunked body's last chunk: the stream has ended (the socket is kept alive).
				if (received.endsWith('\r\n0\r\n\r\n')) socket.end();
			});
			socket.on('close', () => resolve(received));
			socket.on('error', reject);
		});
	}

	/** The body of a chunked response, unframed; throws on a malformed frame. */
	function unchunk(body: string): { text: string; ended: boolean } {
		let text = '';
		let rest = body;
		for (;;) {
			const line = rest.indexOf('\r\n');
			if (line === -1) return { text, ended: false };
			const size = Number.parseInt(rest.slice(0, line), 16);
			if (Number.isNaN(size)) throw new Error(`bad chunk size in ${JSON.stringify(rest)}`);
			if (size === 0) return { text, ended: rest.slice(line) === '\r\n\r\n' };
			const data = rest.slice(line + 2, line + 2 + size);
			if (rest.slice(line + 2 + size, line + 4 + size) !== '\r\n')
				throw new Error(`chunk of ${size} bytes not followed by CRLF`);
			text += data;
			rest = rest.slice(line + 4 + size);
		}
	}

	const first: FirstEvents = { state: { version: 1, pacing: { v: 1 } }, more: [['dashboard', 2]] };
	const expected = [
		'retry: 2000\n\n',
		'event: early\ndata: 1\n\n',
		'event: state\ndata: {"v":1}\n\n',
		'event: dashboard\ndata: 2\n\n',
		'event: later\ndata: 1\n\n',
		'event: later\ndata: 2\n\n',
		'event: later\ndata: 3\n\n'
	].join('');

	it('writes messages after the head to an HTTP/1.1 socket as chunks, then ends the body', async () => {
		const { server, port, throughResponse } = await serve('HUBTWO', first);
		try {
			const received = await readStream(
				port,
				'GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
				'HUBTWO'
			);
			const headEnd = received.indexOf('\r\n\r\n');
			const head = received.slice(0, headEnd);
			const body = received.slice(headEnd + 4);
			expect(head).toMatch(/^HTTP\/1\.1 200/);
			expect(head.toLowerCase()).toContain('transfer-encoding: chunked');
			expect(unchunk(body)).toEqual({ text: expected, ended: true });
			// The later messages reached the socket without the response.
			expect(throughResponse.join('')).not.toContain('event: later');
			expect(listenerCount('HUBTWO')).toBe(0);
		} finally {
			server.close();
		}
	});

	/**
	 * Opens `code`'s stream with `request` and stops reading once its first events are in, then
	 * publishes messages of 64 kB until the server gives the stream up (or 20 MB, far more than
	 * the kernel's socket buffers hold); resolves with how many bytes were published by then.
	 */
	function stopReading(port: number, request: string, code: string) {
		return new Promise<number>((resolve, reject) => {
			const big = 'x'.repeat(64 * 1024);
			let received = '';
			const socket = connect(port, '127.0.0.1', () => socket.write(request));
			socket.on('error', () => {});
			socket.on('data', async (data) => {
				received += data.toString('latin1');
				if (!received.includes('event: dashboard') || socket.isPaused()) return;
				socket.pause();
				let published = 0;
				try {
					while (listenerCount(code) > 0 && published < 20 * 1024 * 1024) {
						published += publish(code, 'big', big);
						// Let the server's socket hand what it can to the kernel.
						await new Promise((resume) => setImmediate(resume));
					}
					socket.destroy();
					resolve(published);
				} catch (failure) {
					reject(failure);
				}
			});
		});
	}

	it.each([
		[
			'HTTP/1.1, written to the socket',
			'GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
			'HUBSLOW1'
		],
		['HTTP/1.0, through the response', 'GET /events HTTP/1.0\r\n\r\n', 'HUBSLOW0']
	])(
		'gives up a stream whose client stopped reading once it is STREAM_BACKLOG_BYTES behind (%s)',
		async (_, request, code) => {
			const { server, port } = await serve(code, first);
			try {
				const published = await stopReading(port, request, code);
				expect(listenerCount(code)).toBe(0);
				// Given up with the kernel's buffers full and the backlog past the limit, not at once.
				expect(published).toBeGreaterThan(STREAM_BACKLOG_BYTES);
				expect(published).toBeLessThan(20 * 1024 * 1024);
			} finally {
				server.close();
			}
		}
	);

	it('sends everything through the response to an HTTP/1.0 client, which has no chunks', async () => {
		const { server, port, throughResponse } = await serve('HUBTHREE', first);
		try {
			const received = await readStream(port, 'GET /events HTTP/1.0\r\n\r\n', 'HUBTHREE');
			expect(received.slice(received.indexOf('\r\n\r\n') + 4)).toBe(expected);
			expect(throughResponse.join('')).toBe(expected);
		} finally {
			server.close();
		}
	});
});

describe('an open stream', () => {
	it('keeps nothing of the request it was opened in', async () => {
		// SvelteKit keeps each request's event in an AsyncLocalStorage, as this one does.
		const requests = new AsyncLocalStorage<{ event: unknown[] }>();
		let opened: WeakRef<object> | undefined;
		const response = requests.run({ event: new Array<number>(100_000).fill(1) }, () => {
			opened = new WeakRef(requests.getStore()!);
			return eventStream(
				'HUBFOUR',
				{ role: 'host' },
				async () => ({ state: { version: 1, pacing: {} }, more: [] }),
				'test'
			);
		});
		// Read as adapter-node reads it: a read always waiting while the stream is open.
		const reader = response.body!.getReader();
		void reader.read();
		setFlagsFromString('--expose-gc');
		const collectGarbage = runInNewContext('gc') as () => void;
		for (let i = 0; i < 3; i++) {
			await new Promise((resolve) => setImmediate(resolve));
			collectGarbage();
		}
		try {
			expect(listenerCount('HUBFOUR')).toBe(1);
			expect(opened!.deref()).toBeUndefined();
		} finally {
			closeStreams('HUBFOUR');
			void reader.cancel();
		}
	});
});

describe('eventStreamTo (the front door`s streams)', () => {
	it('registers nothing for a client that left while it was looked up, and frees a place when one leaves', async () => {
		const code = 'HUBLEFT';
		const first: FirstEvents = { state: { version: 1, pacing: { v: 1 } }, more: [] };
		let leftFirst = true;
		let handled!: () => void;
		const done = new Promise<void>((resolve) => (handled = resolve));
		const server = createServer((req, res) => {
			const open = () =>
				eventStreamTo(res, code, { role: 'participant' }, async () => first, 'x', {});
			if (!leftFirst) return open();
			// As the front door would, had its look-ups outlasted the client.
			req.socket.once('close', () => {
				open();
				handled();
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		const request = `GET /events HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`;
		try {
			const gone = connect(port, '127.0.0.1', () => {
				gone.write(request);
				setTimeout(() => gone.destroy(), 20);
			});
			await done;
			expect(listenerCount(code)).toBe(0);
			expect(openStreamsFrom('x')).toBe(0);

			leftFirst = false;
			const reader = connect(port, '127.0.0.1', () => reader.write(request));
			await new Promise<void>((resolve) =>
				reader.on('data', (data) => data.toString().includes('event: state') && resolve())
			);
			expect(listenerCount(code)).toBe(1);
			expect(openStreamsFrom('x')).toBe(1);
			reader.destroy();
			await expect.poll(() => openStreamsFrom('x')).toBe(0);
			expect(listenerCount(code)).toBe(0);
		} finally {
			server.close();
		}
	});
});
