/** The classroom service on SQLite, a fresh file per run (the suite is in classroom.suite.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classroomSuite } from './classroom.suite';

let dir: string;

classroomSuite({
	kind: 'sqlite',
	async open() {
		dir = mkdtempSync(join(tmpdir(), 'causeway-classroom-'));
		// In a folder that does not exist yet: opening the database makes it.
		return { kind: 'sqlite', path: join(dir, 'nested', 'causeway.sqlite') };
	},
	async close() {
		rmSync(dir, { recursive: true, force: true });
	}
});
