// Shows that each hardening test guards something: for every protection, a scratch clone of the
// committed HEAD gets that one protection switched off by an exact edit, is built, and runs only
// the guarding test, which must fail; the same tests must pass on an unmodified clone.
//
//   node scripts/check-protections.mjs
//   PROTECTIONS_ONLY='nickname' node scripts/check-protections.mjs   (only cases whose name has it)
//
// Exits 1 if a guard passes with its protection off, fails with it on, or could not run at all.
// docs/HARDENING.md describes each protection and holds the table of a real run.
import { spawnSync } from 'node:child_process';
import {
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	symlinkSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// Ports of their own, clear of the developer's (4173–4174, 4382–4412: tests/lib/ports.ts), so
// that this can run beside them: the two web servers, and every block of the tests' own servers
// moved with its base. The same variables in the environment move them (several people may run
// this on one machine).
const PORTS = {
	E2E_PORT: process.env.E2E_PORT ?? '4601',
	E2E_PG_PORT: process.env.E2E_PG_PORT ?? '4602',
	E2E_PORT_BASE: process.env.E2E_PORT_BASE ?? '4700'
};
/** A guard that takes longer than this is stuck, not slow (the slowest takes about 10 s). */
const RUN_TIMEOUT_MS = 5 * 60_000;
const HARDENING = 'tests/hardening.test.ts';
const ANSWER_KEYS = 'tests/answer-keys.test.ts';
const MULTI_PROCESS = 'tests/multi-process.test.ts';
/** Everything this run writes: the clones, and (as TMPDIR) the test databases and servers' files. */
const SCRATCH = mkdtempSync(join(tmpdir(), 'causeway-protections-'));
const TEMP = join(SCRATCH, 'tmp');

/** Source lines joined with newlines, so that multi-line patterns stay readable. */
const lines = (...source) => source.join('\n');

/**
 * Each protection, the one edit that switches it off, and the test that must notice. `find` must
 * occur exactly once in `file` at HEAD; otherwise the script stops before running anything.
 */
const allCases = [
	{
		name: 'Body must be JSON (readBody)',
		file: 'src/lib/server/http.ts',
		// Without the try/catch a malformed body throws a SyntaxError: a 500 instead of a 400.
		find: lines(
			'\tlet body: unknown;',
			'\ttry {',
			'\t\tbody = JSON.parse(text);',
			'\t} catch {',
			"\t\terror(400, 'The body must be JSON.');",
			'\t}'
		),
		replace: '\tconst body: unknown = JSON.parse(text);',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'random and malformed bodies'] }
	},
	{
		name: 'Body must match its schema (readBody)',
		file: 'src/lib/server/http.ts',
		// Any parsed JSON reaches the endpoint as if it were valid.
		find: lines(
			'\tconst parsed = v.safeParse(schema, body);',
			'\tif (!parsed.success) {',
			'\t\tconst issue = parsed.issues[0];',
			'\t\tconst path = v.getDotPath(issue);',
			'\t\terror(400, path ? `${path}: ${issue.message}` : issue.message);',
			'\t}',
			'\treturn parsed.output;'
		),
		replace: '\treturn body as v.InferOutput<S>;',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'random and malformed bodies'] }
	},
	{
		name: 'Storage fault is a 503 with a message',
		file: 'src/hooks.server.ts',
		// handleError no longer recognises a storage fault, so `handle` never turns it into a 503.
		find: 'const fault = storageFault(error);',
		replace: 'const fault: string | undefined = undefined;',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'a read-only or full database'] }
	},
	{
		name: 'Join-code guessing limit',
		file: 'src/lib/server/http.ts',
		// An address over the limit is never refused.
		find: 'function tooManyGuesses(): never {\n',
		replace: 'function tooManyGuesses(): void {\n\treturn;\n',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'join-code guessing from one address'] }
	},
	{
		name: 'Event streams capped per address',
		file: 'src/lib/server/hub.ts',
		find: 'if (open >= STREAMS_PER_ADDRESS) {',
		replace: 'if (false && open >= STREAMS_PER_ADDRESS) {',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'event streams from one address'] }
	},
	{
		name: 'Answer acknowledged only after its commit',
		file: 'src/lib/server/sqlite-store.ts',
		// Settle every job as soon as its work has run, and COMMIT 200 ms later. New writes wait in
		// the queue meanwhile (`flushing` stays true), so nothing else changes: no refused writes,
		// no nested transaction; only the order of acknowledgement and commit.
		find: "\t\t\trun('COMMIT');\n",
		replace: lines(
			'\t\t\tjobs.forEach((job, i) => {',
			'\t\t\t\tconst outcome = outcomes[i];',
			'\t\t\t\tif (outcome?.ok) job.resolve({ value: outcome.value, facts: outcome.facts });',
			'\t\t\t\telse job.reject(outcome?.reason);',
			'\t\t\t});',
			'\t\t\tawait new Promise((resolve) => setTimeout(resolve, 200));',
			"\t\t\trun('COMMIT');",
			'\t\t\treturn;',
			''
		),
		guard: { kind: 'playwright', args: ['tests/classroom-crash.test.ts'] }
	},
	{
		name: 'Commit on disk before the ack (the store flushes the log first)',
		file: 'src/lib/server/sqlite-store.ts',
		// The crash test cannot see this one (a killed process leaves the OS cache to finish the
		// write); only the store's own test, which holds the flush, can.
		find: '\t\t\tawait syncFile(logFd);',
		replace: '\t\t\tvoid syncFile(logFd);',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/sqlite-store.test.ts', '-t', 'settles a write only once the flush']
		}
	},
	{
		name: 'A flush settles only the groups committed before it started',
		file: 'src/lib/server/sqlite-store.ts',
		// The groups that commit during a flush would be settled by it, before they are on disk.
		find: '\t\tconst waiting = unflushed;\n\t\tunflushed = [];\n',
		replace: '\t\tconst waiting = unflushed;\n',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/sqlite-store.test.ts', '-t', 'runs one flush at a time']
		}
	},
	{
		name: 'Checkpoints keep their flushes (synchronous = NORMAL, not OFF)',
		file: 'src/lib/server/sqlite-store.ts',
		find: "sqlite.pragma('synchronous = NORMAL');",
		replace: "sqlite.pragma('synchronous = OFF');",
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/classroom.test.ts', '-t', 'WAL mode with synchronous = NORMAL']
		}
	},
	{
		name: 'Server grades every answer itself',
		file: 'src/lib/server/classroom.ts',
		// Every valid response is marked right with full credit; invalid ones are still refused, so
		// only the grading is off.
		find: 'const grade = gradeResponse(question, body.response);',
		replace:
			'const grade = { ...gradeResponse(question, body.response), correct: true, credit: 1 };',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/classroom.test.ts', '-t', 'ignoring whatever score a client sends']
		}
	},
	{
		name: 'Server grades every answer itself (fuzz baseline)',
		file: 'src/lib/server/classroom.ts',
		// The same edit, against the fuzz test: its observed participant's points are worked out
		// by the test from the scoring rules, so wrong grading shows there too.
		find: 'const grade = gradeResponse(question, body.response);',
		replace:
			'const grade = { ...gradeResponse(question, body.response), correct: true, credit: 1 };',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'random and malformed bodies'] }
	},
	{
		name: 'LRS: internal addresses refused (block list)',
		file: 'src/lib/server/lrs-address.ts',
		// Every address passes the check; the "localhost" names are still refused by name.
		find: 'if (!allowed && addresses.some(isBlockedAddress)) throw refuse();',
		replace: 'if (false) throw refuse();',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/lrs.test.ts', '-t', 'refuses every spelling of an internal address']
		}
	},
	{
		name: 'LRS: internal addresses refused (block list, over HTTP)',
		file: 'src/lib/server/lrs-address.ts',
		// The same edit, against the built server: the 400s become connections to the listener.
		find: 'if (!allowed && addresses.some(isBlockedAddress)) throw refuse();',
		replace: 'if (false) throw refuse();',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'every spelling of this machine'] }
	},
	{
		name: 'LRS: connects only to the checked addresses (one DNS look-up)',
		file: 'src/lib/server/lrs-address.ts',
		// An Agent of undici's defaults resolves the name again, itself, when it connects.
		find: 'return new Agent({ connect: { lookup } });',
		replace: 'return new Agent();',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/lrs.test.ts', '-t', 'resolves a name once and connects']
		}
	},
	{
		name: 'LRS: no redirect followed',
		file: 'src/lib/server/lrs.ts',
		find: "redirect: 'manual',",
		replace: "redirect: 'follow',",
		guard: { kind: 'vitest', args: ['src/lib/server/lrs.test.ts', '-t', 'follows no redirect'] }
	},
	{
		name: 'LRS: the remote body is never echoed',
		file: 'src/lib/server/lrs.ts',
		// A refusal carrying what the remote server answered, as the send once did.
		find: lines('\t\t\t\tawait response.body?.cancel();', '\t\t\t\tif (response.ok) break;'),
		replace: lines(
			'\t\t\t\tif (response.ok) break;',
			'\t\t\t\tthrow new LrsRefused((await response.text()).slice(0, 200));'
		),
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/lrs.test.ts', '-t', 'never passes on what the remote server answered']
		}
	},
	{
		name: 'LRS: only sessions filed under a teacher key may send',
		file: 'src/routes/api/sessions/[code]/xapi/send/+server.ts',
		find: 'if (teacherId === null)',
		replace: 'if (false)',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'only the host of a session filed'] }
	},
	{
		name: 'LRS: sends limited per teacher',
		file: 'src/routes/api/sessions/[code]/xapi/send/+server.ts',
		find: 'if (!(await sendsByTeacher.hit(teacherId)))',
		replace: 'if (false && !(await sendsByTeacher.hit(teacherId)))',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'only the host of a session filed'] }
	},
	{
		name: 'Nickname: invisible, format and filler characters refused',
		file: 'src/lib/classroom/api.ts',
		find: '(s) => !INVISIBLE.test(s),',
		replace: '(s) => s === s,',
		guard: {
			kind: 'vitest',
			args: ['src/lib/classroom/api.test.ts', '-t', 'refuses format, filler and blank characters']
		}
	},
	{
		name: 'Nickname: look-alikes are one name (confusable skeleton)',
		file: 'src/lib/server/classroom.ts',
		// Back to case and width folding alone.
		find: 'nickname_key: nicknameKey(nickname),',
		replace: "nickname_key: nickname.normalize('NFKC').toLocaleLowerCase('en'),",
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/classroom.test.ts', '-t', 'look-alike letters']
		}
	},
	{
		name: 'CSV: | % and full-width formula starts neutralised',
		file: 'src/lib/classroom/csv.ts',
		// Back to OWASP's first list: = + - @ tab CR.
		find: lines(
			"\t'|',",
			"\t'%',",
			"\t'\\t',",
			"\t'\\r',",
			"\t'\\uFF1D',",
			"\t'\\uFF0B',",
			"\t'\\uFF0D',",
			"\t'\\uFF20'"
		),
		replace: lines("\t'\\t',", "\t'\\r'"),
		guard: {
			kind: 'vitest',
			args: ['src/lib/classroom/csv.test.ts', '-t', 'neutralises each formula start']
		}
	},
	{
		name: 'Security headers on the cross-site 403',
		file: 'src/hooks.server.ts',
		find: lines(
			'\t\treturn withSecurityHeaders(',
			"\t\t\tevent.url.pathname.startsWith('/api/')",
			'\t\t\t\t? json({ message }, { status: 403 })'
		),
		replace: lines(
			'\t\treturn (',
			"\t\t\tevent.url.pathname.startsWith('/api/')",
			'\t\t\t\t? json({ message }, { status: 403 })'
		),
		guard: { kind: 'vitest', args: ['src/hooks.server.test.ts', '-t', 'cross-site 403'] }
	},
	{
		name: 'Security headers on the storage 503',
		file: 'src/hooks.server.ts',
		find: lines(
			'\t\treturn withSecurityHeaders(',
			"\t\t\tevent.url.pathname.startsWith('/api/')",
			'\t\t\t\t? json({ message }, { status: 503, headers })'
		),
		replace: lines(
			'\t\treturn (',
			"\t\t\tevent.url.pathname.startsWith('/api/')",
			'\t\t\t\t? json({ message }, { status: 503, headers })'
		),
		guard: { kind: 'vitest', args: ['src/hooks.server.test.ts', '-t', 'storage 503'] }
	},
	{
		name: 'Front door: a cross-site answer is SvelteKit`s to refuse',
		file: 'src/lib/server/front-door.ts',
		// The front door would serve an answer from any site itself.
		find: lines(
			'		if (!repliesInJson(req) || !bodyIsSmall(req) || !sameSite(req, url.host)) return decline();',
			'		void answer('
		),
		replace: lines(
			'		if (!repliesInJson(req) || !bodyIsSmall(req)) return decline();',
			'		void answer('
		),
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/front-door.test.ts', '-t', 'hands anything it is not sure of']
		}
	},
	{
		name: 'Front door: a cross-site join is SvelteKit`s to refuse',
		file: 'src/lib/server/front-door.ts',
		// Another site's page could join a class under any nickname from a visitor's browser.
		find: lines(
			'	if (!repliesInJson(req) || !bodyIsSmall(req) || !sameSite(req, url.host)) return decline();',
			'	void join('
		),
		replace: lines('	if (!repliesInJson(req) || !bodyIsSmall(req)) return decline();', '	void join('),
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/front-door.test.ts', '-t', 'hands a join with any credentials']
		}
	},
	{
		name: 'Front door: a join carrying credentials is SvelteKit`s',
		file: 'src/lib/server/front-door.ts',
		// A caller with a bearer token would be joined without SvelteKit weighing who it is.
		find: 'if (req.headers.authorization !== undefined) return true;',
		replace: '',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/front-door.test.ts', '-t', 'hands a join with any credentials']
		}
	},
	{
		name: 'Front door: a join from an address held back for guessing codes is SvelteKit`s 429',
		file: 'src/lib/server/front-door.ts',
		// An address that has guessed too many codes could still join every code it found.
		find: 'if (await guessingBlocked(address)) return decline();',
		replace: '',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/front-door.test.ts', '-t', 'held back for guessing codes']
		}
	},
	{
		name: 'Front door: a storage fault is a 503 with a message',
		file: 'src/lib/server/front-door.ts',
		// An answer the database cannot take would be a 500, as if it were a bug.
		find: 'const fault = storageFault(failure);',
		replace: 'const fault: string | undefined = undefined;',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'a read-only or full database'] }
	},
	{
		name: 'Front door: a stream of whoever may be the session`s host is SvelteKit`s',
		file: 'src/lib/server/front-door.ts',
		// A browser holding the host's cookie and a participant's would get a participant's stream.
		find: 'if (cookie(req, hostCookie(code)) !== undefined) return undefined;',
		replace: '',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/front-door.test.ts', '-t', 'hands a host']
		}
	},
	{
		name: 'Front door: a protocol header cannot carry a host of its own',
		file: 'src/lib/server/front-door.ts',
		// X-Forwarded-Proto: http://elsewhere.example# would make that the host the check compares.
		find: "if (protocol.includes(':')) throw new Error('a protocol header with a colon');",
		replace: '',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/front-door.test.ts', '-t', 'the proxy`s headers']
		}
	},
	{
		name: 'Front door: a stream whose client left during its look-ups is not kept',
		file: 'src/lib/server/hub.ts',
		// It would stay subscribed, and hold its address's place, until the process restarts.
		find: 'if (res.destroyed || !res.socket || res.socket.destroyed) return;',
		replace: '',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/hub.test.ts', '-t', 'registers nothing for a client that left']
		}
	},
	{
		name: 'Participant cap per session (MAX_PARTICIPANTS)',
		file: 'src/lib/server/classroom.ts',
		find: 'if ((counted?.joined ?? 0) >= maxParticipants)',
		replace: 'if (false && (counted?.joined ?? 0) >= maxParticipants)',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'at most MAX_PARTICIPANTS'] }
	},
	{
		name: 'Host locks joining',
		file: 'src/lib/server/classroom.ts',
		find: 'if (current.joining_locked === 1)',
		replace: 'if (false && current.joining_locked === 1)',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'at most MAX_PARTICIPANTS'] }
	},
	{
		name: 'Removed participant: token and stream end',
		file: 'src/lib/server/classroom.ts',
		// Nothing is deleted: the token keeps working and the stream stays open.
		find: "\t\t\t\t.deleteFrom('participants')\n\t\t\t\t.where('id', '=', participantId)\n\t\t\t\t.where('session_code', '=', code)\n\t\t\t\t.returning('id')\n\t\t);\n\t\tif (gone.length > 0) tx.announce({ kind: 'removed', code, participantId });",
		replace:
			"\t\t\t\t.selectFrom('participants')\n\t\t\t\t.select('id')\n\t\t\t\t.where('id', '=', participantId)\n\t\t);",
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'at most MAX_PARTICIPANTS'] }
	},
	{
		name: 'Session creation limited per address',
		file: 'src/lib/server/http.ts',
		find: 'if (await sessionCreations.hit(address)) return undefined;',
		replace: 'if ((await sessionCreations.hit(address)) || true) return undefined;',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'session creation is limited'] }
	},
	{
		name: 'Dashboard stream bounded in bytes per second',
		file: 'src/lib/server/hub.ts',
		find: 'const wait = Math.max(DASHBOARD_INTERVAL_MS, (dashboardDue.get(code) ?? 0) - Date.now());',
		replace: 'const wait = DASHBOARD_INTERVAL_MS;',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'dashboard stream stays within'] }
	},
	{
		name: 'Exports built in worker threads (healthz stays fast)',
		file: 'src/lib/server/exports.ts',
		// Every export built on the server's own thread, a slice between other requests, as before.
		find: "const IN_WORKER = !import.meta.url.endsWith('.ts');",
		replace: 'const IN_WORKER = false;',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'healthz answers in under 100 ms'] }
	},
	{
		name: 'An event stream whose client stopped reading is given up (socket)',
		file: 'src/lib/server/hub.ts',
		find: 'if (socket.writableLength > STREAM_BACKLOG_BYTES) {',
		replace: 'if (false) {',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/hub.test.ts', '-t', 'HTTP/1.1, written to the socket']
		}
	},
	{
		name: 'An event stream whose client stopped reading is given up (web stream)',
		file: 'src/lib/server/hub.ts',
		find: 'if (-(controller.desiredSize ?? 0) > STREAM_BACKLOG_BYTES) {',
		replace: 'if (false) {',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/hub.test.ts', '-t', 'HTTP/1.0, through the response']
		}
	},
	{
		name: 'Exports built at once are capped',
		file: 'src/lib/server/exports.ts',
		// A place is asked for as before, but every download goes ahead whatever the answer.
		find: 'const release = await exportSlots.take();',
		replace: 'const release = (await exportSlots.take(), () => {});',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/exports.test.ts', '-t', 'builds EXPORTS_AT_ONCE files at a time']
		}
	},
	{
		name: 'A download nobody reads gives its slot up',
		file: 'src/lib/server/exports.ts',
		// The reader is still told, but the file being made (its slot, its worker) is kept.
		find: 'void source.cancel(reason).catch(() => {});',
		replace: '',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/exports.test.ts', '-t', 'gives its slot to the next in line']
		}
	},
	{
		name: 'A session deleted under its export is a 410 (worker failure keeps its status)',
		file: 'src/lib/server/exports.ts',
		find: "if (typeof status === 'number' && typeof body?.message === 'string')",
		replace: 'if (false)',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/exports.test.ts', '-t', 'keeps a refusal a refusal']
		}
	},
	{
		name: 'Deleted session answers 410 (never a guess)',
		file: 'src/lib/server/session-store.ts',
		find: 'if (await wasDeleted(code)) error(410, DELETED);',
		replace: '',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'a deleted session answers 410'] }
	},
	{
		name: 'Streams of a deleted session close',
		file: 'src/lib/server/live-events.ts',
		find: "\t\t\tpublish(code, 'state', fact.pacing);\n\t\t\tcloseStreams(code);\n",
		replace: "\t\t\tpublish(code, 'state', fact.pacing);\n",
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'a deleted session answers 410'] }
	},
	{
		name: '/healthz is 503 while writes fail',
		file: 'src/routes/healthz/+server.ts',
		find: 'const ok = database && !writeFault;',
		replace: 'const ok = database;',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'cannot be written at start-up'] }
	},
	{
		name: 'One server per database file',
		file: 'src/lib/server/sqlite-store.ts',
		find: "\t\tlock.pragma('locking_mode = EXCLUSIVE');\n",
		replace: '',
		guard: { kind: 'playwright', args: [HARDENING, '-g', 'second server on the same database'] }
	},
	{
		name: 'PostgreSQL: commits wait for the WAL flush (synchronous_commit = on)',
		file: 'src/lib/server/postgres-store.ts',
		find: "options: '-c synchronous_commit=on'",
		replace: "options: ''",
		guard: { kind: 'vitest', args: ['src/lib/server/db.test.ts', '-t', 'WAL flush'] }
	},
	{
		name: 'Behind a proxy: a request without the address header is a 400',
		file: 'src/lib/server/origin.ts',
		find: '\t} catch {\n\t\terror(\n\t\t\t400,',
		replace: '\t} catch (failure) {\n\t\tthrow failure;\n\t\terror(\n\t\t\t400,',
		guard: { kind: 'playwright', args: ['tests/server-start.test.ts', '-g', 'bypassed'] }
	},
	{
		name: 'Several processes: facts travel by NOTIFY',
		file: 'src/lib/server/live-events.ts',
		// Each process hears only itself: a host's stream on A never learns what B committed.
		find: '\treturn listenForFacts(config.url, applyFact, resyncAll);',
		replace: '\treturn undefined;',
		guard: { kind: 'playwright', args: [MULTI_PROCESS, '-g', 'host on one process'] }
	},
	{
		name: 'Several processes: read again after the listener reconnects',
		file: 'src/lib/server/bus.ts',
		find: '\t\t\tconnect().then(resync, (failure: unknown) => {',
		replace: '\t\t\tconnect().then(undefined, (failure: unknown) => {',
		guard: { kind: 'vitest', args: ['src/lib/server/bus.test.ts', '-t', 'connects again'] }
	},
	{
		name: 'Several processes: an older state never overtakes a newer one',
		file: 'src/lib/server/hub.ts',
		find: '\t\tif (listener.stateVersion >= version) continue;\n',
		replace: '',
		guard: { kind: 'vitest', args: ['src/lib/server/hub.test.ts'] }
	},
	{
		name: 'Several processes: the guessing limit is counted in the database',
		file: 'src/lib/server/shared-limit.ts',
		find: "const current = () => (databaseKind() === 'postgres' ? shared : local);",
		replace: 'const current = () => local;',
		guard: { kind: 'playwright', args: [MULTI_PROCESS, '-g', 'guessing limit counts'] }
	},
	{
		name: 'Answer keys: the service worker keeps them only for self-study',
		file: 'src/service-worker.ts',
		// A classroom page's requests are cached again, the learner page with its keys included.
		find: '\t\t\t\t\t!(await fromClassroomPage(event))',
		replace: '\t\t\t\t\ttrue',
		guard: { kind: 'playwright', args: [ANSWER_KEYS, '-g', 'classroom-only visitor'] }
	},
	{
		name: 'Answer keys: ANSWER_KEYS=server sends the page no key',
		file: 'src/routes/learn/[id]/+page.server.ts',
		// The server-graded page gets the whole pack, as in client mode.
		find: "if (answerKeyMode() === 'server') return { pack: publicPack(pack) };",
		replace: "if (answerKeyMode() === 'server') return { pack: publicPack(pack) && pack };",
		guard: { kind: 'playwright', args: [ANSWER_KEYS, '-g', 'through a class'] }
	},
	{
		name: 'Answer keys: a wrong try does not reveal the key',
		file: 'src/lib/server/study.ts',
		find: 'const done = grade.correct || explored || tries >= MAX_ATTEMPTS;',
		replace: 'const done = grade.correct || explored || tries >= 0;',
		guard: {
			kind: 'vitest',
			args: ['src/lib/server/study.test.ts', '-t', 'reveals the question once it is done']
		}
	},
	{
		name: 'Answer keys: the server charges a hint from its receipt',
		file: 'src/lib/server/study.ts',
		find: 'pointsFor(grade.credit, { attempt: tries, hintUsed: receipt.hintUsed })',
		replace: 'pointsFor(grade.credit, { attempt: tries, hintUsed: false })',
		guard: { kind: 'vitest', args: ['src/lib/server/study.test.ts', '-t', 'charges a hint'] }
	},
	{
		name: 'Answer keys: receipts must carry this server`s signature',
		file: 'src/lib/server/study.ts',
		find: 'if (given.length !== expected.length || !timingSafeEqual(given, expected))',
		replace: 'if (given.length !== expected.length && !timingSafeEqual(given, expected))',
		guard: { kind: 'vitest', args: ['src/lib/server/study.test.ts', '-t', 'forged, altered'] }
	}
];

