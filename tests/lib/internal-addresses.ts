/**
 * For the tests that the server is no way into its own network: spellings of this machine's
 * addresses that a URL parser accepts, and a listener that counts the connections that reach it.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';

/** A listener on 127.0.0.1 and [::1] (one port) that counts connections and closes each. */
export async function countingListener() {
	let connections = 0;
	const servers: Server[] = [];
	const listen = (host: string, port: number) =>
		new Promise<number>((resolve, reject) => {
			const server = createServer((socket) => {
				connections += 1;
				socket.destroy();
			});
			server.once('error', reject);
			server.listen(port, host, () => {
				servers.push(server);
				resolve((server.address() as AddressInfo).port);
			});
		});
	const port = await listen('127.0.0.1', 0);
	// [::1] too where the machine has IPv6 loopback, so that an attempt there is counted as well.
	await listen('::1', port).catch(() => undefined);
	return {
		port,
		connections: () => connections,
		close: () =>
			Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
	};
}

/** Spellings of this machine (loopback and unspecified, v4 and v6), each aimed at `port`. */
export function internalSpellings(port: number): string[] {
	return [
		`http://127.0.0.1:${port}/`,
		`https://127.0.0.1:${port}/`,
		`http://127.1:${port}/`, // short forms
		`http://127.0.1:${port}/`,
		`http://2130706433:${port}/`, // decimal
		`http://0x7f000001:${port}/`, // hex
		`http://0x7f.0x0.0x0.0x1:${port}/`,
		`http://0x7f.1:${port}/`,
		`http://0177.0.0.1:${port}/`, // octal
		`http://017700000001:${port}/`,
		`http://0177.0000.0000.0001:${port}/`,
		`http://127.000.000.001:${port}/`,
		`http://127.0.0.1.:${port}/`, // a final dot
		`http://１２７.０.０.１:${port}/`, // full-width digits, folded by the URL parser
		`http://0:${port}/`, // 0.0.0.0 reaches this machine
		`http://0.0.0.0:${port}/`,
		`http://user:pass@127.0.0.1:${port}/`,
		`http://localhost:${port}/`,
		`http://localhost.:${port}/`,
		`http://LOCALHOST:${port}/`,
		`http://lrs.localhost:${port}/`,
		`http://[::1]:${port}/`,
		`http://[0:0:0:0:0:0:0:1]:${port}/`,
		`http://[0000::0001]:${port}/`,
		`http://[::]:${port}/`, // unspecified
		`http://[::ffff:127.0.0.1]:${port}/`, // IPv4-mapped
		`http://[::ffff:7f00:1]:${port}/`,
		`http://[0:0:0:0:0:ffff:127.0.0.1]:${port}/`,
		`http://[::ffff:0.0.0.0]:${port}/`,
		`http://[::ffff:0:127.0.0.1]:${port}/`, // IPv4-translated
		`http://[::127.0.0.1]:${port}/`, // IPv4-compatible
		`http://[::7f00:1]:${port}/`,
		`http://[64:ff9b::127.0.0.1]:${port}/`, // NAT64
		`http://[64:ff9b::7f00:1]:${port}/`,
		`http://[2002:7f00:1::]:${port}/` // 6to4
	];
}
