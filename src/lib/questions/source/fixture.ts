import type { Fixture } from '../registry.ts';
import { fixtureCommon } from '../fixture-common.ts';

export const sourceFixture: Fixture<'source'> = {
	question: {
		...fixtureCommon,
		id: 'q-source',
		type: 'source',
		options: ['reuters', 'bbc', 'le-monde'],
		answer: 'bbc'
	},
	right: 'bbc',
	wrong: 'reuters'
};
