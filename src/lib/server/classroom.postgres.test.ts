/**
 * The classroom service on PostgreSQL, a fresh database of the test cluster per run (the suite
 * is in classroom.suite.ts).
 */
import { classroomSuite } from './classroom.suite';
import { freshPostgresDatabase } from './testing/postgres';

let drop: () => Promise<void> = async () => {};

classroomSuite({
	kind: 'postgres',
	async open() {
		const fresh = await freshPostgresDatabase('classroom');
		drop = fresh.drop;
		return { kind: 'postgres', url: fresh.url };
	},
	close: () => drop()
});
