import { describe, expect, it } from 'vitest';
import {
	ConfigError,
	DEFAULT_SQLITE_PATH,
	DEFAULT_WARM_UP_ANSWERS,
	parseDatabaseUrl,
	parseWarmUpAnswers
} from './config';

/** The ConfigError that parsing `url` throws. */
function refusal(url: string): ConfigError {
	try {
		parseDatabaseUrl(url);
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError);
		return error as ConfigError;
	}
	throw new Error(`parseDatabaseUrl(${JSON.stringify(url)}) did not throw`);
}

describe('parseDatabaseUrl', () => {
	it('the default file is ./data/causeway.sqlite', () => {
		expect(DEFAULT_SQLITE_PATH).toBe('./data/causeway.sqlite');
	});

	it.each([
		['unset', undefined],
		['empty', ''],
		['whitespace', ' \t\n ']
	])('%s → the default SQLite file', (_what, url) => {
		expect(parseDatabaseUrl(url)).toEqual({ kind: 'sqlite', path: './data/causeway.sqlite' });
	});

	it.each([
		['sqlite:./x.db', './x.db'],
		['sqlite:x.db', 'x.db'],
		['sqlite:/var/lib/causeway/db.sqlite', '/var/lib/causeway/db.sqlite'],
		['sqlite:///var/lib/causeway/db.sqlite', '/var/lib/causeway/db.sqlite'],
		['  sqlite:./x.db  ', './x.db'],
		['sqlite:./data dir/x.db', './data dir/x.db']
	])('%j → that file', (url, path) => {
		expect(parseDatabaseUrl(url)).toEqual({ kind: 'sqlite', path });
	});

	it.each(['sqlite:', ' sqlite: '])('%j alone → a ConfigError asking for a path', (url) => {
		const error = refusal(url);
		expect(error.message).toContain('needs a file path');
		expect(error.message).toContain('sqlite:./data/causeway.sqlite');
	});

	it.each([
		'postgres://u:p@h/db',
		'postgresql://u:p@h:5432/db',
		'postgres://localhost/causeway?sslmode=require'
	])('%s → that PostgreSQL database, the URL as given', (url) => {
		expect(parseDatabaseUrl(url)).toEqual({ kind: 'postgres', url });
	});

	it('postgres:// that is not a URL → a ConfigError giving the form, not the value', () => {
		const error = refusal('postgres://u:hunter2@[bad/db');
		expect(error.message).toContain('postgres://user:password@host:5432/database');
		expect(error.message).not.toContain('hunter2');
	});

	it.each(['mysql://u:p@h/db', 'sqlite3:./x.db', 'file:./x.db', './x.db', 'SQLITE:./x.db'])(
		'%s → a ConfigError naming the accepted forms',
		(url) => {
			const error = refusal(url);
			expect(error.message).toContain('DATABASE_URL must be unset, sqlite:<path> or postgres://');
		}
	);

	it('names only the scheme of a value it refuses, never its credentials', () => {
		const error = refusal('mysql://user:hunter2@db/x');
		expect(error.message).toContain('got a value starting "mysql:"');
		expect(error.message).not.toContain('hunter2');
		expect(error.message).not.toContain('user');
	});

	it.each([
		['sqlite://./x.db', './x.db'],
		['sqlite://data/x.db', 'data/x.db']
	])('%s (URL-like form) → %s', (url, path) => {
		expect(parseDatabaseUrl(url)).toEqual({ kind: 'sqlite', path });
	});

	it('sqlite:// with no path → a ConfigError', () => {
		expect(refusal('sqlite://').message).toContain('needs a file path');
	});

	it('a ConfigError is an Error named ConfigError', () => {
		const error = refusal('mysql://h/db');
		expect(error).toBeInstanceOf(Error);
		expect(error.name).toBe('ConfigError');
	});
});

describe('parseWarmUpAnswers', () => {
	it.each([
		[undefined, DEFAULT_WARM_UP_ANSWERS],
		['', DEFAULT_WARM_UP_ANSWERS],
		['0', 0],
		[' 250 ', 250]
	])('%j → %d', (value, answers) => {
		expect(parseWarmUpAnswers(value)).toBe(answers);
	});

	it.each(['-1', '1.5', 'lots', '99999999'])('%j → a ConfigError naming the setting', (value) => {
		expect(() => parseWarmUpAnswers(value)).toThrow(ConfigError);
		expect(() => parseWarmUpAnswers(value)).toThrow(/WARM_UP_ANSWERS/);
	});
});
