import type { Fixture } from '../registry.ts';
import { fixtureCommon } from '../fixture-common.ts';

export const numericFixture: Fixture<'numeric'> = {
	question: {
		...fixtureCommon,
		id: 'q-numeric',
		type: 'numeric',
		unit: 'million',
		tolerance: 0.1,
		answer: 2.5
	},
	right: 2.45,
	wrong: 3
};
