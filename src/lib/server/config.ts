/**
 * Reads the server's configuration from the environment once, so that a bad setting stops the
 * server at start-up with a message that says what to change, not a stack trace later.
 */

/** Where the database lives. */
export type DatabaseConfig = { kind: 'sqlite'; path: string };

/** The default database file, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = './data/causeway.sqlite';

/** A setting the server cannot run with; its message is meant for the person starting it. */
export class ConfigError extends Error {
	override name = 'ConfigError';
}

/**
 * Parses `DATABASE_URL`: unset or empty → the default SQLite file; `sqlite:<path>` → that file;
 * `postgres://…` → not supported yet; anything else → a ConfigError naming the accepted forms.
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
		throw new ConfigError(
			'DATABASE_URL=postgres://… is not supported yet: Causeway runs on SQLite for now. ' +
				'Unset DATABASE_URL to use ./data/causeway.sqlite, or set DATABASE_URL=sqlite:<path>.'
		);
	}
	throw new ConfigError(
		`DATABASE_URL must be unset, sqlite:<path> or postgres://… (not supported yet); got a value starting "${value.split(':')[0]?.slice(0, 16)}:".`
	);
}
