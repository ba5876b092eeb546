// A database of its own for each test (or group of tests), in the throwaway cluster that the test
// run's global setup started (see postgres.global.ts). Used by vitest and Playwright tests alike.
import pg from 'pg';
import { TEST_POSTGRES_ENV } from '../../../../scripts/lib/postgres.mjs';

let created = 0;

/** The test cluster's address; fails loudly when the run has none, so no test skips quietly. */
function clusterUrl(): string {
	const url = process.env[TEST_POSTGRES_ENV];
	if (!url) {
		throw new Error(
			`${TEST_POSTGRES_ENV} is not set: run the tests through npm test, vitest (server project) ` +
				'or playwright, whose global setup starts a PostgreSQL cluster.'
		);
	}
	return url;
}

/** Runs one statement on the cluster's maintenance database. */
async function onCluster(sql: string): Promise<void> {
	const client = new pg.Client({ connectionString: clusterUrl() });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}

/**
 * Creates a new, empty database named after `label` and returns its URL; `drop()` removes it, closing any connection left
 * open to it.
 */
export async function freshPostgresDatabase(
	label: string
): Promise<{ url: string; drop(): Promise<void> }> {
	const slug = label
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.slice(0, 30);
	created += 1;
	// Unique across workers (pid), within one (counter) and across runs sharing a cluster (random);
	// at most 56 characters, under PostgreSQL's 63-byte limit on names.
	const name = `t_${slug}_${process.pid}_${created}_${Math.random().toString(36).slice(2, 8)}`;
	await onCluster(`CREATE DATABASE "${name}"`);
	const url = new URL(clusterUrl());
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: () => onCluster(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
	};
}
