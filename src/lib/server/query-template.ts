/**
 * Queries of the answer path built and compiled once, then run with each call's values. Building
 * a query with Kysely and compiling it to SQL cost more than SQLite's own point read (7.5 % of the
 * server's CPU at full load, with three such queries per answer: `BENCH_CPU_PROF`, issue 17), and
 * the SQL of these queries never changes; only their values do.
 */
import type { CompiledQuery } from 'kysely';
import { databaseKind } from './db';
import type { DatabaseKind } from './db-schema';
import type { Compilable } from './store';

/**
 * Where each parameter of the compiled query comes from: an argument (or a field of one, for a
 * row given whole to `values`), or a constant of the query.
 */
type Slot = { argument: number; field?: string } | { constant: unknown };

interface Compiled {
	query: CompiledQuery<unknown>;
	slots: Slot[];
}

/** What stands for a value while a template is compiled: no real value looks like it. */
const STAND = '\u0000query-template:';

/** A stand-in for each argument: a string, or a row of them for a row (by the first call's fields). */
function standIns(args: readonly unknown[]): unknown[] {
	return args.map((value, i) =>
		typeof value === 'object' && value !== null
			? Object.fromEntries(Object.keys(value).map((field) => [field, `${STAND}${i}.${field}`]))
			: `${STAND}${i}`
	);
}

/** The slot a parameter of the compiled template fills. */
function slotOf(value: unknown): Slot {
	if (typeof value !== 'string' || !value.startsWith(STAND)) return { constant: value };
	const [argument = '', field] = value.slice(STAND.length).split('.');
	return { argument: Number(argument), ...(field === undefined ? {} : { field }) };
}

/**
 * `build` as a template: the query it builds is compiled once per kind of database (their SQL
 * differs), and each call gives it the call's arguments as parameters. Every argument, or every
 * field of a row given whole to `values`, must reach the query as a value of its own, unchanged
 * (`where('code', '=', code)`), which is checked when it is compiled: an argument hashed or
 * reshaped in `build` first would be compiled as a constant, so it throws instead. A row must
 * have the same fields at every call (a table's row type).
 */
export function queryTemplate<A extends unknown[], R>(
	build: (...args: A) => Compilable<R>
): (...args: A) => Compilable<R> {
	const compiled = new Map<DatabaseKind, Compiled>();
	return (...args) => {
		const kind = databaseKind();
		let template = compiled.get(kind);
		if (!template) compiled.set(kind, (template = compile(build, args)));
		const { query, slots } = template;
		const parameters = slots.map((slot) => {
			if (!('argument' in slot)) return slot.constant;
			const value = args[slot.argument];
			return slot.field === undefined ? value : (value as Record<string, unknown>)[slot.field];
		});
		const bound = { ...query, parameters } as CompiledQuery<R>;
		return { compile: () => bound };
	};
}

function compile<A extends unknown[], R>(build: (...args: A) => Compilable<R>, args: A): Compiled {
	const stands = standIns(args);
	const query = build(...(stands as A)).compile();
	const slots = query.parameters.map(slotOf);
	const reached = new Set(
		slots.map((slot) => ('argument' in slot ? `${slot.argument}.${slot.field ?? ''}` : ''))
	);
	stands.forEach((stand, i) => {
		const fields = typeof stand === 'object' && stand !== null ? Object.keys(stand) : [''];
		for (const field of fields)
			if (!reached.has(`${i}.${field}`))
				throw new Error(
					`Query template: argument ${i + 1}${field ? ` (${field})` : ''} does not reach the query as a value of its own (${query.sql}).`
				);
	});
	return { query, slots };
}
