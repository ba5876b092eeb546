import type { Fixture } from '../registry.ts';
import { fixtureCommon } from '../fixture-common.ts';

export const evidenceFixture: Fixture<'evidence'> = {
	question: {
		...fixtureCommon,
		id: 'q-evidence',
		type: 'evidence',
		options: [
			{ id: 's1', text: 'First sentence.' },
			{ id: 's2', text: 'Second sentence.' }
		],
		answer: 's2'
	},
	right: 's2',
	wrong: 's1'
};
