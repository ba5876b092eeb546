/**
 * The ports of every server the end-to-end tests start, in one table.
 *
 * Why: Playwright runs two workers side by side, and files that picked their ports on their own
 * shared some (hardening's 4390 and up took server-start's and multi-process's). A server that
 * cannot bind its port exits, and the test's health check is answered by the other file's server
 * instead: a test of a stream cap of 5 was served by a server with the default 500 (CI, session
 * 13). Here each file has a block of its own, and the blocks are checked not to overlap as this
 * module loads; `startServer` (api-client.ts) also refuses a port something already answers on.
 *
 * Every block starts at E2E_PORT_BASE (4380) plus its offset, unless its own variable says
 * otherwise; the suite's two web servers are E2E_PORT and E2E_PG_PORT. Moving the base moves
 * them all: `scripts/check-protections.mjs` does, to run beside a developer's tests.
 */

const base = Number(process.env.E2E_PORT_BASE ?? 4380);

/** Each block: the variable that can move it, its offset from the base, how many ports it has. */
const BLOCKS = {
	crash: { variable: 'E2E_CRASH_PORT', offset: 2, size: 1 },
	/** The join-code guessing limit: SQLite on the first two, PostgreSQL on the next two. */
	rateLimit: { variable: 'E2E_RATE_PORT', offset: 3, size: 4 },
	answerKeys: { variable: 'E2E_KEYS_PORT', offset: 7, size: 1 },
	/** SQLite, then PostgreSQL. */
	frontDoor: { variable: 'E2E_FRONT_DOOR_PORT', offset: 8, size: 2 },
	hardening: { variable: 'E2E_HARDENING_PORT', offset: 10, size: 13 },
	multiProcess: { variable: 'E2E_MULTI_PORT', offset: 23, size: 2 },
	serverStart: { variable: 'E2E_START_PORT', offset: 25, size: 8 }
} as const;

export type PortBlock = keyof typeof BLOCKS;

/** The first port of each block, and the suite's web servers'. */
const first = {
	web: Number(process.env.E2E_PORT ?? 4173),
	webPostgres: Number(process.env.E2E_PG_PORT ?? 4174),
	...(Object.fromEntries(
		Object.entries(BLOCKS).map(([name, block]) => [
			name,
			Number(process.env[block.variable] ?? base + block.offset)
		])
	) as Record<PortBlock, number>)
};

const sizes: Record<keyof typeof first, number> = {
	web: 1,
	webPostgres: 1,
	...(Object.fromEntries(Object.entries(BLOCKS).map(([name, b]) => [name, b.size])) as Record<
		PortBlock,
		number
	>)
};

// Two blocks that overlap would bring back the failure this module exists for: say so at once.
const spans = Object.entries(first).map(([name, port]) => ({
	name,
	from: port,
	to: port + sizes[name as keyof typeof first] - 1
}));
for (const a of spans) {
	if (!Number.isInteger(a.from) || a.from <= 0 || a.to > 65_535)
		throw new Error(`Test ports: ${a.name} would listen on ${a.from}–${a.to}.`);
	for (const b of spans) {
		if (a.name < b.name && a.from <= b.to && b.from <= a.to)
			throw new Error(
				`Test ports overlap: ${a.name} (${a.from}–${a.to}) and ${b.name} (${b.from}–${b.to}).`
			);
	}
}

/** Port `index` (from 0) of a block; an index past its size is a mistake in the test. */
export function testPort(block: keyof typeof first, index = 0): number {
	if (!(index >= 0 && index < sizes[block]))
		throw new Error(`Test ports: ${block} has ${sizes[block]} ports, not an index ${index}.`);
	return first[block] + index;
}
