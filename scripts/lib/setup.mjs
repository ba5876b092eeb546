// Set-up steps shared by `npm start`, `npm test` and `npm run bench`. Plain Node with no
// dependencies: these run before node_modules exists.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { ensurePostgres } from './postgres.mjs';

/** Runs a command with inherited output; returns its exit status. */
export function run(command, args, options = {}) {
	const result = spawnSync(command, args, { stdio: 'inherit', ...options });
	if (result.error) {
		console.error(`Could not run ${command}: ${result.error.message}`);
		return 1;
	}
	return result.status ?? 1;
}

/**
 * Like run(), without blocking: this process's signal handlers (the test cluster's clean-up in
 * postgres.mjs) still run when Ctrl+C arrives while the command runs.
 * @returns {Promise<number>}
 */
export function runWithoutBlocking(command, args, options = {}) {
	return new Promise((resolve) => {
		const child = spawn(command, args, { stdio: 'inherit', ...options });
		child.on('error', (error) => {
			console.error(`Could not run ${command}: ${error.message}`);
			resolve(1);
		});
		child.on('close', (status) => resolve(status ?? 1));
	});
}

/**
 * Like runWithoutBlocking(), with the command's output (stdout and stderr, in the order written)
 * kept rather than shown: for commands that run beside others, whose output is printed in one
 * piece when they end.
 * @returns {Promise<{ status: number, output: string }>}
 */
export function runCapturing(command, args, options = {}) {
	return new Promise((resolve) => {
		const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
		const chunks = [];
		child.stdout.on('data', (chunk) => chunks.push(chunk));
		child.stderr.on('data', (chunk) => chunks.push(chunk));
		child.on('error', (error) => {
			chunks.push(Buffer.from(`Could not run ${command}: ${error.message}\n`));
			resolve({ status: 1, output: Buffer.concat(chunks).toString() });
		});
		child.on('close', (status) =>
			resolve({ status: status ?? 1, output: Buffer.concat(chunks).toString() })
		);
	});
}

/** Stops with a clear message when Node is older than the project needs. */
function requireNode() {
	const [major, minor] = process.versions.node.split('.').map(Number);
	if (major < 20 || (major === 20 && minor < 19)) {
		console.error(`Causeway needs Node.js 20.19 or newer; this is ${process.versions.node}.`);
		process.exit(1);
	}
}

/**
 * Installs dependencies when node_modules is missing or older than package-lock.json
 * (npm writes node_modules/.package-lock.json on every install).
 */
function ensureDependencies() {
	const marker = 'node_modules/.package-lock.json';
	const stale =
		!existsSync(marker) || statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs;
	if (!stale) return;
	console.log('Installing dependencies (npm ci)…');
	if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) {
		console.error('npm ci failed: see the messages above.');
		process.exit(1);
	}
}

/** Where Playwright finds Chromium: CHROMIUM_PATH, or Debian's package. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Makes sure Debian's Chromium is installed for the browser tests: installs it with apt when
 * running as root, otherwise stops and says how.
 */
function ensureChromium() {
	if (existsSync(chromiumPath)) return;
	const root = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!root || process.env.CHROMIUM_PATH) {
		console.error(
			`Chromium is needed for the browser tests and was not found at ${chromiumPath}.\n` +
				"Install Debian's package as root:  apt-get update && apt-get install -y chromium\n" +
				"or point CHROMIUM_PATH at a Chromium or Chrome binary. (Playwright's own browser downloads are not used.)"
		);
		process.exit(1);
	}
	console.log("Installing Debian's chromium for the browser tests (apt-get)…");
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	if (
		run('apt-get', ['update', '-qq'], { env }) !== 0 ||
		run('apt-get', ['install', '-y', '-qq', 'chromium'], { env }) !== 0
	) {
		console.error('Installing chromium with apt-get failed: see the messages above.');
		process.exit(1);
	}
}

/**
 * What every command needs first: a recent enough Node and current dependencies, Debian's
 * Chromium when `browser` is set, and PostgreSQL's server binaries when `postgres` is set (for
 * the throwaway clusters of postgres.mjs). Returns the environment for the commands that follow,
 * with CHROMIUM_PATH pointing at that Chromium.
 */
export function prepare({ browser, postgres = false }) {
	requireNode();
	ensureDependencies();
	if (browser) ensureChromium();
	if (postgres) ensurePostgres();
	return { ...process.env, CHROMIUM_PATH: chromiumPath };
}
