import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_POSTGRES_ENV } from '../../../../scripts/lib/postgres.mjs';
import { freshPostgresDatabase } from './postgres.ts';

/** Connected clients, ended after each test whatever happened. */
const clients: pg.Client[] = [];
async function connect(url: string): Promise<pg.Client> {
	const client = new pg.Client({ connectionString: url });
	// drop() ends the connections still open to its database (57P01, "terminating connection due
	// to administrator command"): expected here, and an unhandled 'error' event otherwise.
	client.on('error', () => {});
	clients.push(client);
	await client.connect();
	return client;
}
afterEach(async () => {
	await Promise.all(clients.splice(0).map((client) => client.end().catch(() => {})));
});

/** Whether the cluster holds a database of that name. */
async function databaseExists(name: string): Promise<boolean> {
	const admin = await connect(process.env[TEST_POSTGRES_ENV] ?? '');
	const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
	return rows.length === 1;
}

describe('the throwaway PostgreSQL cluster of the test run', () => {
	it('is named in the workers’ environment by the global setup', () => {
		expect(process.env[TEST_POSTGRES_ENV]).toMatch(
			/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/
		);
	});

	it('gives a fresh database that stores rows, carries LISTEN/NOTIFY, and is gone after drop()', async () => {
		const database = await freshPostgresDatabase('harness proof');
		const name = new URL(database.url).pathname.slice(1);
		try {
			const writer = await connect(database.url);
			await writer.query('CREATE TABLE answer (id serial PRIMARY KEY, points double precision)');
			await writer.query('INSERT INTO answer (points) VALUES ($1), ($2)', [7.5, 10]);
			const { rows } = await writer.query('SELECT points FROM answer ORDER BY id');
			expect(rows).toEqual([{ points: 7.5 }, { points: 10 }]);

			const listener = await connect(database.url);
			const received = new Promise<pg.Notification>((resolve) =>
				listener.once('notification', resolve)
			);
			await listener.query('LISTEN causeway_harness');
			await writer.query("SELECT pg_notify('causeway_harness', 'answer committed')");
			const notification = await received;
			const writerBackend = await writer.query('SELECT pg_backend_pid() AS pid');
			expect(notification).toMatchObject({
				processId: writerBackend.rows[0].pid,
				channel: 'causeway_harness',
				payload: 'answer committed'
			});

			expect(await databaseExists(name)).toBe(true);
		} finally {
			// drop() must succeed with connections still open: WITH (FORCE) closes them.
			await database.drop();
		}
		expect(await databaseExists(name)).toBe(false);
	});

	it('gives every call a database of its own', async () => {
		const [first, second] = await Promise.all([
			freshPostgresDatabase('same label'),
			freshPostgresDatabase('same label')
		]);
		try {
			expect(first.url).not.toBe(second.url);
		} finally {
			await Promise.all([first.drop(), second.drop()]);
		}
	});
});
