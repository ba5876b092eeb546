/**
 * Starting the built server with each kind of DATABASE_URL. These tests need no browser page:
 * each starts its own `node build` on its own port (the suite's web server is left alone) and
 * always stops it afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { freshPostgresDatabase } from '../src/lib/server/testing/postgres';
import {
	assertPortFree,
	startServer as startOwnServer,
	stopServer as stopOwnServer
} from './lib/api-client';
import { testPort } from './lib/ports';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = join(ROOT, 'build');

interface Server {
	child: ChildProcess;
	port: number;
	output: { stdout: string; stderr: string };
	/** Resolves with the exit code (null when killed by a signal) once the process has ended. */
	exited: Promise<number | null>;
}

const started: Server[] = [];
const tempDirs: string[] = [];

function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'causeway-start-'));
	tempDirs.push(dir);
	return dir;
}

/** Starts `node <abs>/build` on `port`, with DATABASE_URL set to `databaseUrl` or unset. */
async function startServer(
	port: number,
	databaseUrl: string | undefined,
	cwd = ROOT
): Promise<Server> {
	await assertPortFree(port);
	// The warm-up shorter, as in tests/lib/api-client.ts.
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		WARM_UP_ANSWERS: '200'
	};
	delete env.DATABASE_URL;
	if (databaseUrl !== undefined) env.DATABASE_URL = databaseUrl;
	const child = spawn(process.execPath, [BUILD], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
	const output = { stdout: '', stderr: '' };
	child.stdout?.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
	const exited = new Promise<number | null>((resolve) => {
		if (child.exitCode !== null) resolve(child.exitCode);
		else child.once('exit', (code) => resolve(code));
	});
	const server = { child, port, output, exited };
	started.push(server);
	return server;
}

/** Resolves with the exit code, or with 'running' if the process is still up after `ms`. */
function exitWithin(server: Server, ms: number): Promise<number | null | 'running'> {
	return Promise.race([
		server.exited,
		new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), ms))
	]);
}

