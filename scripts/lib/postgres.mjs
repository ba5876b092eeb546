// A throwaway PostgreSQL server for the tests: Debian's server binaries, a cluster in a temporary
// folder on 127.0.0.1 and a free port, removed at the end. Plain Node with no dependencies, like
// setup.mjs: `npm test` runs it before anything else is known to be installed.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The environment variable through which every test step and worker finds the test cluster. */
export const TEST_POSTGRES_ENV = 'CAUSEWAY_TEST_POSTGRES';

const DEBIAN_SERVER_DIR = '/usr/lib/postgresql';

/**
 * The folder holding `initdb` and `pg_ctl`: PG_BIN when set, otherwise the newest version of
 * Debian's server packages; undefined when there is none.
 * @returns {string | undefined}
 */
function findServerBinaries() {
	if (process.env.PG_BIN) {
		return existsSync(join(process.env.PG_BIN, 'initdb')) ? process.env.PG_BIN : undefined;
	}
	if (!existsSync(DEBIAN_SERVER_DIR)) return undefined;
	const newest = readdirSync(DEBIAN_SERVER_DIR)
		.filter((version) => existsSync(join(DEBIAN_SERVER_DIR, version, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a))[0];
	return newest === undefined ? undefined : join(DEBIAN_SERVER_DIR, newest, 'bin');
}

const missingServerMessage =
	'PostgreSQL is needed for the tests and its server binaries (initdb, pg_ctl) were not found' +
	(process.env.PG_BIN
		? ` in PG_BIN=${process.env.PG_BIN}.\n`
		: ` under ${DEBIAN_SERVER_DIR}/*/bin.\n`) +
	"Install Debian's package as root:  apt-get update && apt-get install -y postgresql\n" +
	'or point PG_BIN at the folder that holds initdb and pg_ctl. (The tests start and remove a ' +
	'cluster of their own; no running server is needed.)';

function isRoot() {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Makes sure PostgreSQL's server binaries are installed: installs Debian's `postgresql` with apt
 * when running as root, otherwise stops and says how. Returns the folder holding them.
 * @returns {string}
 */
export function ensurePostgres() {
	const found = findServerBinaries();
	if (found) return found;
	if (!isRoot() || process.env.PG_BIN) {
		console.error(missingServerMessage);
		process.exit(1);
	}
	console.log("Installing Debian's postgresql for the tests (apt-get)…");
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const apt = (/** @type {string[]} */ args) =>
		spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
	const installed =
		apt(['update', '-qq']) && apt(['install', '-y', '-qq', 'postgresql']) && findServerBinaries();
	if (!installed) {
		console.error('Installing postgresql with apt-get failed: see the messages above.');
		process.exit(1);
	}
	return installed;
}

/**
 * A free TCP port on 127.0.0.1, found by letting the kernel pick one.
 * @returns {Promise<number>}
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('no port'))
			);
		});
	});
}

/**
 * The numeric uid and gid of the `postgres` user, which Debian's package creates.
 * @returns {{ uid: number, gid: number }}
 */
function postgresUser() {
	const id = (/** @type {string} */ flag) =>
		Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim() || NaN);
	const uid = id('-u');
	const gid = id('-g');
	if (Number.isNaN(uid) || Number.isNaN(gid)) {
		throw new Error(
			'PostgreSQL refuses to run as root and there is no `postgres` user to run it as ' +
				"(Debian's postgresql package creates one). Run the tests as another user, or install it."
		);
	}
	return { uid, gid };
}

/**
 * Runs one of the server binaries (as the `postgres` user when this process is root, since
 * PostgreSQL refuses to run as root) and throws with its output when it fails.
 * @param {string} binaries
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd a folder the postgres user can enter
 */
function runServerCommand(binaries, command, args, cwd) {
	const path = join(binaries, command);
	const [file, fileArgs] = isRoot()
		? ['runuser', ['-u', 'postgres', '--', path, ...args]]
		: [path, args];
	const result = spawnSync(file, fileArgs, { cwd, encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n` +
				`${result.stdout ?? ''}${result.stderr ?? ''}`
		);
	}
}

/**
 * Starts a new PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 and a free port
 * (and on a Unix socket inside that folder). Durable as in production (fsync stays on): the
 * durability tests run against it. `stop()` stops it at once and removes the folder; it also runs
 * when this process exits or is interrupted, so no cluster is left behind.
 * @returns {Promise<{ url: string, stop: () => void }>}
 */
export async function startThrowawayPostgres() {
	const binaries = findServerBinaries();
	if (!binaries) throw new Error(missingServerMessage);
	// As root the server runs as the postgres user, who must be able to reach the folder through
	// every folder above it: a TMPDIR inside a private folder (0700) would lock it out, so /tmp.
	const folder = mkdtempSync(join(isRoot() ? '/tmp' : tmpdir(), 'causeway-pg-'));
	const data = join(folder, 'data');
	const log = join(folder, 'postgres.log');
	if (isRoot()) {
		const { uid, gid } = postgresUser();
		chownSync(folder, uid, gid);
	}

	let started = false;
	const stop = () => {
		process.off('exit', stop);
		for (const signal of ['SIGINT', 'SIGTERM']) process.off(signal, stopAndRaise);
		if (started) {
			started = false;
			try {
				runServerCommand(binaries, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], folder);
			} catch (error) {
				console.error(`Stopping the test PostgreSQL cluster failed: ${error}`);
			}
		}
		rmSync(folder, { recursive: true, force: true });
	};
	/** Stops the cluster, then lets the signal do what it would have done without this listener. */
	const stopAndRaise = (/** @type {NodeJS.Signals} */ signal) => {
		stop();
		if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
	};
	process.on('exit', stop);
	for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, stopAndRaise);

	try {
		runServerCommand(
			binaries,
			'initdb',
			['-D', data, '--auth=trust', '--no-sync', '-U', 'postgres', '-E', 'UTF8', '--locale=C'],
			folder
		);
		// Another process may take the port between the probe and the server's bind: try again.
		for (let attempt = 1; ; attempt++) {
			const port = await freePort();
			try {
				runServerCommand(
					binaries,
					'pg_ctl',
					[
						...['-D', data, '-l', log, '-w', '-t', '60'],
						...['-o', `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1`, 'start']
					],
					folder
				);
				started = true;
				return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
			} catch (error) {
				if (attempt === 3) throw error;
			}
		}
	} catch (error) {
		const serverLog = existsSync(log) ? `\nServer log:\n${readFileSync(log, 'utf8')}` : '';
		stop();
		throw new Error(`Could not start a PostgreSQL cluster for the tests: ${error}${serverLog}`, {
			cause: error
		});
	}
}

/**
 * For a test run: reuses the cluster named by CAUSEWAY_TEST_POSTGRES when it is set (by
 * `npm test`, or by hand), otherwise starts one and sets that variable for the processes started
 * after this (test workers inherit it). `stop()` stops only a cluster started here.
 * @returns {Promise<{ url: string, stop: () => void }>}
 */
export async function useTestPostgres() {
	const given = process.env[TEST_POSTGRES_ENV];
	if (given) return { url: given, stop: () => {} };
	const startedAt = performance.now();
	const { url, stop } = await startThrowawayPostgres();
	const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
	console.log(`PostgreSQL for the tests: ${url} (started in ${seconds} s)`);
	process.env[TEST_POSTGRES_ENV] = url;
	return {
		url,
		stop: () => {
			stop();
			delete process.env[TEST_POSTGRES_ENV];
		}
	};
}