/** PROTECTIONS_ONLY narrows the run to the cases whose name contains it (case-insensitive). */
const only = process.env.PROTECTIONS_ONLY?.toLowerCase();
const cases = only ? allCases.filter((c) => c.name.toLowerCase().includes(only)) : allCases;

/** Runs a command in `cwd`; returns its exit status (null on a timeout) and combined output. */
function run(command, args, cwd, env = {}) {
	const result = spawnSync(command, args, {
		cwd,
		env: { ...process.env, ...PORTS, TMPDIR: TEMP, FORCE_COLOR: '0', ...env },
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
		timeout: RUN_TIMEOUT_MS
	});
	return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/**
 * A clone of HEAD at `dir`. Its node_modules links each package of the main checkout rather than
 * the folder itself, so that Vite's caches (.vite, .vite-temp) are written inside the clone and
 * never into the developer's node_modules.
 */
function scratchCopy(dir) {
	const cloned = run('git', ['clone', '-q', ROOT, dir], ROOT);
	if (cloned.status !== 0) throw new Error(`git clone failed:\n${cloned.output}`);
	const modules = join(dir, 'node_modules');
	mkdirSync(modules);
	for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
		if (entry === '.vite' || entry === '.vite-temp') continue;
		symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
	}
	return dir;
}

