import { defineConfig, devices } from '@playwright/test';
import type { StoreOptions } from './tests/lib/api-client';
import { testPort } from './tests/lib/ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = testPort('web');
// The same server on PostgreSQL, for the tests that run on both stores (project `postgres`).
const postgresPort = testPort('webPostgres');
// A fresh database file per run, so tests never see an earlier run's data.
const database = join(tmpdir(), `causeway-e2e-${Date.now()}.sqlite`);

/** The settings both web servers run with, whatever their store. */
const serverEnv = {
	HOST: '127.0.0.1',
	// The LRS stand-ins of the score-tracking tests listen on 127.0.0.1: allowed as a school
	// allows its own LRS on its network.
	LRS_ALLOWED_HOSTS: '127.0.0.1',
	// Every test creates its sessions from 127.0.0.1; the limit has a test of its own.
	SESSIONS_PER_HOUR_PER_ADDRESS: '100000',
	// The start-up warm-up runs, shorter: the tests start many servers and measure no speed.
	WARM_UP_ANSWERS: '200'
};

/** Debian's Chromium with the flags this closed network needs (no background calls home). */
export const chromiumLaunch = {
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-dev-shm-usage',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run',
		'--disable-quic'
	]
};

export default defineConfig<StoreOptions>({
	testDir: 'tests',
	outputDir: 'test-results',
	fullyParallel: true,
	workers: 2,
	retries: 0,
	timeout: 60_000,
	reporter: [['list']],
	// The PostgreSQL cluster for tests that start servers of their own on it: the one the
	// `postgres` web server below uses (Playwright starts web servers first and takes the address
	// from its output), which is npm test's when it started one.
	globalSetup: './src/lib/server/testing/postgres.global.ts',
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		launchOptions: chromiumLaunch,
		trace: 'off',
		// The offline service worker would answer from its cache and hide what the server does;
		// tests/offline.test.ts turns it back on.
		serviceWorkers: 'block',
		screenshot: 'only-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			grepInvert: /@quiet/,
			use: {
				...devices['Desktop Chrome'],
				viewport: { width: 1280, height: 800 },
				launchOptions: chromiumLaunch
			}
		},
		{
			// Latency limits (tagged @quiet): `npm run test:e2e` runs them after every other test has
			// finished, so that what they time is the server, not the rest of the suite sharing the
			// machine.
			name: 'quiet',
			grep: /@quiet/,
			use: {
				...devices['Desktop Chrome'],
				viewport: { width: 1280, height: 800 },
				launchOptions: chromiumLaunch
			}
		},
		{
			// The API tests again, against the web server on PostgreSQL: both stores must serve the
			// same API. `npm run test:e2e` runs it beside chromium.
			name: 'postgres',
			testMatch: /classroom-api\.test\.ts/,
			grepInvert: /@quiet/,
			use: {
				...devices['Desktop Chrome'],
				viewport: { width: 1280, height: 800 },
				launchOptions: chromiumLaunch,
				baseURL: `http://127.0.0.1:${postgresPort}`,
				store: 'postgres'
			}
		}
	],
	webServer: [
		{
			command: 'node build',
			url: `http://127.0.0.1:${port}/healthz`,
			reuseExistingServer: false,
			timeout: 60_000,
			env: { ...serverEnv, PORT: String(port), DATABASE_URL: `sqlite:${database}` }
		},
		{
			name: 'postgres',
			command: 'node --import tsx scripts/serve-on-test-postgres.ts',
			// Ready once it prints the cluster it serves from (after /healthz answered): Playwright
			// stores the address in its environment, where global setup and the workers find it.
			wait: { stdout: /CAUSEWAY_TEST_POSTGRES=(?<causeway_test_postgres>postgres:\S+)/ },
			reuseExistingServer: false,
			timeout: 60_000,
			// Not Playwright's default SIGKILL: the script must stop the server, then the cluster.
			gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
			env: { ...serverEnv, PORT: String(postgresPort) }
		}
	]
});
