/**
 * The PostgreSQL store, for several server processes on one database: a pool of connections,
 * each write a transaction of its own that locks the session row it depends on (see `Tx.locking`),
 * and the facts it announces sent with it by NOTIFY, so that they reach the other processes only
 * if, and once, it commits (`bus.ts` listens).
 */
import {
	Kysely,
	PostgresDialect,
	sql,
	type PostgresPool,
	type PostgresPoolClient,
	type Transaction
} from 'kysely';
import pg from 'pg';
import type { Schema } from './db-schema';
import type { Fact } from './facts';
import type { InjectedFault, Read, Store, Tx } from './store';

/** The channel every process listens on and notifies. */
export const FACTS_CHANNEL = 'causeway_facts';

/** PostgreSQL takes notification payloads shorter than 8,000 bytes. */
const MAX_PAYLOAD_BYTES = 7999;

/**
 * Counts (`count(*)`) and milliseconds (`bigint`) come back from `pg` as strings by default, to
 * be safe beyond 2^53; ours stay far below it, and the code reads them as numbers on both stores.
 */
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => Number(text));

/** This process, in each notification it sends, so that it does not act twice on its own facts. */
export const PROCESS_ID = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

let sent = 0;

/**
 * A fact as a notification's payload: unique (PostgreSQL merges identical payloads sent in one
 * transaction), and, when too big for a notification, a resync that makes listeners read again.
 */
export function payloadOf(fact: Fact): string {
	sent += 1;
	const payload = JSON.stringify({ from: PROCESS_ID, n: sent, fact });
	if (Buffer.byteLength(payload) <= MAX_PAYLOAD_BYTES) return payload;
	return JSON.stringify({ from: PROCESS_ID, n: sent, fact: { kind: 'resync', code: fact.code } });
}

/** A new pool on `url`, with a handler for connections that fail while idle. */
export function poolOf(url: string, max: number): pg.Pool {
	// An answer is acknowledged once its commit is on disk: whatever the server's default, this
	// pool's commits wait for their WAL flush (its replicas' too, where synchronous ones exist).
	const pool = new pg.Pool({ connectionString: url, max, options: '-c synchronous_commit=on' });
	// An idle connection whose server went away must not take the process down with it: the pool
	// drops it and the next query opens a new one.
	pool.on('error', (error) => console.error('A PostgreSQL connection failed while idle:', error));
	return pool;
}

/** Names of the statements prepared so far, by their SQL text (the same on every connection). */
const statementNames = new Map<string, string>();

/**
 * The pool as Kysely sees it, each query run as a named prepared statement: PostgreSQL parses and
 * plans a statement once per connection instead of once per query, which on the answer path was
 * a third of the database's time. Kysely builds a bounded set of statement texts (parameters are
 * always bound), so the names stay few.
 */
function preparingPool(pool: pg.Pool): PostgresPool {
	const clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();
	const preparing = (client: pg.PoolClient) => ({
		query(text: string, values: readonly unknown[]) {
			let name = statementNames.get(text);
			if (!name) statementNames.set(text, (name = `causeway_${statementNames.size + 1}`));
			return client.query({ name, text, values: [...values] });
		},
		release: () => client.release()
	});
	return {
		async connect() {
			const client = await pool.connect();
			let wrapped = clients.get(client);
			if (!wrapped) {
				// Kysely reads the rows and counts of what `pg` returns; it never uses a cursor here.
				wrapped = preparing(client) as unknown as PostgresPoolClient;
				clients.set(client, wrapped);
			}
			return wrapped;
		},
		end: () => pool.end()
	};
}

/** A PostgreSQL store on `url`; `poolSize` connections at most. */
export function openPostgresStore(url: string, poolSize: number): Store {
	const db = new Kysely<Schema>({
		dialect: new PostgresDialect({ pool: preparingPool(poolOf(url, poolSize)) })
	});
	let injected: InjectedFault = 'none';

	const readOn =
		(executor: Kysely<Schema> | Transaction<Schema>): Read =>
		async (query) =>
			(await executor.executeQuery(query.compile())).rows;

	/**
	 * The fault a test switched on, made by PostgreSQL itself: a read-only transaction (SQLSTATE
	 * 25006 on the first write) or an error with a full disk's SQLSTATE, 53100.
	 */
	const startFault = async (trx: Transaction<Schema>) => {
		if (injected === 'readonly') await sql`set transaction read only`.execute(trx);
		if (injected === 'full')
			await sql`do $$ begin raise exception 'could not extend file: No space left on device' using errcode = '53100'; end $$`.execute(
				trx
			);
	};

	return {
		kind: 'postgres',
		db,
		rows: readOn(db),
		together: (work) =>
			db
				.transaction()
				.setIsolationLevel('repeatable read')
				.setAccessMode('read only')
				.execute((trx) => work(readOn(trx))),
		write<T>(work: (tx: Tx) => Promise<T>) {
			return db.transaction().execute(async (trx) => {
				await startFault(trx);
				const facts: Fact[] = [];
				const value = await work({
					all: readOn(trx),
					announce: (fact) => facts.push(fact),
					locking: (query, mode) => (mode === 'share' ? query.forShare() : query.forUpdate())
				});
				// Sent with the transaction: delivered once it commits, never if it rolls back.
				for (const fact of facts)
					await sql`select pg_notify(${FACTS_CHANNEL}, ${payloadOf(fact)})`.execute(trx);
				return { value, facts };
			});
		},
		// PostgreSQL refuses a write it cannot take when the write is made: nothing more to ask.
		checkWritable: async () => {},
		// Every transaction asks the server anew: there is no connection to replace.
		recover: () => {},
		injectFault(fault) {
			injected = fault;
		},
		// PostgreSQL removes deleted rows by itself (VACUUM); its log is its own to recycle.
		scrub: () => {},
		close: () => db.destroy()
	};
}