/** How often `find` occurs in `text`. */
function occurrences(text, find) {
	return text.split(find).length - 1;
}

/** Throws unless `c.find` occurs exactly once in `c.file` under `dir`: an edit must bite. */
function checkPattern(dir, c) {
	const count = occurrences(readFileSync(join(dir, c.file), 'utf8'), c.find);
	if (count !== 1) {
		throw new Error(
			`"${c.name}": the switch-off pattern occurs ${count} times in ${c.file} (must be once):\n${c.find}`
		);
	}
}

/** Switches the protection of `c` off in the clone at `dir`. */
function switchOff(dir, c) {
	checkPattern(dir, c);
	const path = join(dir, c.file);
	writeFileSync(
		path,
		readFileSync(path, 'utf8').replace(c.find, () => c.replace)
	);
}

/** The first lines of a failure message, without colour codes, to show why a test failed. */
function excerpt(message = '') {
	return stripVTControlCharacters(message)
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean)
		.slice(0, 4)
		.join(' / ')
		.slice(0, 300);
}

/** Every test a Playwright JSON report ran (skipped ones are left out), with its first error. */
function playwrightTests(report) {
	const tests = [];
	const walk = (suite) => {
		for (const spec of suite.specs ?? [])
			for (const t of spec.tests ?? []) {
				if (t.status === 'skipped') continue;
				const last = t.results?.at(-1);
				tests.push({
					title: spec.title,
					ok: t.status === 'expected',
					error: last?.errors?.[0]?.message ?? last?.error?.message
				});
			}
		for (const child of suite.suites ?? []) walk(child);
	};
	for (const suite of report.suites ?? []) walk(suite);
	return tests;
}