/** Polls /healthz until it answers; fails if the server exits or takes longer than `ms`. */
async function healthz(server: Server, ms = 20_000): Promise<Response> {
	const deadline = Date.now() + ms;
	let exitCode: number | null | undefined;
	void server.exited.then((code) => (exitCode = code));
	while (Date.now() < deadline) {
		if (exitCode !== undefined) {
			throw new Error(
				`The server exited with ${exitCode} before answering:\n${server.output.stderr}`
			);
		}
		try {
			return await fetch(`http://127.0.0.1:${server.port}/healthz`);
		} catch {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
	throw new Error(`No answer on port ${server.port} within ${ms} ms:\n${server.output.stderr}`);
}

test.beforeAll(() => {
	if (!existsSync(join(BUILD, 'index.js'))) {
		throw new Error(`${BUILD} has no index.js: run \`npx vite build\` first.`);
	}
});

test.afterEach(async () => {
	for (const server of started.splice(0)) {
		if (server.child.exitCode === null && server.child.signalCode === null) {
			server.child.kill('SIGTERM');
			const ended = await exitWithin(server, 5_000);
			if (ended === 'running') server.child.kill('SIGKILL');
		}
	}
	for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test('DATABASE_URL=postgres://… of a server that does not answer stops the server with a message, no stack trace and no password', async () => {
	const server = await startServer(
		testPort('serverStart', 0),
		'postgres://u:hunter2@127.0.0.1:1/db'
	);
	const code = await exitWithin(server, 10_000);
	expect(code, 'the server should have exited').not.toBe('running');
	expect(code).not.toBe(0);
	expect(code).not.toBeNull();
	// Give the pipes a moment to drain what was written just before the exit.
	await new Promise((resolve) => setTimeout(resolve, 100));
	const { stderr, stdout } = server.output;
	expect(stderr).toContain('Causeway cannot start: the database PostgreSQL 127.0.0.1:1/db');
	expect(stderr).toContain('ECONNREFUSED');
	expect(stderr + stdout).not.toContain('hunter2');
	expect(stderr + stdout).not.toMatch(/^ {4}at /m);
	expect(stdout).not.toContain('Listening on');
});

test('DATABASE_URL=sqlite:<nested path> creates the folders and the file, and /healthz answers', async () => {
	const dir = tempDir();
	const file = join(dir, 'nested', 'dir', 'c.sqlite');
	expect(existsSync(join(dir, 'nested'))).toBe(false);
	const server = await startServer(testPort('serverStart', 1), `sqlite:${file}`);
	const response = await healthz(server);
	expect(response.status).toBe(200);
	const body = (await response.json()) as { ok: unknown; database: unknown };
	expect(body).toMatchObject({ ok: true, database: true });
	expect(statSync(join(dir, 'nested', 'dir')).isDirectory()).toBe(true);
	expect(statSync(file).isFile()).toBe(true);
	expect(server.output.stderr).not.toMatch(/^ {4}at /m);
});

test('DATABASE_URL unset: ./data/causeway.sqlite is created in the working directory', async () => {
	const cwd = tempDir();
	const server = await startServer(testPort('serverStart', 2), undefined, cwd);
	const response = await healthz(server);
	expect(response.status).toBe(200);
	expect(await response.json()).toMatchObject({ ok: true });
	expect(statSync(join(cwd, 'data', 'causeway.sqlite')).isFile()).toBe(true);
});

test('DATABASE_URL=mysql://… stops the server with the accepted forms, and no stack trace', async () => {
	const server = await startServer(testPort('serverStart', 3), 'mysql://localhost/db');
	const code = await exitWithin(server, 10_000);
	expect(code, 'the server should have exited').not.toBe('running');
	expect(code).not.toBe(0);
	await new Promise((resolve) => setTimeout(resolve, 100));
	expect(server.output.stderr).toContain('sqlite:<path>');
	expect(server.output.stderr + server.output.stdout).not.toMatch(/^ {4}at /m);
});

// A SQLite path that cannot be opened is a setting the person starting the server must change,
// like a postgres:// URL: it should stop the server with a message, not a better-sqlite3 stack.
test('DATABASE_URL=sqlite:<a folder> stops the server with a message and no stack trace', async () => {
	const dir = tempDir();
	const server = await startServer(testPort('serverStart', 4), `sqlite:${dir}`);
	const code = await exitWithin(server, 10_000);
	expect(code, 'the server should have exited').not.toBe('running');
	expect(code).not.toBe(0);
	await new Promise((resolve) => setTimeout(resolve, 100));
	expect(server.output.stderr).toContain('Causeway cannot start');
	expect(server.output.stderr + server.output.stdout).not.toMatch(/^ {4}at /m);
});

test('on PostgreSQL, SIGTERM ends the server: its pool and its LISTEN connection are closed', async () => {
	// Without closing them on adapter-node's shutdown event they kept the process alive for good
	// (a stop by systemd or a process manager waited for its timeout, then killed it).
	const database = await freshPostgresDatabase('sigterm');
	try {
		const server = await startServer(testPort('serverStart', 5), database.url);
		expect((await healthz(server)).status).toBe(200);
		server.child.kill('SIGTERM');
		expect(await exitWithin(server, 5_000)).toBe(0);
	} finally {
		await database.drop();
	}
});

test('behind a proxy (ADDRESS_HEADER set), a request that bypassed it is a 400 that says why, not a 500', async () => {
	const dir = tempDir();
	const server = await startOwnServer(
		testPort('serverStart', 6),
		join(dir, 'proxied.sqlite'),
		undefined,
		{
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1'
		}
	);
	try {
		const direct = await fetch(`${server.baseURL}/api/sessions/ABCDEF`);
		expect(direct.status).toBe(400);
		expect(((await direct.json()) as { message: string }).message).toContain('through its proxy');
		const proxied = await fetch(`${server.baseURL}/api/sessions/ABCDEF`, {
			headers: { 'x-forwarded-for': '203.0.113.7' }
		});
		expect(proxied.status).toBe(404);
	} finally {
		await stopOwnServer(server);
	}
});

test('a test does not start its server on a port something already answers on', async () => {
	// Two test files once shared ports: a server that could not bind exited, and the other file's
	// server answered the test instead. Here a stand-in answers /healthz with a 200, as any
	// server of ours would.
	const port = testPort('serverStart', 7);
	const squatter = createServer((_, res) => res.end('{}'));
	await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
	try {
		await expect(startOwnServer(port, join(tempDir(), 'taken.sqlite'))).rejects.toThrow(
			`Port ${port} is in use`
		);
	} finally {
		await new Promise((resolve) => squatter.close(resolve));
	}
});
