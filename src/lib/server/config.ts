/**
 * Reads the server's configuration from the environment once, so that a bad setting stops the
 * server at start-up with a message that says what to change, not a stack trace later.
 */

/** Where the database lives: a SQLite file, or a PostgreSQL server (the URL as given). */
export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** The default database file, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = './data/causeway.sqlite';

/** A setting the server cannot run with; its message is meant for the person starting it. */
export class ConfigError extends Error {
	override name = 'ConfigError';
}

/**
 * Parses `DATABASE_URL`: unset or empty → the default SQLite file; `sqlite:<path>` → that file;
 * `postgres://…` or `postgresql://…` → that PostgreSQL database (several server processes may
 * share it); anything else → a ConfigError naming the accepted forms.
 */
export function parseDatabaseUrl(url: string | undefined): DatabaseConfig {
	const value = url?.trim() ?? '';
	if (value === '') return { kind: 'sqlite', path: DEFAULT_SQLITE_PATH };
	if (value.startsWith('sqlite:')) {
		// sqlite:<path>, and the URL-like sqlite://<path> (sqlite:///abs/path for an absolute one).
		const rest = value.slice('sqlite:'.length);
		const path = rest.startsWith('//') ? rest.slice(2) : rest;
		if (path === '')
			throw new ConfigError(
				'DATABASE_URL=sqlite: needs a file path, for example sqlite:./data/causeway.sqlite'
			);
		return { kind: 'sqlite', path };
	}
	if (/^postgres(ql)?:\/\//.test(value)) {
		try {
			new URL(value);
		} catch {
			throw new ConfigError(
				'DATABASE_URL=postgres://… is not a valid URL; the form is postgres://user:password@host:5432/database'
			);
		}
		return { kind: 'postgres', url: value };
	}
	throw new ConfigError(
		`DATABASE_URL must be unset, sqlite:<path> or postgres://… (a PostgreSQL database); got a value starting "${value.split(':')[0]?.slice(0, 16)}:".`
	);
}

/** A positive whole number from a setting, or `fallback` when it is unset or not one. */
export function positiveSetting(value: string | undefined, fallback: number): number {
	const number = Number(value);
	return Number.isInteger(number) && number > 0 ? number : fallback;
}

/**
 * Connections one server process keeps to PostgreSQL when PG_POOL_SIZE is not set: PostgreSQL's
 * default of 100 connections then serves 9 processes with room for its own tools.
 */
export const DEFAULT_PG_POOL_SIZE = 10;

/** Participants one session takes when MAX_PARTICIPANTS is not set. */
export const DEFAULT_MAX_PARTICIPANTS = 2000;
/**
 * Sessions one address may create per hour when SESSIONS_PER_HOUR_PER_ADDRESS is not set: a
 * school behind one address can start 120 an hour (several hundred in a school day), while one
 * script cannot fill the database with thousands a minute.
 */
export const DEFAULT_SESSIONS_PER_HOUR = 120;
/**
 * Bytes per second a host's event stream may carry in dashboards when DASHBOARD_BYTES_PER_SECOND
 * is not set: with 2,000 students a dashboard is about 250 kB, so it is then sent every 2 s.
 */
export const DEFAULT_DASHBOARD_BYTES_PER_SECOND = 128 * 1024;

/**
 * Where answer keys may live. `client` (the default) sends the self-study page the whole pack so
 * that it grades on the device, offline too; `server` sends only questions without their keys and
 * grades every answer on the server.
 */
export const ANSWER_KEY_MODES = ['client', 'server'] as const;
export type AnswerKeyMode = (typeof ANSWER_KEY_MODES)[number];

/**
 * Parses `ANSWER_KEYS`: unset or `client` → the self-study page grades on the device (offline
 * too, so its answer keys are on the device); `server` → only the server holds answer keys.
 */
export function parseAnswerKeyMode(value: string | undefined): AnswerKeyMode {
	const mode = value?.trim() || 'client';
	if ((ANSWER_KEY_MODES as readonly string[]).includes(mode)) return mode as AnswerKeyMode;
	throw new ConfigError(
		`ANSWER_KEYS must be unset, ${ANSWER_KEY_MODES.join(' or ')}; got "${mode.slice(0, 16)}".`
	);
}

/**
 * Answers the server sends itself at start-up when WARM_UP_ANSWERS is not set (warm-up.ts): 4,000
 * took more than half of the cold cost away, 2,000 about a third (docs/BENCHMARKS.md, session
 * 12). A few seconds of start-up.
 */
export const DEFAULT_WARM_UP_ANSWERS = 4000;

/**
 * Parses `WARM_UP_ANSWERS`: unset or empty → the default; a whole number → that many (0: no
 * warm-up); anything else → a ConfigError.
 */
export function parseWarmUpAnswers(value: string | undefined): number {
	const text = value?.trim() ?? '';
	if (text === '') return DEFAULT_WARM_UP_ANSWERS;
	if (/^\d{1,7}$/.test(text)) return Number(text);
	throw new ConfigError(
		`WARM_UP_ANSWERS must be unset or a whole number of answers (0 for none); got "${text.slice(0, 16)}".`
	);
}