/** Every test a Vitest JSON report ran (those filtered out by -t are left out). */
function vitestTests(report) {
	return (report.testResults ?? []).flatMap((file) =>
		(file.assertionResults ?? [])
			.filter((a) => a.status === 'passed' || a.status === 'failed')
			.map((a) => ({ title: a.title, ok: a.status === 'passed', error: a.failureMessages?.[0] }))
	);
}

/**
 * Runs the guard of a case in the clone at `dir`. Returns the tests that ran, or `error` when
 * none did (nothing matched, the report is missing, the run hung): that is never a pass or a fail.
 */
function runGuard(dir, guard) {
	const report = join(dir, 'guard-report.json');
	rmSync(report, { force: true });
	const { status, output } =
		guard.kind === 'playwright'
			? run('npx', ['playwright', 'test', ...guard.args, '--reporter=json'], dir, {
					PLAYWRIGHT_JSON_OUTPUT_FILE: report
				})
			: run(
					'npx',
					['vitest', 'run', ...guard.args, '--reporter=json', `--outputFile=${report}`],
					dir
				);
	let tests;
	try {
		const parsed = JSON.parse(readFileSync(report, 'utf8'));
		tests = guard.kind === 'playwright' ? playwrightTests(parsed) : vitestTests(parsed);
	} catch {
		tests = [];
	}
	if (tests.length === 0) {
		const why = status === null ? 'timed out' : `no test ran (exit ${status})`;
		return { error: `${why}: ${output.slice(-1500)}` };
	}
	// A failing run whose tests all passed (a crashed web server, say) is no pass either.
	if (status !== 0 && tests.every((t) => t.ok)) {
		return { error: `exit ${status} though every test passed: ${output.slice(-1500)}` };
	}
	return { tests };
}

