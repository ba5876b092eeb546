import { defineConfig, devices } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.E2E_PORT ?? 4173);
// A fresh database file per run, so tests never see an earlier run's data.
const database = join(tmpdir(), `causeway-e2e-${Date.now()}.sqlite`);

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

export default defineConfig({
	testDir: 'tests',
	outputDir: 'test-results',
	fullyParallel: true,
	workers: 2,
	retries: 0,
	timeout: 60_000,
	reporter: [['list']],
	// A throwaway PostgreSQL cluster for tests that start servers of their own on it (reused when
	// npm test started one). It starts after webServer below, so that server cannot use it.
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
		}
	],
	webServer: {
		command: 'node build',
		url: `http://127.0.0.1:${port}/healthz`,
		reuseExistingServer: false,
		timeout: 60_000,
		// The LRS stand-ins of the score-tracking tests listen on 127.0.0.1: allowed as a school
		// allows its own LRS on its network.
		env: {
			PORT: String(port),
			HOST: '127.0.0.1',
			DATABASE_URL: `sqlite:${database}`,
			LRS_ALLOWED_HOSTS: '127.0.0.1',
			// Every test creates its sessions from 127.0.0.1; the limit has a test of its own.
			SESSIONS_PER_HOUR_PER_ADDRESS: '100000'
		}
	}
});
