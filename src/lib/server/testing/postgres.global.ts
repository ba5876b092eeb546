// Global setup of the server tests (vitest) and of the end-to-end tests (Playwright): a throwaway
// PostgreSQL cluster, unless `npm test` (or the caller) already names one in
// CAUSEWAY_TEST_POSTGRES. Workers are started after this runs and inherit that variable, which is
// how freshPostgresDatabase() finds the cluster in both runners.
import { useTestPostgres } from '../../../../scripts/lib/postgres.mjs';

export default async function startTestPostgres(): Promise<() => void> {
	const { stop } = await useTestPostgres();
	return stop;
}