/** Builds the clone at `dir` for the guards that run against `node build`; returns why it failed. */
function build(dir) {
	const { status, output } = run('npx', ['vite', 'build', '--logLevel', 'error'], dir);
	return status === 0 ? undefined : `build failed: ${output.slice(-1500)}`;
}

/** Vitest guards import the source and need no build; Playwright guards run `node build`. */
const needsBuild = (guard) => guard.kind === 'playwright';

/** A table cell for one guard run: "passed 1/1", "FAILED 1/1" or "ERROR". */
function cell(outcome) {
	if (outcome.error) return 'ERROR';
	const failed = outcome.tests.filter((t) => !t.ok).length;
	const total = outcome.tests.length;
	return failed === 0 ? `passed ${total}/${total}` : `FAILED ${failed}/${total}`;
}

/** Guarded only if every guarding test passes with the protection on and fails with it off. */
function verdict(on, off) {
	if (on.error || off.error) return 'ERROR';
	if (on.tests.some((t) => !t.ok)) return 'BROKEN: fails with protection on';
	if (off.tests.some((t) => t.ok)) return 'NOT GUARDED: passes with protection off';
	return 'guarded';
}

/** The guard as a command line, for the table. */
function describeGuard(guard) {
	const args = guard.args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ');
	return guard.kind === 'playwright' ? `playwright test ${args}` : `vitest run ${args}`;
}

function main() {
	const started = Date.now();
	const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`;
	const cleanUp = () => rmSync(SCRATCH, { recursive: true, force: true });
	process.on('SIGINT', () => {
		cleanUp();
		process.exit(130);
	});
	try {
		mkdirSync(TEMP);
		const head = run('git', ['rev-parse', '--short', 'HEAD'], ROOT).output.trim();
		console.log(`Checking protections at HEAD ${head} (committed code only) in ${SCRATCH}`);

		// Every pattern is checked before anything slow runs.
		const baseline = scratchCopy(join(SCRATCH, 'baseline'));
		for (const c of cases) checkPattern(baseline, c);

		// One build serves every guard with the protections on.
		const baselineBuild = build(baseline);
		const results = cases.map((c) => {
			const broken = needsBuild(c.guard) && baselineBuild;
			const on = broken ? { error: broken } : runGuard(baseline, c.guard);
			console.log(`[${seconds()}] protection on:  ${c.name}: ${cell(on)}`);
			return { c, on };
		});

		for (const [i, r] of results.entries()) {
			const dir = scratchCopy(join(SCRATCH, `case-${i + 1}`));
			switchOff(dir, r.c);
			const broken = needsBuild(r.c.guard) && build(dir);
			r.off = broken ? { error: broken } : runGuard(dir, r.c.guard);
			console.log(`[${seconds()}] protection off: ${r.c.name}: ${cell(r.off)}`);
			rmSync(dir, { recursive: true, force: true });
		}

		console.log(`\nHEAD ${head}, ${new Date().toISOString()}, ${seconds()} in all\n`);
		console.log(
			'| Protection | File edited | Test run | Protection on | Protection off | Verdict |'
		);
		console.log('|---|---|---|---|---|---|');
		for (const { c, on, off } of results) {
			const row = [c.name, c.file, describeGuard(c.guard), cell(on), cell(off), verdict(on, off)];
			console.log(`| ${row.map((x) => x.replaceAll('|', '\\|')).join(' | ')} |`);
		}

		console.log('\nHow each guard failed with its protection off:');
		for (const { c, off } of results) {
			const failure = off.tests?.find((t) => !t.ok);
			console.log(
				`- ${c.name}: ${failure ? `"${failure.title}": ${excerpt(failure.error)}` : '(did not fail)'}`
			);
		}
		const problems = results.filter(({ on, off }) => verdict(on, off) !== 'guarded');
		for (const { c, on, off } of problems) {
			for (const outcome of [on, off])
				if (outcome.error) console.log(`\n${c.name}: ${outcome.error}`);
		}
		console.log(
			problems.length === 0
				? `\nAll ${results.length} protections are guarded.`
				: `\n${problems.length} of ${results.length} protections are not shown to be guarded.`
		);
		return problems.length === 0 ? 0 : 1;
	} finally {
		cleanUp();
	}
}

process.exitCode = main();
